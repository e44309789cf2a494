"""What a moderator acts on, and the reason they give: shared by every moderation verb."""

from __future__ import annotations

from typing import Any

from forum.core.errors import InvalidInput, NotFound
from forum.core.tables import Post, Thread
from forum.core.validation import optional_text, require_text

REASON_MAX = 1000


def moderation_reason(reason: object, required: bool = True) -> str:
    """The reason shown in the public moderation log: cleaned, bounded, and required where ``required``."""
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


async def load_thread(thread_id: int) -> dict[str, Any]:
    row = await Thread.select(
        Thread.id, Thread.title, Thread.status, Thread.is_pinned, Thread.is_locked, Thread.author, Thread.kind,
        Thread.merged_into,
    ).where(Thread.id == thread_id).first()
    if row is None:
        raise NotFound("Topik tidak ditemukan.")
    return row


async def load_post(post_id: int) -> dict[str, Any]:
    row = await Post.select(Post.id, Post.thread, Post.status, Post.author, Post.body_source).where(
        Post.id == post_id
    ).first()
    if row is None:
        raise NotFound("Balasan tidak ditemukan.")
    return row
