"""Moderation actions, one function per thing a moderator does. Each runs in one transaction with its log
entry and its search-outbox row, so the record, the change and the index never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forum.core import indexing
from forum.core.clock import now
from forum.core.db import is_sqlite, write_transaction
from forum.core.errors import Conflict, InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.inputs import Input
from forum.core.modlog import post_label, record_action
from forum.core.policy import require_moderator
from forum.core.tables import Post, Thread
from forum.core.taxonomy import SECTOR_BY_SLUG, VALUE_BY_SLUG
from forum.core.validation import clean_text, optional_text, require_choice, require_choices, require_text
from forum.core.visibility import HIDDEN, PENDING, PUBLISHED
from forum.dashboard import tally
from forum.notifications import events as notification_events
from forum.notifications import watches as notification_watches
from forum.posting.service import count_published_reply
from forum.threads.service import editable_fields, get_thread, save_thread_fields


@dataclass(frozen=True, slots=True)
class ThreadModeration(Input):
    """A moderator's action on a thread: which one, and what that action needs."""

    action: object = None
    reason: object = None
    private_note: object = None
    sector: object = None  # move
    values: object = None  # move
    target_id: object = None  # merge


@dataclass(frozen=True, slots=True)
class PostModeration(Input):
    action: object = None
    reason: object = None
    private_note: object = None


REASON_MAX = 1000


def _reason(reason: object, required: bool = True) -> str:
    errors: dict[str, str] = {}
    if required:
        text = require_text(errors, "reason", reason, "Alasan", max_len=REASON_MAX, multiline=True)
        if "reason" in errors and not text:
            errors["reason"] = "Alasan wajib diisi; alasan tampil di log moderasi publik."
    else:
        text = optional_text(errors, "reason", reason, "Alasan", max_len=REASON_MAX, multiline=True)
    if errors:
        raise InvalidInput(errors)
    return text


async def _thread(thread_id: int) -> dict[str, Any]:
    row = await Thread.select(
        Thread.id, Thread.title, Thread.status, Thread.is_pinned, Thread.is_locked, Thread.author, Thread.kind,
        Thread.merged_into,
    ).where(Thread.id == thread_id).first()
    if row is None:
        raise NotFound("Topik tidak ditemukan.")
    return row


async def _post(post_id: int) -> dict[str, Any]:
    row = await Post.select(Post.id, Post.thread, Post.status, Post.author, Post.body_source).where(
        Post.id == post_id
    ).first()
    if row is None:
        raise NotFound("Balasan tidak ditemukan.")
    return row


async def _set_thread_flag(user: CurrentUser, thread_id: int, column: Any, value: bool, action: str, reason: str) -> None:
    require_moderator(user)
    async with write_transaction():
        thread = await _thread(thread_id)
        if action == "pin_thread" and thread["merged_into"]:
            raise Conflict(f"Topik ini sudah digabungkan ke topik #{thread['merged_into']} sehingga tidak dapat "
                           "disematkan; sematkan topik tujuannya.")  # fmt: skip
        await Thread.update({column: value}).where(Thread.id == thread_id)
        await record_action(user, action, "thread", thread_id, thread["title"], reason)
        # No search update: documents hold neither the pin nor the lock.


async def pin_thread(user: CurrentUser, thread_id: int, reason: object = "") -> None:
    await _set_thread_flag(user, thread_id, Thread.is_pinned, True, "pin_thread", _reason(reason, required=False))


async def unpin_thread(user: CurrentUser, thread_id: int, reason: object = "") -> None:
    await _set_thread_flag(user, thread_id, Thread.is_pinned, False, "unpin_thread", _reason(reason, required=False))


async def lock_thread(user: CurrentUser, thread_id: int, reason: object = "") -> None:
    await _set_thread_flag(user, thread_id, Thread.is_locked, True, "lock_thread", _reason(reason))


async def unlock_thread(user: CurrentUser, thread_id: int, reason: object = "") -> None:
    await _set_thread_flag(user, thread_id, Thread.is_locked, False, "unlock_thread", _reason(reason, required=False))


