"""A thread's on/off switches that only moderators turn (pinned, locked), with their log entry."""

from __future__ import annotations

from typing import Any

from forum.core.db import write_transaction
from forum.core.errors import Conflict
from forum.core.identity import CurrentUser
from forum.core.modlog import record_action
from forum.core.policy import require_moderator
from forum.core.tables import Thread
from forum.moderation.targets import load_thread


async def set_thread_switch(user: CurrentUser, thread_id: int, column: Any, value: bool, action: str,
                            reason: str) -> None:  # fmt: skip
    require_moderator(user)
    async with write_transaction():
        thread = await load_thread(thread_id)
        if action == "pin_thread" and thread["merged_into"]:
            raise Conflict(f"Topik ini sudah digabungkan ke topik #{thread['merged_into']} sehingga tidak dapat "
                           "disematkan; sematkan topik tujuannya.")  # fmt: skip
        await Thread.update({column: value}).where(Thread.id == thread_id)
        await record_action(user, action, "thread", thread_id, thread["title"], reason)
        # Nothing to publish on the change feed: no document, figure or notice depends on a pin or a lock.
