"""GET /cari (the search page, with an htmx partial for search-as-you-type) and GET /api/search (JSON)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get
from litestar.params import QueryParameter
from litestar.response import Template

from forum.core.errors import InvalidInput
from search import page as view
from search.query import SearchRequest, SearchResult, parse_search_params, run_search
from search.service import search_service


def _params(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    return {key: request.query_params.getall(key) for key in request.query_params.keys()}


async def _search(request: Request[Any, Any, Any], search: SearchRequest) -> SearchResult:
    service = search_service(request.app)
    if service is None:  # not configured: the database fallback still answers
        return await run_search(None, "", search)
    return await service.search(search)


def _is_partial(request: Request[Any, Any, Any]) -> bool:
    # A history restore after a cache miss needs the whole page, not the fragment.
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-history-restore-request") != "true"


@get("/cari", name="search", include_in_schema=False, cache=False)
async def search_page(request: Request[Any, Any, Any]) -> Template:
    partial = _is_partial(request)
    try:
        search = parse_search_params(_params(request))
        result: SearchResult | None = await _search(request, search)
        errors: dict[str, str] = {}
        status = 200
    except InvalidInput as exc:
        search, result, errors = (
            SearchRequest(q=" ".join(str(request.query_params.get("q", "")).split())[:200]),
            None,
            exc.errors,
        )
        # htmx does not swap 4xx responses by default; the fragment shows the errors with a 200 instead.
        status = 200 if partial else 422
    return Template(
        template_name="search/_results.html" if partial else "search/index.html",
        context=view.context(search, result, errors),
        status_code=status,
        headers={"Vary": "HX-Request"},
    )


_REPEAT = "Boleh berulang: beberapa nilai digabung dengan ATAU; antar-filter digabung dengan DAN."


@get(
    "/api/search",
    tags=["Pencarian"],
    summary="Cari topik (kata kunci, filter, urutan, halaman)",
    description="Pencarian teks penuh dengan sinonim singkatan, toleransi salah ketik, dan pencocokan kata dasar. "
    "Bila mesin pencari tidak tersedia, hanya judul yang dicocokkan dan `degraded` bernilai true.",
    cache=False,
)
async def search_api(
    request: Request[Any, Any, Any],
    q: Annotated[str | None, QueryParameter(description="Kata kunci")] = None,
    value: Annotated[list[str] | None, QueryParameter(description=f"Slug nilai BerAKHLAK. {_REPEAT}")] = None,
    sector: Annotated[list[str] | None, QueryParameter(description=f"Slug sektor. {_REPEAT}")] = None,
    province: Annotated[list[str] | None, QueryParameter(description=f"Slug provinsi. {_REPEAT}")] = None,
    agency: Annotated[list[str] | None, QueryParameter(description=f"Slug instansi. {_REPEAT}")] = None,
    kind: Annotated[list[str] | None, QueryParameter(description=f"inovasi, permasalahan, diskusi. {_REPEAT}")] = None,
    stage: Annotated[list[str] | None, QueryParameter(description=f"inisiatif, uji-coba, penerapan. {_REPEAT}")] = None,
    sort: Annotated[str | None, QueryParameter(description="relevan (bawaan), terbaru, aktif, balasan")] = None,
    page: Annotated[str | None, QueryParameter(description="Halaman, mulai dari 1")] = None,
    per_page: Annotated[str | None, QueryParameter(description="Hasil per halaman, 1–50 (bawaan 20)")] = None,
) -> dict[str, Any]:
    # The typed parameters document the API; the values are read from the raw query so that every problem
    # (e.g. page=abc) gets the same Indonesian 422 from parse_search_params.
    search = parse_search_params(_params(request))
    return (await _search(request, search)).as_json()


route_handlers = [search_page, search_api]
