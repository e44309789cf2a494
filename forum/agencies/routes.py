"""Pages: the agency directory and an agency's own page."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from forum.agencies.service import get_agency_by_slug, list_agencies
from forum.collaboration.appreciation import received_by_agency
from forum.threads.service import ThreadFilters, list_threads
from forum.web.caching import PAGE_CACHE
from forum.web.forms import page


class AgencyPages(Controller):
    include_in_schema = False

    @get("/instansi", name="agencies")
    async def directory(self) -> Template:
        return page("agencies/list.html", agencies=await list_agencies())

    @get("/instansi/{slug:str}", name="agency", opt=PAGE_CACHE)
    async def detail(self, slug: FromPath[str], cursor: FromQuery[str | None] = None) -> Template:
        agency = await get_agency_by_slug(slug)
        threads = await list_threads(ThreadFilters(agency=slug), cursor)
        return page("agencies/detail.html", agency=agency, threads=threads,
                    appreciation_received=await received_by_agency(agency["id"]))  # fmt: skip
