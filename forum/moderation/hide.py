"""Hide a thread or reply from everyone but its author and moderators, or restore it. Hiding needs a reason
(public, in the log) and may carry a private note for other moderators."""

from __future__ import annotations

from forum.core.identity import CurrentUser
from forum.core.validation import clean_text
from forum.core.visibility import HIDDEN, PUBLISHED
from forum.moderation.status import moderate_post_status, moderate_thread_status
from forum.moderation.targets import moderation_reason


async def hide_thread(user: CurrentUser, thread_id: int, reason: object, private_note: object = "") -> None:
    await moderate_thread_status(user, thread_id, HIDDEN, "hide_thread", moderation_reason(reason),
                                 clean_text(private_note))  # fmt: skip


async def restore_thread(user: CurrentUser, thread_id: int, reason: object = "") -> None:
    await moderate_thread_status(user, thread_id, PUBLISHED, "restore_thread", moderation_reason(reason, False))


async def hide_post(user: CurrentUser, post_id: int, reason: object, private_note: object = "") -> None:
    await moderate_post_status(user, post_id, HIDDEN, "hide_post", moderation_reason(reason), clean_text(private_note))


async def restore_post(user: CurrentUser, post_id: int, reason: object = "") -> None:
    await moderate_post_status(user, post_id, PUBLISHED, "restore_post", moderation_reason(reason, False))
