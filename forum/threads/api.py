"""JSON API for threads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from forum.threads.service import (
    CASE_FIELDS,
    ThreadInput,
    create_thread,
    delete_thread,
    edit_thread,
    get_thread,
    get_visible_thread,
    list_threads,
    parse_filters,
)
from forum.web.flood import posting_limits, within_posting_limits
from forum.web.forms import query_params
from forum.web.security import requires_login


class ThreadCreate(msgspec.Struct):
    kind: str
    title: str
    body: str
    sector: str
    values: list[str]
    problem: str | None = None
    solution: str | None = None
    results: str | None = None
    stage: str | None = None
    start_year: int | None = None
    is_digital: bool | None = None


class ThreadPatch(msgspec.Struct):
    version: int
    kind: str | None = None
    title: str | None = None
    body: str | None = None
    sector: str | None = None
    values: list[str] | None = None
    problem: str | None = None
    solution: str | None = None
    results: str | None = None
    stage: str | None = None
    start_year: int | None = None
    is_digital: bool | None = None


class AuthorOut(msgspec.Struct):
    id: int
    display_name: str


class AgencyRef(msgspec.Struct):
    id: int
    name: str
    slug: str


class CaseOut(msgspec.Struct):
    problem: str
    problem_html: str
    solution: str
    solution_html: str
    results: str
    results_html: str
    stage: str | None
    start_year: int | None
    is_digital: bool | None


class ThreadSummary(msgspec.Struct):
    id: int
    url: str
    kind: str
    title: str
    sector: str
    values: list[str]
    province: str
    stage: str | None
    author: AuthorOut
    agency: AgencyRef
    created_at: datetime
    last_activity_at: datetime
    reply_count: int
    status: str
    is_pinned: bool
    is_locked: bool
    is_featured: bool
    solution_post_id: int | None


class ThreadOut(ThreadSummary):
    body: str
    body_html: str
    updated_at: datetime
    version: int
    case: CaseOut | None


class ThreadPage(msgspec.Struct):
    items: list[ThreadSummary]
    next_cursor: str | None


def _summary_kwargs(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "url": row["url"],
        "kind": row["kind"],
        "title": row["title"],
        "sector": row["sector"],
        "values": row["values"],
        "province": row["province"],
        "stage": row["stage"],
        "author": AuthorOut(id=row["author_id"], display_name=row["author_name"]),
        "agency": AgencyRef(id=row["agency_id"], name=row["agency_name"], slug=row["agency_slug"]),
        "created_at": row["created_at"],
        "last_activity_at": row["last_activity_at"],
        "reply_count": row["reply_count"],
        "status": row["status"],
        "is_pinned": row["is_pinned"],
        "is_locked": row["is_locked"],
        "is_featured": row["is_featured"],
        "solution_post_id": row["solution_post"],
    }


def thread_out(row: dict[str, Any]) -> ThreadOut:
    case = None
    if row["kind"] == "inovasi":
        texts = {}
        for name in CASE_FIELDS:
            texts[name] = row[f"{name}_source"]
            texts[f"{name}_html"] = row[f"{name}_html"]
        case = CaseOut(**texts, stage=row["stage"], start_year=row["start_year"], is_digital=row["is_digital"])
    return ThreadOut(
        **_summary_kwargs(row),
        body=row["body_source"],
        body_html=row["body_html"],
        updated_at=row["updated_at"],
        version=row["version"],
        case=case,
    )


class ThreadApi(Controller):
    path = "/threads"
    tags = ["Topik"]

    @get("/", summary="Daftar topik (filter + kursor keyset)")
    async def list(
        self,
        request: Request[Any, Any, Any],
        value: Annotated[list[str] | None, QueryParameter(description="Slug nilai BerAKHLAK; boleh berulang (OR)")] = None,
        sector: FromQuery[str | None] = None,
        province: FromQuery[str | None] = None,
        agency: Annotated[str | None, QueryParameter(description="Slug instansi")] = None,
        kind: FromQuery[str | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> ThreadPage:
        params = query_params(request)
        page = await list_threads(parse_filters(params), cursor, limit)
        return ThreadPage(items=[ThreadSummary(**_summary_kwargs(r)) for r in page.items], next_cursor=page.next_cursor)

    @post("/", guards=[requires_login, within_posting_limits], summary="Buat topik", status_code=201)
    async def create(self, request: Request[Any, Any, Any], data: JSONBody[ThreadCreate]) -> ThreadOut:
        written = ThreadInput.pick(msgspec.structs.asdict(data))
        created = await create_thread(request.user, written, limits=posting_limits(request))
        return thread_out(await get_thread(created["id"]))

    @get("/{thread_id:int}", summary="Detail topik")
    async def detail(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> ThreadOut:
        return thread_out(await get_visible_thread(thread_id, request.user))

    @delete("/{thread_id:int}", guards=[requires_login], summary="Hapus topik beserta balasannya")
    async def remove(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> None:
        await delete_thread(request.user, thread_id)

    @patch("/{thread_id:int}", guards=[requires_login], summary="Sunting topik (wajib menyertakan versi)")
    async def edit(self, request: Request[Any, Any, Any], thread_id: FromPath[int], data: JSONBody[ThreadPatch]) -> ThreadOut:
        await edit_thread(request.user, thread_id, ThreadInput.pick(msgspec.structs.asdict(data)), data.version)
        return thread_out(await get_thread(thread_id))
