"""What the /cari templates show: facet groups with counts, removable filter chips, and page links.

Kept out of the templates so they stay plain markup, and out of query.py so searching knows nothing of pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from search.query import FACETS, SORT_LABELS, SearchRequest, SearchResult

PATH = "/cari"
# Facets with many possible values show the most frequent first, and only this many.
MAX_OPTIONS = 12


@dataclass(frozen=True, slots=True)
class Option:
    slug: str
    label: str
    count: int
    checked: bool
    input_id: str


@dataclass(frozen=True, slots=True)
class FacetGroup:
    param: str
    label: str
    options: list[Option]
    open: bool


@dataclass(frozen=True, slots=True)
class Chip:
    label: str
    url: str


def url_for(request: SearchRequest, **changes: Any) -> str:
    query = urlencode(request.query_params(**changes), doseq=True)
    return f"{PATH}?{query}" if query else PATH


def _label(facet_param: str, slug: str, result: SearchResult | None) -> str:
    facet = next(facet for facet in FACETS if facet.param == facet_param)
    if facet.terms is not None:
        term = facet.terms.get(slug)
        return term.label if term else slug
    return (result.agency_names.get(slug) if result else None) or slug


def facet_groups(request: SearchRequest, result: SearchResult | None) -> list[FacetGroup]:
    groups = []
    for facet in FACETS:
        counts = result.facets.get(facet.param, {}) if result else {}
        chosen = set(request.chosen(facet.param))
        if facet.terms is not None and len(facet.terms) <= MAX_OPTIONS:
            slugs = [slug for slug in facet.terms if counts.get(slug) or slug in chosen]  # vocabulary order
        else:
            ranked = sorted(counts, key=lambda slug: (-counts[slug], _label(facet.param, slug, result)))
            slugs = ranked[:MAX_OPTIONS] + sorted(chosen - set(ranked[:MAX_OPTIONS]))
        options = [
            Option(slug, _label(facet.param, slug, result), counts.get(slug, 0), slug in chosen,
                   f"f-{facet.param}-{slug}")  # fmt: skip
            for slug in slugs
        ]
        if options:
            groups.append(FacetGroup(facet.param, facet.label, options, open=bool(chosen)))
    return groups


def chips(request: SearchRequest, result: SearchResult | None) -> list[Chip]:
    out = []
    for facet in FACETS:
        chosen = request.chosen(facet.param)
        for slug in chosen:
            remaining = [other for other in chosen if other != slug]
            out.append(Chip(f"{facet.label}: {_label(facet.param, slug, result)}",
                            url_for(request, **{facet.param: remaining, "page": 1})))  # fmt: skip
    return out


def page_links(request: SearchRequest, result: SearchResult) -> list[dict[str, Any]]:
    """A short window of page numbers around the current one, with first and last."""
    last = result.total_pages
    if last <= 1:
        return []
    numbers = sorted({1, last, *range(max(1, request.page - 2), min(last, request.page + 2) + 1)})
    links: list[dict[str, Any]] = []
    previous = 0
    for number in numbers:
        if number - previous > 1:
            links.append({"gap": True})
        links.append({"number": number, "url": url_for(request, page=number), "current": number == request.page})
        previous = number
    return links


def number(value: int) -> str:
    """1234 -> "1.234", as Indonesian writes it."""
    return f"{value:,}".replace(",", ".")


def context(request: SearchRequest, result: SearchResult | None, errors: dict[str, str]) -> dict[str, Any]:
    return {
        "req": request,
        "result": result,
        "errors": errors,
        "facet_groups": facet_groups(request, result),
        "chips": chips(request, result),
        "pages": page_links(request, result) if result else [],
        "prev_url": url_for(request, page=request.page - 1) if result and request.page > 1 else None,
        "next_url": url_for(request, page=request.page + 1) if result and request.page < result.total_pages else None,
        "clear_url": url_for(SearchRequest(q=request.q, sort=request.sort)),
        "sort_labels": SORT_LABELS,
        "total_text": number(result.total) if result else "0",
    }
