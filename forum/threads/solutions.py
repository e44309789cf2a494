"""Accepted solutions: the asker (or a moderator) marks the reply that solved a "permasalahan"."""

from __future__ import annotations

from forum.core import changes
from forum.core.changes import What
from forum.core.db import write_transaction
from forum.core.errors import Forbidden, InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.modlog import record_action
from forum.core.tables import Post, Thread
from forum.core.visibility import PUBLISHED


async def _solvable_thread(user: CurrentUser, thread_id: int) -> dict:
    thread = await Thread.select(Thread.id, Thread.title, Thread.kind, Thread.author).where(Thread.id == thread_id).first()
    if thread is None:
        raise NotFound("Topik tidak ditemukan.")
    if not (user.is_moderator or thread["author"] == user.id):
        raise Forbidden("Hanya penanya atau moderator yang dapat menandai solusi.")
    if thread["kind"] != "permasalahan":
        raise InvalidInput({"post_id": "Solusi hanya dapat ditandai pada topik Permasalahan."})
    return thread


async def mark_solution(user: CurrentUser, thread_id: int, post_id: object) -> None:
    try:
        reply_id = int(str(post_id))
    except ValueError:
        raise InvalidInput({"post_id": "Pilih balasan yang menjadi solusi."}) from None
    async with write_transaction():
        thread = await _solvable_thread(user, thread_id)
        reply = Post.id == reply_id
        reply &= Post.thread == thread_id
        reply &= Post.status == PUBLISHED
        if not await Post.exists().where(reply):
            raise InvalidInput({"post_id": "Balasan itu tidak ada di topik ini."})
        await Thread.update({Thread.solution_post: reply_id}).where(Thread.id == thread_id)
        if user.is_moderator and thread["author"] != user.id:
            await record_action(user, "mark_solution", "thread", thread_id, thread["title"], f"balasan #{reply_id}")
        await changes.thread(What.SOLUTION_CHANGED, thread_id)


async def unmark_solution(user: CurrentUser, thread_id: int) -> None:
    async with write_transaction():
        thread = await _solvable_thread(user, thread_id)
        await Thread.update({Thread.solution_post: None}).where(Thread.id == thread_id)
        if user.is_moderator and thread["author"] != user.id:
            await record_action(user, "unmark_solution", "thread", thread_id, thread["title"])
        await changes.thread(What.SOLUTION_CHANGED, thread_id)
