"""Pages: home, thread lists (all, per value, per sector), thread detail, new and edit forms, preview."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from markupsafe import escape

from forum import markup
from forum.ratelimit import take_hit
from forum.caching import PAGE_CACHE
from forum.db import read_snapshot
from forum.errors import Forbidden, InvalidInput, NotFound
from forum.permissions import can_edit_thread
from forum.collaboration.appreciation import page_appreciations
from forum.collaboration.indicators import impact_section
from forum.notifications import watches as notification_watches
from forum.commitments.service import commitments_of_thread, today
from forum.featured.service import featured_note, list_featured
from forum.replication.service import replications_of
from forum.flood import posting_limits, within_posting_limits
from forum.posting.service import get_post, list_replies
from forum.visibility import can_see
from forum.security import requires_login
from forum.settings import get_settings
from forum.taxonomy import SECTOR_BY_SLUG, VALUE_BY_SLUG
from forum.threads.service import (
    ThreadFilters,
    ThreadInput,
    create_thread,
    delete_thread,
    editable_fields,
    edit_thread,
    get_thread,
    list_threads,
    parse_filters,
)
from forum.web import page, query_params, read_form, redirect

HOME_THREADS = 10
HOME_FEATURED = 6


class ThreadPages(Controller):
    include_in_schema = False

    @get("/", name="home", opt=PAGE_CACHE)
    async def home(self) -> Template:
        latest = await list_threads(ThreadFilters(), limit=HOME_THREADS)
        featured = await list_featured(limit=HOME_FEATURED)
        return page("home/index.html", latest=latest.items, featured=featured)

    @get("/topik", name="threads", opt=PAGE_CACHE)
    async def thread_list(self, request: Request[Any, Any, Any], cursor: FromQuery[str | None] = None) -> Template:
        params = query_params(request)
        params.pop("cursor", None)
        try:
            filters = parse_filters(params)
        except InvalidInput as exc:
            return page("threads/list.html", status_code=422, threads=None, filters=ThreadFilters(),
                        params={}, errors=exc.errors)  # fmt: skip
        threads = await list_threads(filters, cursor)
        pinned = await list_threads(ThreadFilters(pinned=True), limit=5) if not cursor and not filters.active() else None
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

    @get("/praktik-baik", name="featured", opt=PAGE_CACHE)
    async def featured(self, request: Request[Any, Any, Any]) -> Template:
        params = query_params(request)
        try:
            filters = parse_filters(params)
        except InvalidInput:
            filters = ThreadFilters()
        return page("featured/index.html", practices=await list_featured(filters), filters=filters)

    @get("/topik/baru", guards=[requires_login], name="new_thread")
    async def new_form(self, kind: FromQuery[str] = "inovasi") -> Template:
        return page("threads/new.html", form={"kind": kind, "values": []}, errors={})

    @post("/topik/baru", guards=[requires_login, within_posting_limits])
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await read_form(request)
        try:
            created = await create_thread(request.user, ThreadInput.pick(data), limits=posting_limits(request))
        except InvalidInput as exc:
            return page("threads/new.html", status_code=422, form=data, errors=exc.errors)
        return redirect(created["url"])

    @get("/topik/{thread_id:int}")
    async def detail_short(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Redirect:
        # The canonical address carries the slug, so it is only given to those who may see the thread.
        async with read_snapshot():
            thread, merged = await _thread_to_open(request, thread_id)
            return merged or Redirect(path=thread["url"], status_code=301)

    @get("/topik/{thread_id:int}/{slug:str}", name="thread", opt=PAGE_CACHE)
    async def detail(
        self, request: Request[Any, Any, Any], thread_id: FromPath[int], slug: FromPath[str], balasan: FromQuery[str | None] = None
    ) -> Template | Redirect:
        async with read_snapshot():
            thread, merged = await _thread_to_open(request, thread_id)
            if merged is not None:
                return merged
            if slug != thread["slug"]:
                return Redirect(path=thread["url"], status_code=301)
            return page("threads/detail.html", **await thread_page_context(request, thread, balasan))

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
        return redirect("/topik?dihapus=1")

    @post("/pratinjau", name="preview", status_code=200, guards=[requires_login])
    async def preview(self, request: Request[Any, Any, Any]) -> Response[str]:
        """htmx: the Markdown of the editor that asked, rendered exactly as it will be stored. Signed-in people
        only, and rate-limited: rendering is the costliest thing a form can ask for."""
        await take_hit("preview", str(request.user.id), PREVIEWS_PER_MINUTE, 60, _TOO_MANY_PREVIEWS)
        data = await read_form(request)
        source = next((v for v in data.values() if isinstance(v, str) and v.strip()), "")
        limit = get_settings().max_body_chars
        try:
            html = await markup.render_bounded(source[:limit])
        except markup.MarkupTooComplex as exc:
            message = escape(exc.errors[exc.field])
            return Response(content=f'<p class="field-error">{message}</p>', media_type="text/html", status_code=422)
        return Response(content=html or '<p class="muted">Belum ada isi untuk dipratinjau.</p>', media_type="text/html")


PREVIEWS_PER_MINUTE = 60
_TOO_MANY_PREVIEWS = "Terlalu banyak pratinjau. Coba lagi dalam {minutes} menit."


async def thread_page_context(
    request: Request[Any, Any, Any], thread: dict[str, Any], replies_cursor: str | None = None, **extra: Any
) -> dict[str, Any]:
    """Everything the thread page shows, in a fixed number of queries (shared with the reply form's errors)."""
    viewer = request.user
    replies = await list_replies(thread["id"], replies_cursor, viewer=viewer)
    solution = None
    if thread["solution_post"]:
        candidate = await get_post(thread["solution_post"])
        solution = candidate if can_see(viewer, candidate) else None
    return {
        "thread": thread,
        "replies": replies,
        "replications": (await replications_of([thread["id"]])).get(thread["id"], []) if thread["kind"] == "inovasi" else [],
        "commitments": await commitments_of_thread(thread["id"]),
        "appreciation": await page_appreciations(viewer, thread["id"], [r["id"] for r in replies.items]),
        "impact": await impact_section(viewer, thread),
        "watching": await notification_watches.is_watching(viewer, "thread", thread["id"]),
        "today": today(),
        "solution": solution,
        "featured": await featured_note(thread["id"]) if thread["is_featured"] else None,
        "can_edit": can_edit_thread(viewer, thread),
        "reply_form": {},
        "reply_errors": {},
        "commitment_form": {},
        "commitment_errors": {},
        **extra,
    }


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


async def _editable_thread(request: Request[Any, Any, Any], thread_id: int, verb: str = "menyunting") -> dict[str, Any]:
    thread = await get_thread(thread_id)
    if not can_edit_thread(request.user, thread):
        raise Forbidden(f"Hanya penulis atau moderator yang dapat {verb} topik ini.")
    return thread
