"""Approve what a new member wrote: it leaves the review queue, becomes public and is announced then."""

from __future__ import annotations

from forum.core.identity import CurrentUser
from forum.core.visibility import PUBLISHED
from forum.moderation.status import moderate_post_status, moderate_thread_status


async def approve_thread(user: CurrentUser, thread_id: int) -> None:
    await moderate_thread_status(user, thread_id, PUBLISHED, "approve_thread", "")


async def approve_post(user: CurrentUser, post_id: int) -> None:
    await moderate_post_status(user, post_id, PUBLISHED, "approve_post", "")
