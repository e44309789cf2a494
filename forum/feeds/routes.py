"""Feed routes: RSS 2.0 (and Atom for the latest threads). Thin: fetch, build, respond.

Anonymous readers share a micro-cached copy (PAGE_CACHE); a reader that sends If-None-Match with the
current ETag gets a 304 without the body.
"""

from __future__ import annotations

import hashlib
from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Response
from litestar.status_codes import HTTP_304_NOT_MODIFIED

from forum.core.settings import Settings, get_settings
from forum.feeds import service
from forum.feeds.builder import ATOM_MEDIA_TYPE, RSS_MEDIA_TYPE, Feed, atom, rss
from forum.web.caching import PAGE_CACHE


def _base_url(request: Request[Any, Any, Any]) -> str:
    """Absolute links come from settings, never from the Host header (a cached copy is shared by everyone)."""
    settings = request.app.state.get("settings")
    return (settings if isinstance(settings, Settings) else get_settings()).base_url


def _etag_matches(request: Request[Any, Any, Any], etag: str) -> bool:
    header = request.headers.get("if-none-match", "")
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return etag in candidates or "*" in candidates


def _respond(request: Request[Any, Any, Any], body: bytes, media_type: str) -> Response[bytes]:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if _etag_matches(request, etag):
        return Response(content=b"", status_code=HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return Response(content=body, media_type=media_type, headers={"ETag": etag})


def _rss(request: Request[Any, Any, Any], feed: Feed) -> Response[bytes]:
    return _respond(request, rss(feed), RSS_MEDIA_TYPE)


class FeedRoutes(Controller):
    include_in_schema = False

    @get(service.LATEST_RSS_PATH, name="feed_latest", opt=PAGE_CACHE, include_in_schema=False)
    async def latest(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        return _rss(request, await service.latest_feed(_base_url(request), service.LATEST_RSS_PATH))

    @get(service.LATEST_ATOM_PATH, name="feed_latest_atom", opt=PAGE_CACHE, include_in_schema=False)
    async def latest_atom(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        feed = await service.latest_feed(_base_url(request), service.LATEST_ATOM_PATH)
        return _respond(request, atom(feed), ATOM_MEDIA_TYPE)

    @get(service.FEATURED_PATH, name="feed_featured", opt=PAGE_CACHE, include_in_schema=False)
    async def featured(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        return _rss(request, await service.featured_feed(_base_url(request)))

    @get("/nilai/{slug:str}/feed.xml", name="feed_value", opt=PAGE_CACHE, include_in_schema=False)
    async def value(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[bytes]:
        return _rss(request, await service.value_feed(_base_url(request), slug))

    @get("/sektor/{slug:str}/feed.xml", name="feed_sector", opt=PAGE_CACHE, include_in_schema=False)
    async def sector(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[bytes]:
        return _rss(request, await service.sector_feed(_base_url(request), slug))

    @get("/instansi/{slug:str}/feed.xml", name="feed_agency", opt=PAGE_CACHE, include_in_schema=False)
    async def agency(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[bytes]:
        return _rss(request, await service.agency_feed(_base_url(request), slug))
