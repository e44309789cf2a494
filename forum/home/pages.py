"""The home page: the latest threads and the featured good practices."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from forum.featured.service import list_featured
from forum.threads.service import ThreadFilters, list_threads
from forum.web.caching import PAGE_CACHE
from forum.web.forms import page

HOME_THREADS = 10
HOME_FEATURED = 6


class HomePages(Controller):
    include_in_schema = False

    @get("/", name="home", opt=PAGE_CACHE)
    async def home(self) -> Template:
        latest = await list_threads(ThreadFilters(), limit=HOME_THREADS)
        featured = await list_featured(limit=HOME_FEATURED)
        return page("home/index.html", latest=latest.items, featured=featured)
