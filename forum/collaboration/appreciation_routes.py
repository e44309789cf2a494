"""Appreciation: the page buttons (htmx-friendly) and the JSON API.

Page: POST /balasan/{id}/apresiasi and /topik/{id}/apresiasi with ``aksi`` = ``beri`` (default) or ``tarik``.
With an ``HX-Request`` header the answer is the updated button; otherwise 303 back to the post.
API: POST (give) and DELETE (withdraw) /api/posts/{id}/appreciation and /api/threads/{id}/appreciation,
answering ``{count, appreciated}``.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from forum.collaboration.appreciation import (
    POST,
    THREAD,
    appreciate,
    appreciation_state,
    withdraw_appreciation,
)
from forum.core.errors import Conflict, InvalidInput
from forum.posting.service import reply_location
from forum.threads.service import get_thread
from forum.web.forms import read_form, redirect
from forum.web.security import requires_login

GIVE = "beri"
WITHDRAW = "tarik"


class AppreciationOut(msgspec.Struct):
    count: int
    appreciated: bool


def _is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request", "").lower() == "true"


async def _page_action(request: Request[Any, Any, Any], target_type: str, target_id: int) -> Template | Redirect:
    data = await read_form(request)
    action = data.get("aksi") or GIVE
    if action not in (GIVE, WITHDRAW):
        raise InvalidInput({"aksi": "Tindakan apresiasi tidak dikenal."})
    act = appreciate if action == GIVE else withdraw_appreciation
    notice = ""
    try:
        state = await act(request.user, target_type, target_id)
    except Conflict as exc:
        if not _is_htmx(request):
            raise  # 409, as in the API
        # htmx does not swap error answers: show the real state (the other tab was stale) and say why.
        state = await appreciation_state(request.user, target_type, target_id)
        notice = exc.detail
    if _is_htmx(request):
        return Template(
            template_name="collaboration/appreciation_button.html",
            context={"target_type": target_type, "target_id": target_id, "count": state["count"],
                     "appreciated": state["appreciated"], "notice": notice},  # fmt: skip
        )
    if target_type == POST:
        return redirect(await reply_location(target_id, request.user))
    return redirect((await get_thread(target_id))["url"])


class AppreciationPages(Controller):
    include_in_schema = False
    guards = [requires_login]

    @post("/balasan/{post_id:int}/apresiasi", status_code=200)
    async def post_appreciation(self, request: Request[Any, Any, Any], post_id: FromPath[int]) -> Template | Redirect:
        return await _page_action(request, POST, post_id)

    @post("/topik/{thread_id:int}/apresiasi", status_code=200)
    async def thread_appreciation(
        self, request: Request[Any, Any, Any], thread_id: FromPath[int]
    ) -> Template | Redirect:
        return await _page_action(request, THREAD, thread_id)


class AppreciationApi(Controller):
    tags = ["Apresiasi"]
    guards = [requires_login]

    @post("/posts/{post_id:int}/appreciation", summary="Beri apresiasi pada balasan", status_code=201)
    async def give_post(self, request: Request[Any, Any, Any], post_id: FromPath[int]) -> AppreciationOut:
        return AppreciationOut(**await appreciate(request.user, POST, post_id))

    @delete("/posts/{post_id:int}/appreciation", summary="Tarik apresiasi pada balasan", status_code=200)
    async def withdraw_post(self, request: Request[Any, Any, Any], post_id: FromPath[int]) -> AppreciationOut:
        return AppreciationOut(**await withdraw_appreciation(request.user, POST, post_id))

    @post("/threads/{thread_id:int}/appreciation", summary="Beri apresiasi pada tulisan pembuka topik",
          status_code=201)  # fmt: skip
    async def give_thread(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> AppreciationOut:
        return AppreciationOut(**await appreciate(request.user, THREAD, thread_id))

    @delete("/threads/{thread_id:int}/appreciation", summary="Tarik apresiasi pada tulisan pembuka topik",
            status_code=200)  # fmt: skip
    async def withdraw_thread(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> AppreciationOut:
        return AppreciationOut(**await withdraw_appreciation(request.user, THREAD, thread_id))
