"""The good-practice gallery (Praktik Baik), filtered like the thread list."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from forum.core.errors import InvalidInput
from forum.featured.service import list_featured
from forum.threads.service import ThreadFilters, parse_filters
from forum.web.caching import PAGE_CACHE
from forum.web.forms import page, query_params


class FeaturedPages(Controller):
    include_in_schema = False

    @get("/praktik-baik", name="featured", opt=PAGE_CACHE)
    async def featured(self, request: Request[Any, Any, Any]) -> Template:
        params = query_params(request)
        try:
            filters = parse_filters(params)
        except InvalidInput:
            filters = ThreadFilters()
        return page("featured/index.html", practices=await list_featured(filters), filters=filters)
