"""Pages: thread lists (all, per value, per sector), new, edit and delete forms, preview (the thread itself:
forum.thread_page)."""

from __future__ import annotations

import dataclasses
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from markupsafe import escape

from forum.core import markup
from forum.core.errors import Forbidden, InvalidInput, NotFound
from forum.core.policy import can_edit_thread, can_write
from forum.core.ratelimit import take_hit
from forum.core.settings import get_settings
from forum.core.taxonomy import SECTOR_BY_SLUG, VALUE_BY_SLUG
from forum.core.urls import threads_url
from forum.threads.service import (
    ThreadFilters,
    ThreadInput,
    create_thread,
    delete_thread,
    edit_thread,
    editable_fields,
    get_thread,
    list_threads,
    parse_filters,
)
from forum.web.caching import PAGE_CACHE
from forum.web.flood import posting_limits, within_posting_limits
from forum.web.forms import page, query_params, read_form, redirect
from forum.web.security import requires_login


class ThreadPages(Controller):
    include_in_schema = False

    @get("/topik", name="threads", opt=PAGE_CACHE)
    async def thread_list(self, request: Request[Any, Any, Any], cursor: FromQuery[str | None] = None) -> Template:
        params = query_params(request)
        params.pop("cursor", None)
        try:
            filters = parse_filters(params)
        except InvalidInput as exc:
            return page("threads/list.html", status_code=422, threads=None, filters=ThreadFilters(),
                        params={}, errors=exc.errors)  # fmt: skip
        if filters.active():
            threads, pinned = await list_threads(filters, cursor), None
        else:
            # Unfiltered, pinned topics stand in their own block on the first page and nowhere else, so none
            # is listed twice.
            threads = await list_threads(dataclasses.replace(filters, pinned=False), cursor)
            pinned = None if cursor else await list_threads(ThreadFilters(pinned=True), limit=PINNED_SHOWN)
        return page("threads/list.html", threads=threads, filters=filters, params=params, errors={},
                    pinned=pinned.items if pinned else [])  # fmt: skip

    @get("/nilai/{slug:str}", name="value", opt=PAGE_CACHE)
    async def value_page(self, slug: FromPath[str], cursor: FromQuery[str | None] = None) -> Template:
        term = VALUE_BY_SLUG.get(slug)
        if term is None:
            raise NotFound("Nilai BerAKHLAK tidak ditemukan.")
        threads = await list_threads(ThreadFilters(values=(slug,)), cursor)
        return page("threads/by_value.html", term=term, threads=threads)

    @get("/sektor/{slug:str}", name="sector", opt=PAGE_CACHE)
    async def sector_page(self, slug: FromPath[str], cursor: FromQuery[str | None] = None) -> Template:
        term = SECTOR_BY_SLUG.get(slug)
        if term is None:
            raise NotFound("Sektor tidak ditemukan.")
        threads = await list_threads(ThreadFilters(sector=slug), cursor)
        return page("threads/by_sector.html", term=term, threads=threads)

    @get("/topik/baru", guards=[requires_login], name="new_thread")
    async def new_form(self, request: Request[Any, Any, Any], kind: FromQuery[str] = "inovasi") -> Template:
        return page("threads/new.html", form={"kind": kind, "values": []}, errors={},
                    can={"write": can_write(request.user)})  # fmt: skip

    @post("/topik/baru", guards=[requires_login, within_posting_limits])
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await read_form(request)
        try:
            created = await create_thread(request.user, ThreadInput.pick(data), limits=posting_limits(request))
        except InvalidInput as exc:
            return page("threads/new.html", status_code=422, form=data, errors=exc.errors, can={"write": True})
        return redirect(created["url"])

    @get("/topik/{thread_id:int}/ubah", guards=[requires_login])
    async def edit_form(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Template:
        thread = await _editable_thread(request, thread_id)
        form = {**editable_fields(thread), "version": thread["version"]}
        return page("threads/edit.html", thread=thread, form=form, errors={})

    @post("/topik/{thread_id:int}/ubah", guards=[requires_login])
    async def edit(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Template | Redirect:
        thread = await _editable_thread(request, thread_id)
        data = await read_form(request)
        data.setdefault("values", [])
        try:
            result = await edit_thread(request.user, thread_id, ThreadInput.pick(data), data.get("version"))
        except InvalidInput as exc:
            return page("threads/edit.html", status_code=422, thread=thread, form=data, errors=exc.errors)
        return redirect(result["url"])

    @get("/topik/{thread_id:int}/hapus", guards=[requires_login])
    async def delete_confirm(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Template:
        return page("threads/delete.html", thread=await _editable_thread(request, thread_id, "menghapus"))

    @post("/topik/{thread_id:int}/hapus", guards=[requires_login])
    async def delete(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Redirect:
        await delete_thread(request.user, thread_id)
        return redirect(threads_url(dihapus=1))

    @post("/pratinjau", name="preview", status_code=200, guards=[requires_login])
    async def preview(self, request: Request[Any, Any, Any]) -> Response[str]:
        """htmx: the Markdown of the editor that asked, rendered exactly as it will be stored. Signed-in people
        only, and rate-limited: rendering is the costliest thing a form can ask for."""
        await take_hit("preview", str(request.user.id), PREVIEWS_PER_MINUTE, 60, _TOO_MANY_PREVIEWS)
        data = await read_form(request)
        source = _text_to_preview(data)
        limit = get_settings().max_body_chars
        try:
            html = await markup.render_bounded(source[:limit])
        except markup.MarkupTooComplex as exc:
            message = escape(exc.errors[exc.field])
            return Response(content=f'<p class="field-error">{message}</p>', media_type="text/html", status_code=422)
        return Response(content=html or '<p class="muted">Belum ada isi untuk dipratinjau.</p>', media_type="text/html")


PREVIEWS_PER_MINUTE = 60
PINNED_SHOWN = 20  # moderators pin a handful; a block longer than this would bury the list


def _text_to_preview(data: dict[str, Any]) -> str:
    """The editor's text: the field ``preview_of`` names (a case form has several editors, a kind radio and
    more); a form sending one field alone may leave the name out."""
    named = data.get("preview_of")
    if isinstance(named, str) and named != "preview_of":
        value = data.get(named)
        return value if isinstance(value, str) else ""
    texts = [value for key, value in data.items() if isinstance(value, str) and key != "_csrf_token"]
    return texts[0] if len(texts) == 1 else ""
_TOO_MANY_PREVIEWS = "Terlalu banyak pratinjau. Coba lagi dalam {minutes} menit."


async def _editable_thread(request: Request[Any, Any, Any], thread_id: int, verb: str = "menyunting") -> dict[str, Any]:
    thread = await get_thread(thread_id)
    if not can_edit_thread(request.user, thread):
        raise Forbidden(f"Hanya penulis atau moderator yang dapat {verb} topik ini.")
    return thread
