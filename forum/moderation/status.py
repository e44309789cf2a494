"""Changing whether a thread or reply is public, inside the caller's transaction: the one writer behind hiding,
restoring, approving and the reports that hide content automatically."""

from __future__ import annotations

from forum.core import changes
from forum.core.changes import What
from forum.core.db import write_transaction
from forum.core.errors import Conflict
from forum.core.identity import CurrentUser
from forum.core.modlog import post_label, record_action
from forum.core.policy import require_moderator
from forum.core.tables import Post, Thread
from forum.core.visibility import HIDDEN, PUBLISHED
from forum.moderation.targets import load_post, load_thread
from forum.posting.service import count_published_reply


async def set_thread_status(thread_id: int, status: str, reason: str = "") -> None:
    await changes.thread(What.THREAD_STATUS_CHANGED, thread_id)
    await Thread.update({Thread.status: status, Thread.hidden_reason: reason if status == HIDDEN else ""}).where(
        Thread.id == thread_id
    )


async def set_post_status(post_id: int, status: str, reason: str = "") -> None:
    """Keeps the thread's reply count right; changes nothing when the reply already has this status."""
    post = await load_post(post_id)
    if post["status"] == status:
        return
    await changes.post(What.POST_STATUS_CHANGED, post_id, post["thread"])  # before: the old status's day counts
    await Post.update({Post.status: status, Post.hidden_reason: reason if status == HIDDEN else ""}).where(
        Post.id == post_id
    )
    if status == PUBLISHED:
        await count_published_reply(post["thread"], +1)
    elif post["status"] == PUBLISHED:
        await count_published_reply(post["thread"], -1)


async def moderate_thread_status(user: CurrentUser, thread_id: int, status: str, action: str, reason: str,
                                 private_note: str = "") -> None:  # fmt: skip
    """A moderator's status change of a thread, in one transaction with its log entry."""
    require_moderator(user)
    async with write_transaction():
        thread = await load_thread(thread_id)
        if status == PUBLISHED and thread["merged_into"]:
            # Its replies live in the target now, and its address leads there: publishing it again would show
            # an empty duplicate.
            raise Conflict(f"Topik ini sudah digabungkan ke topik #{thread['merged_into']} dan tidak dapat "
                           "diterbitkan lagi.")  # fmt: skip
        await set_thread_status(thread_id, status, reason)
        await record_action(user, action, "thread", thread_id, thread["title"], reason, private_note)
        if action == "approve_thread":
            await changes.thread(What.THREAD_APPROVED, thread_id)


async def moderate_post_status(user: CurrentUser, post_id: int, status: str, action: str, reason: str,
                               private_note: str = "") -> None:  # fmt: skip
    """A moderator's status change of a reply, in one transaction with its log entry."""
    require_moderator(user)
    async with write_transaction():
        await set_post_status(post_id, status, reason)
        post = await load_post(post_id)
        await record_action(user, action, "post", post_id, post_label(post["id"]), reason, private_note)
        if action == "approve_post":
            await changes.post(What.POST_APPROVED, post_id, post["thread"])
