"""Merge a duplicate into another thread: its replies move over, and its address leads to the target."""

from __future__ import annotations

from forum.core import changes
from forum.core.changes import What
from forum.core.clock import now
from forum.core.db import is_sqlite, write_transaction
from forum.core.errors import InvalidInput
from forum.core.identity import CurrentUser
from forum.core.modlog import record_action
from forum.core.policy import require_moderator
from forum.core.tables import Post, Thread
from forum.core.visibility import HIDDEN, PUBLISHED
from forum.moderation.targets import load_thread, moderation_reason


async def merge_thread(user: CurrentUser, source_id: int, target_id: object, reason: object = "") -> None:
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
        source = await load_thread(source_id)
        destination = await load_thread(target)
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
        # Before the replies move: the source's days are found through them (they keep their days under the target).
        await changes.thread(What.THREAD_MERGED, source_id, into=target)
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
                            moderation_reason(reason, required=False) or f"digabungkan ke topik #{target}")  # fmt: skip
