"""The moderation log as people read it: public without private notes (rows are written by forum.core.modlog).

Labels never carry what the public may not read: a reply is only ever "balasan #<id>" (its text is never
stored, and rows written before that rule are relabelled when read), and a thread that is not published now
(hidden, pending or merged away) is "topik #<id>" for everyone but moderators."""

from __future__ import annotations

from typing import Any

from forum.core.modlog import ACTION_LABELS, post_label
from forum.core.pagination import Page, decode_cursor, encode_cursor
from forum.core.tables import ModerationLog, Thread
from forum.core.visibility import PUBLISHED


def thread_label(thread_id: int) -> str:
    return f"topik #{thread_id}"


async def _public_thread_ids(thread_ids: set[int]) -> set[int]:
    if not thread_ids:
        return set()
    rows = await Thread.select(Thread.id).where(Thread.id.is_in(sorted(thread_ids)) & (Thread.status == PUBLISHED))
    return {row["id"] for row in rows}


async def list_actions(include_private: bool, cursor: str | None = None, limit: int = 50) -> Page[dict[str, Any]]:
    """The log, newest first. ``include_private`` is for moderators: private notes, and the titles of threads
    that are not published now; everyone else gets "topik #<id>" for those."""
    columns = [
        ModerationLog.id,
        ModerationLog.action,
        ModerationLog.target_type,
        ModerationLog.target_id,
        ModerationLog.target_label,
        ModerationLog.reason,
        ModerationLog.created_at,
        ModerationLog.actor.display_name.as_alias("actor_name"),
        ModerationLog.actor.id.as_alias("actor_id"),
    ]
    if include_private:
        columns.append(ModerationLog.private_note)
    query = ModerationLog.select(*columns)
    if cursor:
        (before,) = decode_cursor(cursor, int)
        query = query.where(ModerationLog.id < before)
    rows = await query.order_by(ModerationLog.id, ascending=False).limit(limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    thread_ids = {row["target_id"] for row in rows if row["target_type"] == "thread"}
    public_threads = thread_ids if include_private else await _public_thread_ids(thread_ids)
    for row in rows:
        row["action_label"] = ACTION_LABELS.get(row["action"], row["action"])
        if row["target_type"] == "post":
            row["target_label"] = post_label(row["target_id"])
        elif row["target_type"] == "thread" and row["target_id"] not in public_threads:
            row["target_label"] = thread_label(row["target_id"])
    return Page(items=rows, next_cursor=encode_cursor(rows[-1]["id"]) if more and rows else None)
