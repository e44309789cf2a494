"""Moderators revert a thread or a reply to an earlier revision; the revert is itself a new revision."""

from __future__ import annotations

from forum.core import revisions
from forum.core.db import write_transaction
from forum.core.identity import CurrentUser
from forum.core.modlog import post_label, record_action
from forum.core.policy import require_moderator
from forum.posting.service import ReplyInput, edit_post, get_post
from forum.threads.service import ThreadInput, get_thread, save_thread_fields, validate_thread


async def revert_thread(user: CurrentUser, thread_id: int, version: int) -> dict:
    require_moderator(user)
    revision = await revisions.get_revision(revisions.THREAD, thread_id, version)
    current = await get_thread(thread_id)
    fields = validate_thread(ThreadInput.pick(revision["content"]))
    async with write_transaction():
        result = await save_thread_fields(user, current, fields, current["version"])
        await record_action(user, "revert_thread", "thread", thread_id, current["title"], f"ke revisi {version}")
    return result


async def revert_post(user: CurrentUser, post_id: int, version: int) -> dict:
    require_moderator(user)
    revision = await revisions.get_revision(revisions.POST, post_id, version)
    current = await get_post(post_id)
    async with write_transaction():
        result = await edit_post(user, post_id, ReplyInput(body=revision["content"]["body"]), current["version"])
        await record_action(user, "revert_post", "post", post_id, post_label(post_id), f"ke revisi {version}")
    return result
