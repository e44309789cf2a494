"""Lock a thread against new replies, or unlock it. A lock needs a reason: it shows in the public log."""

from __future__ import annotations

from forum.core.identity import CurrentUser
from forum.core.tables import Thread
from forum.moderation.switches import set_thread_switch
from forum.moderation.targets import moderation_reason


async def lock_thread(user: CurrentUser, thread_id: int, reason: object = "") -> None:
    await set_thread_switch(user, thread_id, Thread.is_locked, True, "lock_thread", moderation_reason(reason))


async def unlock_thread(user: CurrentUser, thread_id: int, reason: object = "") -> None:
    await set_thread_switch(user, thread_id, Thread.is_locked, False, "unlock_thread", moderation_reason(reason, False))
