"""Pages: reply to a thread, edit a reply, reply permalinks."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from forum.core.errors import Forbidden, InvalidInput
from forum.core.policy import can_edit_post
from forum.posting.service import ReplyInput, add_reply, edit_post, get_post, reply_location
from forum.web.flood import posting_limits, within_posting_limits
from forum.web.forms import ThreadPageAgainDependency, page, read_form, redirect
from forum.web.security import requires_login


class PostingPages(Controller):
    include_in_schema = False

    @post("/topik/{thread_id:int}/balas", guards=[requires_login, within_posting_limits])
    async def reply(self, request: Request[Any, Any, Any], thread_id: FromPath[int],
                    thread_page_again: ThreadPageAgainDependency) -> Template | Redirect:  # fmt: skip
        data = await read_form(request)
        try:
            created = await add_reply(request.user, thread_id, ReplyInput.pick(data), limits=posting_limits(request))
        except InvalidInput as exc:
            return await thread_page_again(request, thread_id, reply_form=data, reply_errors=exc.errors)
        return redirect(await reply_location(created["id"], request.user))

    @get("/balasan/{post_id:int}")
    async def permalink(self, request: Request[Any, Any, Any], post_id: FromPath[int]) -> Redirect:
        return redirect(await reply_location(post_id, request.user))

    @get("/balasan/{post_id:int}/ubah", guards=[requires_login])
    async def edit_form(self, request: Request[Any, Any, Any], post_id: FromPath[int]) -> Template:
        reply = await _editable_post(request, post_id)
        form = {"body": reply["body_source"], "version": reply["version"]}
        return page("posting/edit.html", reply=reply, form=form, errors={})

    @post("/balasan/{post_id:int}/ubah", guards=[requires_login])
    async def edit(self, request: Request[Any, Any, Any], post_id: FromPath[int]) -> Template | Redirect:
        reply = await _editable_post(request, post_id)
        data = await read_form(request)
        try:
            await edit_post(request.user, post_id, ReplyInput.pick(data), data.get("version"))
        except InvalidInput as exc:
            return page("posting/edit.html", status_code=422, reply=reply, form=data, errors=exc.errors)
        return redirect(await reply_location(post_id, request.user))


async def _editable_post(request: Request[Any, Any, Any], post_id: FromPath[int]) -> dict[str, Any]:
    reply = await get_post(post_id)
    if not can_edit_post(request.user, reply):
        raise Forbidden("Hanya penulis atau moderator yang dapat menyunting balasan ini.")
    return reply
