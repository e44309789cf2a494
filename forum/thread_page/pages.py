"""The thread page's routes, and the same page shown again when one of its forms was refused."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from forum.core.db import read_snapshot
from forum.core.errors import NotFound
from forum.core.visibility import can_see
from forum.thread_page.page import thread_page_context
from forum.threads.service import get_thread, get_visible_thread
from forum.web.caching import PAGE_CACHE
from forum.web.forms import page


class ThreadPage(Controller):
    include_in_schema = False

    @get("/topik/{thread_id:int}")
    async def detail_short(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Redirect:
        # The canonical address carries the slug, so it is only given to those who may see the thread.
        async with read_snapshot():
            thread, merged = await _thread_to_open(request, thread_id)
            return merged or Redirect(path=thread["url"], status_code=301)

    @get("/topik/{thread_id:int}/{slug:str}", name="thread", opt=PAGE_CACHE)
    async def detail(
        self,
        request: Request[Any, Any, Any],
        thread_id: FromPath[int],
        slug: FromPath[str],
        replies_cursor: Annotated[str | None, QueryParameter(name="balasan")] = None,
    ) -> Template | Redirect:
        async with read_snapshot():
            thread, merged = await _thread_to_open(request, thread_id)
            if merged is not None:
                return merged
            if slug != thread["slug"]:
                return Redirect(path=thread["url"], status_code=301)
            return page("threads/detail.html", **await thread_page_context(request, thread, replies_cursor))


async def thread_page_again(request: Request[Any, Any, Any], thread_id: int, **refused: Any) -> Template:
    """The thread page again, the refused form open with what was typed and why not (forum.web.forms.ThreadPageAgain)."""
    thread = await get_visible_thread(thread_id, request.user)
    return page("threads/detail.html", status_code=422, **await thread_page_context(request, thread, **refused))


async def _thread_to_open(request: Request[Any, Any, Any], thread_id: int) -> tuple[dict[str, Any], Redirect | None]:
    """The thread as this viewer may open it, or where its merge leads them; "not found" if they may not see it."""
    thread = await get_thread(thread_id)
    merged = await _merged_redirect(request, thread)
    if merged is None and not can_see(request.user, thread):
        raise NotFound("Topik tidak ditemukan.")
    return thread, merged


async def _merged_redirect(request: Request[Any, Any, Any], thread: dict[str, Any]) -> Redirect | None:
    """A duplicate merged into another thread leads there (moderators see the duplicate itself), but only if
    the viewer may see where it leads; otherwise "not found", so its address reveals no hidden title. Merges
    made before chains and cycles were refused are followed to their end, and a cycle is "not found"."""
    viewer = request.user
    if not thread["merged_into"] or (viewer and viewer.is_moderator):
        return None
    seen = {thread["id"]}
    target = thread
    while target["merged_into"]:
        if target["merged_into"] in seen:
            raise NotFound("Topik tidak ditemukan.")
        seen.add(target["merged_into"])
        target = await get_thread(target["merged_into"])
    if not can_see(viewer, target):
        raise NotFound("Topik tidak ditemukan.")
    return Redirect(path=target["url"], status_code=301)