async def _set_thread_status(user: CurrentUser, thread_id: int, status: str, action: str, reason: str,
                             private_note: str = "") -> None:  # fmt: skip
    require_moderator(user)
    async with write_transaction():
        thread = await _thread(thread_id)
        if status == PUBLISHED and thread["merged_into"]:
            # Its replies live in the target now, and its address leads there: publishing it again would show
            # an empty duplicate.
            raise Conflict(f"Topik ini sudah digabungkan ke topik #{thread['merged_into']} dan tidak dapat "
                           "diterbitkan lagi.")  # fmt: skip
        await tally.mark_thread(thread_id)
        await Thread.update({Thread.status: status, Thread.hidden_reason: reason if status == HIDDEN else ""}).where(
            Thread.id == thread_id
        )
        await record_action(user, action, "thread", thread_id, thread["title"], reason, private_note)
        await indexing.enqueue_thread(thread_id)
        if action == "approve_thread":
            await notification_events.thread_published(thread_id)


async def hide_thread(user: CurrentUser, thread_id: int, reason: object, private_note: object = "") -> None:
    await _set_thread_status(user, thread_id, HIDDEN, "hide_thread", _reason(reason), clean_text(private_note))


async def restore_thread(user: CurrentUser, thread_id: int, reason: object = "") -> None:
    await _set_thread_status(user, thread_id, PUBLISHED, "restore_thread", _reason(reason, required=False))


async def approve_thread(user: CurrentUser, thread_id: int) -> None:
    await _set_thread_status(user, thread_id, PUBLISHED, "approve_thread", "")


async def _set_post_status(user: CurrentUser, post_id: int, status: str, action: str, reason: str,
                           private_note: str = "") -> None:  # fmt: skip
    require_moderator(user)
    async with write_transaction():
        await set_post_status(post_id, status, reason)
        post = await _post(post_id)
        await record_action(user, action, "post", post_id, post_label(post["id"]), reason, private_note)
        if action == "approve_post":
            await notification_events.reply_published(post_id)


async def set_post_status(post_id: int, status: str, reason: str = "") -> None:
    """Change a reply's status inside the caller's transaction, keeping the thread's reply count right."""
    post = await _post(post_id)
    if post["status"] == status:
        return
    await tally.mark_post(post_id)
    await Post.update({Post.status: status, Post.hidden_reason: reason if status == HIDDEN else ""}).where(
        Post.id == post_id
    )
    if status == PUBLISHED:
        await count_published_reply(post["thread"], +1)
    elif post["status"] == PUBLISHED:
        await count_published_reply(post["thread"], -1)
    await indexing.enqueue_thread(post["thread"])


async def hide_post(user: CurrentUser, post_id: int, reason: object, private_note: object = "") -> None:
    await _set_post_status(user, post_id, HIDDEN, "hide_post", _reason(reason), clean_text(private_note))


async def restore_post(user: CurrentUser, post_id: int, reason: object = "") -> None:
    await _set_post_status(user, post_id, PUBLISHED, "restore_post", _reason(reason, required=False))


async def approve_post(user: CurrentUser, post_id: int) -> None:
    await _set_post_status(user, post_id, PUBLISHED, "approve_post", "")


async def move_thread(user: CurrentUser, thread_id: int, sector: object, values: object, reason: object = "") -> None:
    """Put a thread in the right sector and fix its value tags (a moderator keeps tags honest)."""
    require_moderator(user)
    errors: dict[str, str] = {}
    sector_slug = require_choice(errors, "sector", sector, SECTOR_BY_SLUG, "Sektor")
    value_slugs = require_choices(errors, "values", values, VALUE_BY_SLUG, "Nilai BerAKHLAK")
    if errors:
        raise InvalidInput(errors)
    async with write_transaction():
        # Saved as the thread's next version (with its revision, dashboard marks and index update), like an
        # edit: an edit form opened before the move then gets a conflict instead of writing the old tags back.
        current = await get_thread(thread_id)
        fields = {**editable_fields(current), "sector": sector_slug, "values": value_slugs}
        await save_thread_fields(user, current, fields, current["version"])
        detail = f"sektor {sector_slug}; nilai {', '.join(value_slugs)}"
        await record_action(user, "move_thread", "thread", thread_id, current["title"],
                            _reason(reason, required=False) or detail)  # fmt: skip


