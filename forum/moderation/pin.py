"""Pin a thread to the top of its lists, or unpin it."""

from __future__ import annotations

from forum.core.identity import CurrentUser
from forum.core.tables import Thread
from forum.moderation.switches import set_thread_switch
from forum.moderation.targets import moderation_reason


async def pin_thread(user: CurrentUser, thread_id: int, reason: object = "") -> None:
    await set_thread_switch(user, thread_id, Thread.is_pinned, True, "pin_thread", moderation_reason(reason, False))


async def unpin_thread(user: CurrentUser, thread_id: int, reason: object = "") -> None:
    await set_thread_switch(user, thread_id, Thread.is_pinned, False, "unpin_thread", moderation_reason(reason, False))
