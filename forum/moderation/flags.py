"""Flags and the review queue: members report, moderators resolve, three reports hide until reviewed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import Conflict, InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.inputs import Input
from forum.core.modlog import post_label, record_action
from forum.core.policy import require_moderator
from forum.core.settings import get_settings
from forum.core.tables import Flag, Post, Thread
from forum.core.validation import clean_text
from forum.core.visibility import HIDDEN, PENDING, PUBLISHED, can_see
from forum.moderation.status import set_post_status, set_thread_status


@dataclass(frozen=True, slots=True)
class FlagReport(Input):
    reason: object = None
    text: object = None


@dataclass(frozen=True, slots=True)
class FlagResolution(Input):
    resolution: object = None
    note: object = None

REASONS = {
    "spam": "Spam",
    "menyinggung": "Menyinggung",
    "di-luar-topik": "Di luar topik",
    "informasi-keliru": "Informasi keliru",
    "lainnya": "Lainnya",
}
AUTO_HIDE_REASON = "Disembunyikan otomatis setelah dilaporkan beberapa anggota; menunggu tinjauan moderator."


async def _target(target_type: str, target_id: int) -> dict[str, Any]:
    if target_type == "post":
        row = await Post.select(Post.id, Post.author, Post.status, Post.thread, Post.body_source).where(
            Post.id == target_id
        ).first()
    else:
        row = await Thread.select(Thread.id, Thread.author, Thread.status, Thread.title).where(
            Thread.id == target_id
        ).first()
    if row is None:
        raise NotFound("Konten yang dilaporkan tidak ditemukan.")
    return row


async def flag_content(user: CurrentUser, target_type: str, target_id: int, data: FlagReport) -> dict[str, Any]:
    reason = clean_text(data.get("reason"))
    text = clean_text(data.get("text"))[:1000]
    if reason not in REASONS:
        raise InvalidInput({"reason": "Pilih alasan laporan."})
    if reason == "lainnya" and not text:
        raise InvalidInput({"text": "Jelaskan alasan laporan Anda."})
    async with write_transaction():
        target = await _target(target_type, target_id)
        if not can_see(user, target):
            raise NotFound("Konten yang dilaporkan tidak ditemukan.")
        if target["author"] == user.id:
            raise InvalidInput({"reason": "Anda tidak dapat melaporkan tulisan Anda sendiri."})
        already = await Flag.exists().where(
            (Flag.target_type == target_type) & (Flag.target_id == target_id) & (Flag.reporter == user.id)
        )
        if already:
            raise Conflict("Anda sudah melaporkan konten ini. Moderator akan meninjaunya.")
        await Flag.insert(Flag(target_type=target_type, target_id=target_id, reporter=user.id, reason=reason,
                               text=text, created_at=now()))  # fmt: skip
        open_flags = await Flag.count().where(
            (Flag.target_type == target_type) & (Flag.target_id == target_id) & Flag.resolved_at.is_null()
        )
        hidden = open_flags >= get_settings().flags_to_hide and target["status"] == PUBLISHED
        if hidden:
            await _auto_hide(user, target_type, target)
    return {"flags": open_flags, "hidden": hidden}


async def _auto_hide(user: CurrentUser, target_type: str, target: dict[str, Any]) -> None:
    if target_type == "post":
        await set_post_status(target["id"], HIDDEN, AUTO_HIDE_REASON)
        label = post_label(target["id"])
    else:
        await set_thread_status(target["id"], HIDDEN, AUTO_HIDE_REASON)
        label = target["title"]
    await record_action(user, f"auto_hide_{target_type}", target_type, target["id"], label, AUTO_HIDE_REASON)


async def resolve_flags(user: CurrentUser, target_type: str, target_id: int, data: FlagResolution) -> None:
    """Resolve every open flag on one target: "hide" it, or "dismiss" the flags (and undo an automatic hide)."""
    require_moderator(user)
    resolution = clean_text(data.get("resolution"))
    note = clean_text(data.get("note"))[:1000]
    if resolution not in {"hide", "dismiss"}:
        raise InvalidInput({"resolution": "Pilih: sembunyikan atau tolak laporan."})
    async with write_transaction():
        target = await _target(target_type, target_id)
        open_flags = Flag.target_type == target_type
        open_flags &= Flag.target_id == target_id
        open_flags &= Flag.resolved_at.is_null()
        if not await Flag.exists().where(open_flags):
            raise NotFound("Tidak ada laporan terbuka untuk konten ini.")
        await Flag.update({Flag.resolved_at: now(), Flag.resolved_by: user.id, Flag.resolution: resolution,
                           Flag.resolution_note: note}).where(open_flags)  # fmt: skip
        label = post_label(target["id"]) if target_type == "post" else target["title"]
        new_status = HIDDEN if resolution == "hide" else PUBLISHED
        reason = note or ("Melanggar pedoman forum." if resolution == "hide" else "")
        if target["status"] != new_status and not (resolution == "dismiss" and target["status"] == PENDING):
            if target_type == "post":
                await set_post_status(target_id, new_status, reason)
            else:
                await set_thread_status(target_id, new_status, reason)
        action = f"hide_{target_type}" if resolution == "hide" else "dismiss_flag"
        await record_action(user, action, target_type, target_id, label, reason, private_note=note)


async def review_queue(user: CurrentUser, limit: int = 100) -> list[dict[str, Any]]:
    """New members' pending threads and replies, and open flags grouped per target; oldest first."""
    require_moderator(user)
    pending_threads = await Thread.select(
        Thread.id, Thread.title, Thread.slug, Thread.created_at, Thread.body_html,
        Thread.author.display_name.as_alias("author_name"), Thread.agency.name.as_alias("agency_name"),
    ).where(Thread.status == PENDING).order_by(Thread.created_at).limit(limit)  # fmt: skip
    pending_posts = await Post.select(
        Post.id, Post.thread, Post.created_at, Post.body_html, Post.thread.title.as_alias("thread_title"),
        Post.author.display_name.as_alias("author_name"), Post.agency.name.as_alias("agency_name"),
    ).where(Post.status == PENDING).order_by(Post.created_at).limit(limit)  # fmt: skip
    flags = await Flag.select(
        Flag.id, Flag.target_type, Flag.target_id, Flag.reason, Flag.text, Flag.created_at,
        Flag.reporter.display_name.as_alias("reporter_name"),
    ).where(Flag.resolved_at.is_null()).order_by(Flag.created_at).limit(limit * 3)  # fmt: skip
    items: list[dict[str, Any]] = []
    items += [{"type": "pending_thread", "created_at": row["created_at"], "thread": row} for row in pending_threads]
    items += [{"type": "pending_post", "created_at": row["created_at"], "post": row} for row in pending_posts]
    grouped: dict[tuple[str, int], dict[str, Any]] = {}
    for flag in flags:
        key = (flag["target_type"], flag["target_id"])
        if key not in grouped:
            grouped[key] = {"type": "flags", "created_at": flag["created_at"], "target_type": key[0],
                            "target_id": key[1], "flags": []}  # fmt: skip
        flag["reason_label"] = REASONS.get(flag["reason"], flag["reason"])
        grouped[key]["flags"].append(flag)
    await _attach_flag_targets(list(grouped.values()))
    items += grouped.values()
    return sorted(items, key=lambda item: item["created_at"])[:limit]


async def _attach_flag_targets(groups: list[dict[str, Any]]) -> None:
    """The flagged threads and replies, two queries for the whole queue."""
    post_ids = [g["target_id"] for g in groups if g["target_type"] == "post"]
    thread_ids = [g["target_id"] for g in groups if g["target_type"] == "thread"]
    posts = {row["id"]: row for row in await Post.select(
        Post.id, Post.thread, Post.body_html, Post.status, Post.thread.title.as_alias("thread_title"),
        Post.author.display_name.as_alias("author_name"),
    ).where(Post.id.is_in(post_ids))} if post_ids else {}  # fmt: skip
    threads = {row["id"]: row for row in await Thread.select(
        Thread.id, Thread.title, Thread.slug, Thread.status, Thread.body_html,
        Thread.author.display_name.as_alias("author_name"),
    ).where(Thread.id.is_in(thread_ids))} if thread_ids else {}  # fmt: skip
    for group in groups:
        source = posts if group["target_type"] == "post" else threads
        group["target"] = source.get(group["target_id"])
