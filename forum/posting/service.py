"""Posting replies: add, edit, and list them a page at a time."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from forum.core import changes, markup, revisions
from forum.core.changes import What
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.inputs import Input
from forum.core.pagination import Page, decode_cursor, encode_cursor
from forum.core.policy import can_edit_post
from forum.core.prepared import Prepared
from forum.core.settings import get_settings
from forum.core.tables import Post, Thread
from forum.core.trust import initial_status
from forum.core.validation import require_text
from forum.core.visibility import PUBLISHED, can_see
from forum.threads.service import get_thread
from forum.web.flood import PostingLimits, enforce_posting_limits

REPLIES_PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class ReplyInput(Input):
    """A reply as its writer sends it: the body only (thread, author, status and times are the forum's)."""

    body: object = None


def _validate_body(data: ReplyInput) -> str:
    errors: dict[str, str] = {}
    body = require_text(errors, "body", data.get("body"), "Balasan", max_len=get_settings().max_body_chars, min_len=2)
    if errors:
        raise InvalidInput(errors)
    return body


async def add_reply(
    user: CurrentUser, thread_id: int, data: ReplyInput, *, limits: PostingLimits
) -> dict[str, Any]:
    """Insert the reply, bump the thread's counters and publish it on the change feed, all in one transaction, which also
    checks and counts the author's posting limits (429 when one is reached)."""
    body = _validate_body(data)
    body_html = await markup.render_bounded(body)
    async with write_transaction():
        thread = await Thread.select(Thread.id, Thread.author, Thread.status, Thread.is_locked).where(
            Thread.id == thread_id
        ).first()
        if thread is None or not can_see(user, thread):
            raise NotFound("Topik tidak ditemukan.")
        if thread["is_locked"] and not user.is_moderator:
            raise Forbidden("Topik ini dikunci moderator; balasan baru tidak dapat ditambahkan.")
        await enforce_posting_limits(user, limits)
        moment = now()  # after the limits' lock: the next writer's interval counts from this post's time
        status = await initial_status(user)
        post = Post(thread=thread_id, author=user.id, agency=user.agency_id, body_source=body, body_html=body_html,
                    created_at=moment, status=status)  # fmt: skip
        await post.save()
        if status == PUBLISHED:
            await count_published_reply(thread_id, +1, moment)
        await revisions.record(revisions.POST, post.id, 1, user.id, {"body": body})
        # The stored time's day, even if the limits' lock was waited for past midnight.
        await changes.post(What.POST_ADDED, post.id, thread_id, actor=user, days=(moment,))
    return {"id": post.id, "thread_id": thread_id, "version": 1, "created_at": moment, "status": status}


async def count_published_reply(thread_id: int, delta: int, moment: Any = None) -> None:
    """Keep Thread.reply_count equal to its published replies (and bump activity when one appears)."""
    update: dict[Any, Any] = {Thread.reply_count: Thread.reply_count + delta}
    if delta > 0:
        update[Thread.last_activity_at] = moment or now()
    await Thread.update(update).where(Thread.id == thread_id)


async def edit_post(user: CurrentUser, post_id: int, data: ReplyInput, expected_version: object) -> dict[str, Any]:
    try:
        version = int(str(expected_version))
    except ValueError:
        raise InvalidInput({"version": "Versi wajib disertakan untuk menyunting."}) from None
    body = _validate_body(data)
    body_html = await markup.render_bounded(body)
    async with write_transaction():
        current = await Post.select(Post.id, Post.author, Post.thread, Post.version, Post.body_source).where(
            Post.id == post_id
        ).first()
        if current is None:
            raise NotFound("Balasan tidak ditemukan.")
        if not can_edit_post(user, current):
            raise Forbidden("Hanya penulis atau moderator yang dapat menyunting balasan ini.")
        if body == current["body_source"] and version == current["version"]:
            return {"id": post_id, "thread_id": current["thread"], "version": version}  # nothing changed
        if not await revisions.has_version(revisions.POST, post_id, current["version"]):
            await revisions.record(revisions.POST, post_id, current["version"], current["author"],
                                   {"body": current["body_source"]})  # fmt: skip
        updated = await Post.update(
            {Post.body_source: body, Post.body_html: body_html, Post.edited_at: now(), Post.version: Post.version + 1}
        ).where((Post.id == post_id) & (Post.version == version)).returning(Post.version)
        if not updated:
            raise Conflict(
                "Balasan ini sudah diubah sejak Anda membukanya. Muat ulang untuk melihat versi terbaru.",
                {"version": f"Versi terbaru adalah {current['version']}."},
            )
        await revisions.record(revisions.POST, post_id, updated[0]["version"], user.id, {"body": body})
        await changes.post(What.POST_EDITED, post_id, current["thread"])
    return {"id": post_id, "thread_id": current["thread"], "version": updated[0]["version"]}


_POST_FIELDS = (
    Post.id,
    Post.thread,
    Post.body_source,
    Post.body_html,
    Post.created_at,
    Post.edited_at,
    Post.version,
    Post.status,
    Post.hidden_reason,
    Post.author.id.as_alias("author_id"),
    Post.author.verified_at.as_alias("author_verified_at"),
    Post.author.display_name.as_alias("author_name"),
    Post.agency.name.as_alias("agency_name"),
    Post.agency.slug.as_alias("agency_slug"),
)


async def get_post(post_id: int) -> dict[str, Any]:
    post = await Post.select(*_POST_FIELDS).where(Post.id == post_id).first()
    if post is None:
        raise NotFound("Balasan tidak ditemukan.")
    return post


@functools.lru_cache(maxsize=256)  # a few shapes are in use; the bound is against odd ones piling up
def _replies_query(audience: str, after: bool, limit: int) -> Prepared:
    """One prepared query per shape of list_replies: who is reading, whether a cursor is given, the page size."""

    def build(thread_id: Any, *more: Any) -> Any:
        query = Post.select(*_POST_FIELDS).where(Post.thread == thread_id)
        if audience == "everyone":
            query = query.where(Post.status == PUBLISHED)
        elif audience == "member":
            query = query.where((Post.status == PUBLISHED) | (Post.author == more[0]))
        if after:
            query = query.where(Post.id > more[-1])
        return query.order_by(Post.id).limit(limit + 1)

    return Prepared(build, 1 + (audience == "member") + after, first=False)


async def list_replies(
    thread_id: int, cursor: str | None = None, limit: int = REPLIES_PER_PAGE, viewer: CurrentUser | None = None
) -> Page[dict[str, Any]]:
    """Replies oldest first, keyset-paginated on id: one query a page, authors and agencies joined in.
    Pending and hidden replies are included only for moderators and for their own author."""
    limit = max(1, min(limit, 200))
    audience = "everyone" if viewer is None else "moderator" if viewer.is_moderator else "member"
    values: list[Any] = [thread_id]
    if audience == "member":
        values.append(viewer.id)  # type: ignore[union-attr]
    if cursor:
        (after_id,) = decode_cursor(cursor, int)
        values.append(after_id)
    rows = await _replies_query(audience, bool(cursor), limit)(*values)
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_cursor=encode_cursor(rows[-1]["id"]) if more else None)


async def reply_location(post_id: int, viewer: CurrentUser | None) -> str:
    """The URL of the thread page that shows this reply, anchored at it (a permalink for notifications too).
    A reply this viewer may not see — its own status, or its thread's — is "not found", like one that never
    existed: the redirect would otherwise name the hidden thread in its slug."""
    post = await Post.select(Post.id, Post.thread, Post.status, Post.author).where(Post.id == post_id).first()
    if post is None or not can_see(viewer, post):
        raise NotFound("Balasan tidak ditemukan.")
    thread = await get_thread(post["thread"])
    if not can_see(viewer, thread):
        raise NotFound("Balasan tidak ditemukan.")
    earlier = await Post.count().where((Post.thread == post["thread"]) & (Post.id < post_id))
    within_page = earlier % REPLIES_PER_PAGE
    query = ""
    if earlier >= REPLIES_PER_PAGE:
        # The page starts after the reply just before it: the one `within_page + 1` places back.
        before = await Post.select(Post.id).where(
            (Post.thread == post["thread"]) & (Post.id < post_id)
        ).order_by(Post.id, ascending=False).offset(within_page).limit(1).first()
        query = f"?balasan={encode_cursor(before['id'])}"
    return f"{thread['url']}{query}#balasan-{post_id}"
