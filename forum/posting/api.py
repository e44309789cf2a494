"""JSON API for replies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from forum.core.urls import post_url
from forum.posting.service import ReplyInput, add_reply, edit_post, get_post, list_replies
from forum.threads.api import AuthorOut
from forum.threads.service import get_visible_thread
from forum.web.flood import posting_limits, within_posting_limits
from forum.web.security import requires_login


class PostCreate(msgspec.Struct):
    body: str


class PostPatch(msgspec.Struct):
    body: str
    version: int


class AuthorWithAgency(AuthorOut):
    agency_name: str
    agency_slug: str


class PostOut(msgspec.Struct):
    id: int
    thread_id: FromPath[int]
    url: str
    body: str
    body_html: str
    author: AuthorWithAgency
    created_at: datetime
    edited_at: datetime | None
    version: int
    status: str


class PostPage(msgspec.Struct):
    items: list[PostOut]
    next_cursor: str | None


def post_out(row: dict[str, Any]) -> PostOut:
    return PostOut(
        id=row["id"],
        thread_id=row["thread"],
        url=post_url(row['id']),
        body=row["body_source"],
        body_html=row["body_html"],
        author=AuthorWithAgency(
            id=row["author_id"],
            display_name=row["author_name"],
            agency_name=row["agency_name"],
            agency_slug=row["agency_slug"],
        ),
        created_at=row["created_at"],
        edited_at=row["edited_at"],
        version=row["version"],
        status=row["status"],
    )


class PostApi(Controller):
    tags = ["Balasan"]

    @get("/threads/{thread_id:int}/posts", summary="Balasan sebuah topik (kursor keyset)")
    async def list(
        self,
        request: Request[Any, Any, Any],
        thread_id: FromPath[int],
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> PostPage:
        await get_visible_thread(thread_id, request.user)  # 404 for an unknown or unseen thread, not an empty list
        page = await list_replies(thread_id, cursor, limit, viewer=request.user)
        return PostPage(items=[post_out(row) for row in page.items], next_cursor=page.next_cursor)

    @post("/threads/{thread_id:int}/posts", guards=[requires_login, within_posting_limits], summary="Balas topik", status_code=201)
    async def create(self, request: Request[Any, Any, Any], thread_id: FromPath[int], data: JSONBody[PostCreate]) -> PostOut:
        created = await add_reply(request.user, thread_id, ReplyInput(body=data.body), limits=posting_limits(request))
        return post_out(await get_post(created["id"]))

    @patch("/posts/{post_id:int}", guards=[requires_login], summary="Sunting balasan (wajib menyertakan versi)")
    async def edit(self, request: Request[Any, Any, Any], post_id: FromPath[int], data: JSONBody[PostPatch]) -> PostOut:
        await edit_post(request.user, post_id, ReplyInput(body=data.body), data.version)
        return post_out(await get_post(post_id))