async def merge_thread(user: CurrentUser, source_id: int, target_id: object, reason: object = "") -> None:
    """Merge a duplicate into another thread: its replies move over, and its address leads to the target."""
    require_moderator(user)
    try:
        target = int(str(target_id))
    except ValueError:
        raise InvalidInput({"target_id": "Pilih topik tujuan (nomor topik)."}) from None
    if target == source_id:
        raise InvalidInput({"target_id": "Topik tidak dapat digabungkan dengan dirinya sendiri."})
    async with write_transaction():
        if not is_sqlite():  # two opposite merges at once: the second waits, then sees the first (no cycle)
            await Thread.raw("SELECT id FROM thread WHERE id IN ({}, {}) ORDER BY id FOR UPDATE", source_id, target)
        source = await _thread(source_id)
        destination = await _thread(target)
        # A merged thread redirects to its target, so the target must be readable and final (no chains, no
        # cycles such as A into B then B into A), and a thread merges at most once.
        if source["merged_into"]:
            raise InvalidInput({"target_id": f"Topik ini sudah digabungkan ke topik #{source['merged_into']}."})
        if destination["merged_into"]:
            raise InvalidInput({"target_id": f"Topik tujuan sudah digabungkan ke topik #{destination['merged_into']}; "
                                             "pilih topik yang masih aktif."})  # fmt: skip
        if destination["status"] != PUBLISHED:
            raise InvalidInput({"target_id": "Topik tujuan harus topik yang sudah terbit (tidak disembunyikan "
                                             "atau menunggu tinjauan)."})  # fmt: skip
        await tally.mark_thread(source_id)  # its replies keep their days under the target
        moved = await Post.count().where((Post.thread == source_id) & (Post.status == PUBLISHED))
        await Post.update({Post.thread: target}).where(Post.thread == source_id)
        await Thread.update({Thread.reply_count: Thread.reply_count + moved, Thread.last_activity_at: now()}).where(
            Thread.id == target
        )
        await Thread.update(
            {Thread.status: HIDDEN, Thread.merged_into: target, Thread.reply_count: 0,
             Thread.hidden_reason: f"Digabungkan ke topik #{target}"}  # fmt: skip
        ).where(Thread.id == source_id)
        await record_action(user, "merge_thread", "thread", source_id, source["title"],
                            _reason(reason, required=False) or f"digabungkan ke topik #{target}")  # fmt: skip
        await notification_watches.move_thread_watches(source_id, target)
        await indexing.enqueue_thread(source_id)
        await indexing.enqueue_thread(target)


THREAD_ACTIONS = {
    "pin": pin_thread,
    "unpin": unpin_thread,
    "lock": lock_thread,
    "unlock": unlock_thread,
    "restore": restore_thread,
}


async def moderate_thread(user: CurrentUser, thread_id: int, data: ThreadModeration) -> None:
    """One entry point for pages and the API: ``action`` plus what that action needs."""
    action = clean_text(data.get("action"))
    if action == "move":
        await move_thread(user, thread_id, data.get("sector"), data.get("values"), data.get("reason"))
    elif action == "merge":
        await merge_thread(user, thread_id, data.get("target_id"), data.get("reason"))
    elif action in {"hide"}:
        await hide_thread(user, thread_id, data.get("reason"), data.get("private_note"))
    elif action in {"approve"}:
        await approve_thread(user, thread_id)
    elif action in THREAD_ACTIONS:
        await THREAD_ACTIONS[action](user, thread_id, data.get("reason"))
    else:
        require_moderator(user)
        raise InvalidInput({"action": f"Tindakan '{action[:30]}' tidak dikenal."})


async def moderate_post(user: CurrentUser, post_id: int, data: PostModeration) -> None:
    action = clean_text(data.get("action"))
    if action == "hide":
        await hide_post(user, post_id, data.get("reason"), data.get("private_note"))
    elif action == "approve":
        await approve_post(user, post_id)
    elif action == "restore":
        await restore_post(user, post_id, data.get("reason"))
    else:
        require_moderator(user)
        raise InvalidInput({"action": f"Tindakan '{action[:30]}' tidak dikenal."})


__all__ = ["PENDING", "moderate_post", "moderate_thread", "set_post_status"]
