"""Searching threads: parse the request, ask Meilisearch, and shape hits with safe highlights and facet counts.

How one search runs (measured on Meilisearch 1.21, see the module's tests):
* Two queries merged by federated multi-search: the user's words against the raw text, and their Sastrawi
  stems (weighted lower) against the ``stemmed`` field and the text fields, so "melayani" finds a case that
  only says "pelayanan" (the ``stemmed`` field holds only the stems a thread lacks as words, see
  search.stemming.new_stems). Appending stems to the user's query instead made recall worse (STACK-NOTES).
* Federation keeps facets: ``facetsByIndex`` counts each matching thread once over the union of both queries
  (a thread matched by both counted 1, not 2), and with ``sort`` as the first ranking rule the merged list
  is strictly in the requested order. Federation has no page/hitsPerPage on 1.21, so paging is limit/offset
  and the total is ``estimatedTotalHits`` (exact below maxTotalHits).
* Facet counts are disjunctive: for a facet with a selection, its counts come from the same search without
  that facet's own filter (one more federated request, run concurrently), so ticking "Jawa Tengah" still
  shows how many threads "Jawa Barat" would add (OR within a facet, AND across facets).
* Meilisearch's ``_formatted`` text is NOT escaped. Highlights use control-character sentinels; the text is
  HTML-escaped first and only then are the sentinels turned into <mark>.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import math
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from meilisearch_python_sdk import AsyncClient
from piccolo.columns.combination import WhereRaw

from forum.core.db import is_sqlite
from forum.core.errors import InvalidInput
from forum.core.tables import Agency, SearchMiss, Thread, ThreadValue
from forum.core.taxonomy import KIND_BY_SLUG, PROVINCE_BY_SLUG, SECTOR_BY_SLUG, STAGE_BY_SLUG, VALUE_BY_SLUG, Term
from forum.core.urls import thread_url
from forum.core.visibility import PUBLISHED
from search.documents import plain_text
from search.settings import MAX_TOTAL_HITS, RAW_SEARCHABLE, STEMMED_FIELD, TEXT_FIELDS
from search.stemming import stem_text, stem_word
from search.vocabulary import normalize, rewrite_query

logger = logging.getLogger("sinergi.search")

SORTS: dict[str, list[str]] = {
    "relevan": [],
    "terbaru": ["created_at:desc"],
    "aktif": ["last_activity_at:desc"],
    "balasan": ["reply_count:desc", "last_activity_at:desc"],
    "replikasi": ["replication_count:desc", "last_activity_at:desc"],
}
SORT_LABELS = {
    "relevan": "Paling relevan",
    "terbaru": "Terbaru",
    "aktif": "Aktivitas terakhir",
    "balasan": "Balasan terbanyak",
    "replikasi": "Paling banyak direplikasi",
}
PER_PAGE = 20
PER_PAGE_MAX = 50
QUERY_MAX_CHARS = 200
MAX_CHOICES_PER_FACET = 20
# A search inside a page view must fail fast, so the fallback can answer instead.
SEARCH_TIMEOUT_SECONDS = 2.0
# Stem matches rank below matches of the words as typed.
STEMMED_WEIGHT = 0.8
SNIPPET_FIELDS = ["problem", "solution", "results", "body", "replies"]
SNIPPET_WORDS = 28
# The stems are searched in the ``stemmed`` field (the stems a thread lacks as words, see search.stemming.new_stems)
# and in the text itself (the stems it has as words).
STEM_SEARCHABLE = [STEMMED_FIELD, *TEXT_FIELDS]
# Agency names shown beside facet counts change rarely: kept this long instead of read on every search.
AGENCY_NAMES_TTL_SECONDS = 60.0
HIT_FIELDS = ["id", "url", "title", "kind", "sector", "values", "province", "agency", "agency_name", "author_name",
              "stage", "featured", "answered", "created_at", "last_activity_at", "reply_count",
              "replication_count"]  # fmt: skip
_PRE, _POST = "\x02", "\x03"  # highlight sentinels; documents never contain them (search.documents)
_CROP_OPTIONS = {"cropLength": SNIPPET_WORDS, "cropMarker": "…", "highlightPreTag": _PRE, "highlightPostTag": _POST}

_AGENCY_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # never part of a query (and \x02/\x03 are the highlight sentinels)


@dataclass(frozen=True, slots=True)
class Facet:
    """A filter that is also counted: its query parameter, document attribute, vocabulary and wording."""

    param: str
    attribute: str
    terms: Mapping[str, Any] | None  # None: checked against the database (agencies)
    label: str
    aliases: tuple[str, ...]


FACETS: tuple[Facet, ...] = (
    Facet("value", "values", VALUE_BY_SLUG, "Nilai BerAKHLAK", ("nilai", "values")),
    Facet("sector", "sector", SECTOR_BY_SLUG, "Sektor", ("sektor",)),
    Facet("province", "province", PROVINCE_BY_SLUG, "Provinsi", ("provinsi",)),
    Facet("agency", "agency", None, "Instansi", ("instansi",)),
    Facet("kind", "kind", KIND_BY_SLUG, "Jenis topik", ("jenis",)),
    Facet("stage", "stage", STAGE_BY_SLUG, "Tahap", ("tahap",)),
    # Booleans are filtered as "true"/"false" by Meilisearch.
    Facet("featured", "featured", {"true": Term("true", "Praktik Baik Pilihan")}, "Kurasi", ("pilihan",)),
    Facet("answered", "answered", {"true": Term("true", "Sudah terjawab"), "false": Term("false", "Belum terjawab")},
          "Status jawaban", ("terjawab",)),  # fmt: skip
    Facet("replicated", "replicated", {"true": Term("true", "Sudah direplikasi")}, "Replikasi", ("direplikasi",)),
)


@dataclass(frozen=True, slots=True)
class SearchRequest:
    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # facet param -> chosen slugs
    sort: str = "relevan"
    page: int = 1
    per_page: int = PER_PAGE

    def chosen(self, param: str) -> tuple[str, ...]:
        return self.filters.get(param, ())

    def active_filters(self) -> dict[str, list[str]]:
        return {param: list(slugs) for param, slugs in self.filters.items() if slugs}

    def query_params(self, **changes: Any) -> dict[str, Any]:
        """This request as query parameters (for links), with some changed; page 1 and defaults are left out."""
        params: dict[str, Any] = {"q": self.q, **self.active_filters(), "sort": self.sort, "page": self.page}
        params.update(changes)
        if params.get("sort") == "relevan":
            params.pop("sort")
        if params.get("page") in (1, "1", None):
            params.pop("page", None)
        return {key: value for key, value in params.items() if value not in (None, "", [], ())}


@dataclass(slots=True)
class SearchResult:
    hits: list[dict[str, Any]]
    facets: dict[str, dict[str, int]]
    total: int
    page: int
    per_page: int
    degraded: bool = False
    agency_names: dict[str, str] = field(default_factory=dict)  # facet labels for the page
    took_ms: float = 0.0

    @property
    def total_pages(self) -> int:
        return math.ceil(min(self.total, MAX_TOTAL_HITS) / self.per_page) if self.total else 0

    def as_json(self) -> dict[str, Any]:
        hits = [{**hit, "created_at": _iso(hit["created_at"]), "last_activity_at": _iso(hit["last_activity_at"])}
                for hit in self.hits]  # fmt: skip
        return {"hits": hits, "facets": self.facets, "total": self.total, "page": self.page,
                "per_page": self.per_page, "total_pages": self.total_pages, "degraded": self.degraded}  # fmt: skip


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# --- parsing -------------------------------------------------------------------------------------------------


def _many(params: Mapping[str, Any], *names: str) -> list[str]:
    out: list[str] = []
    for name in names:
        raw = params.get(name)
        items = [raw] if isinstance(raw, str) else list(raw or [])
        out.extend(item.strip() for item in items if isinstance(item, str) and item.strip())
    return list(dict.fromkeys(out))


def _one(params: Mapping[str, Any], *names: str) -> str:
    values = _many(params, *names)
    return values[-1] if values else ""


def _positive_int(errors: dict[str, str], name: str, raw: str, default: int, message: str) -> int:
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        errors[name] = message
        return default
    if value < 1:
        errors[name] = message
    return value


def parse_search_params(params: Mapping[str, list[str] | str]) -> SearchRequest:
    """A SearchRequest from query parameters (English names, or the Indonesian ones), or InvalidInput."""
    errors: dict[str, str] = {}
    q = " ".join(_CONTROL.sub(" ", _one(params, "q")).split())
    if len(q) > QUERY_MAX_CHARS:
        errors["q"] = f"Kata kunci paling panjang {QUERY_MAX_CHARS} karakter."
    filters: dict[str, tuple[str, ...]] = {}
    for facet in FACETS:
        chosen = _many(params, facet.param, *facet.aliases)
        if len(chosen) > MAX_CHOICES_PER_FACET:
            errors[facet.param] = f"{facet.label}: paling banyak {MAX_CHOICES_PER_FACET} pilihan."
            continue
        if facet.terms is not None:
            unknown = [slug for slug in chosen if slug not in facet.terms]
        else:
            unknown = [slug for slug in chosen if not _AGENCY_SLUG.match(slug)]
        if unknown:
            errors[facet.param] = f"{facet.label} tidak dikenal: {', '.join(slug[:40] for slug in unknown[:3])}."
        filters[facet.param] = tuple(chosen)
    improvement = _one(params, "min_improvement", "peningkatan")
    if improvement:
        if not improvement.isdigit() or not 1 <= int(improvement) <= 10_000:
            errors["min_improvement"] = "Peningkatan minimal harus bilangan bulat 1 sampai 10000 (persen)."
        else:
            filters["min_improvement"] = (improvement,)
    if _one(params, "improvement_verified", "terverifikasi") in {"true", "1", "ya"}:
        filters["improvement_verified"] = ("true",)
    sort = _one(params, "sort", "urut") or "relevan"
    if sort not in SORTS:
        errors["sort"] = f"Urutan harus salah satu dari: {', '.join(SORTS)}."
    per_page = _positive_int(errors, "per_page", _one(params, "per_page"), PER_PAGE,
                             f"Jumlah per halaman harus bilangan bulat 1 sampai {PER_PAGE_MAX}.")  # fmt: skip
    if per_page > PER_PAGE_MAX:
        errors["per_page"] = f"Jumlah per halaman harus bilangan bulat 1 sampai {PER_PAGE_MAX}."
    page = _positive_int(
        errors, "page", _one(params, "page", "halaman"), 1, "Halaman harus bilangan bulat mulai dari 1."
    )
    last_page = math.ceil(MAX_TOTAL_HITS / max(1, min(per_page, PER_PAGE_MAX)))
    if "page" not in errors and page > last_page:
        errors["page"] = f"Halaman paling jauh {last_page}; persempit pencarian dengan kata kunci atau filter."
    if errors:
        raise InvalidInput(errors, detail="Parameter pencarian tidak valid.")
    return SearchRequest(q=q, filters=filters, sort=sort, page=page, per_page=per_page)


async def ensure_known_agencies(request: SearchRequest) -> None:
    """Agencies are rows, not a fixed vocabulary: an unknown slug is a 422 like any other unknown filter."""
    chosen = request.chosen("agency")
    if not chosen:
        return
    rows = await Agency.select(Agency.slug).where(Agency.slug.is_in(list(chosen)))
    unknown = sorted(set(chosen) - {row["slug"] for row in rows})
    if unknown:
        raise InvalidInput({"agency": f"Instansi tidak dikenal: {', '.join(unknown[:3])}."},
                           detail="Parameter pencarian tidak valid.")  # fmt: skip


_agency_names: dict[str, str] = {}
_agency_names_since = 0.0


async def agency_names(slugs: Sequence[str]) -> dict[str, str]:
    """Names of agencies by slug, from a cache emptied every AGENCY_NAMES_TTL_SECONDS (a search lists up to
    MAX_VALUES_PER_FACET agencies: reading their names cost ~5 ms a search on SQLite); a rename shows within it."""
    global _agency_names_since
    if not slugs:
        return {}
    if time.monotonic() - _agency_names_since > AGENCY_NAMES_TTL_SECONDS:
        _agency_names.clear()
        _agency_names_since = time.monotonic()
    missing = [slug for slug in slugs if slug not in _agency_names]
    if missing:
        rows = await Agency.select(Agency.slug, Agency.name).where(Agency.slug.is_in(missing))
        _agency_names.update({row["slug"]: row["name"] for row in rows})
    return {slug: _agency_names[slug] for slug in slugs if slug in _agency_names}


# --- highlighting --------------------------------------------------------------------------------------------


def marked_html(text: str) -> str:
    """Escape ``text`` (which may carry highlight sentinels), then turn the sentinels into <mark> tags."""
    return html.escape(text, quote=True).replace(_PRE, "<mark>").replace(_POST, "</mark>")


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def mark_stems(text: str, stems: set[str]) -> str:
    """Put sentinels around whole words whose stem is one of ``stems`` (for matches found through stemming)."""
    if not stems:
        return text
    return _WORD.sub(
        lambda m: f"{_PRE}{m.group(0)}{_POST}" if stem_word(m.group(0).lower()) in stems else m.group(0), text
    )


def _unmarked(text: str) -> str:
    return text.replace(_PRE, "").replace(_POST, "")


def _shape_hit(hit: dict[str, Any], stems: set[str]) -> dict[str, Any]:
    formatted = hit.get("_formatted") or {}
    texts = [formatted.get(name) or "" for name in SNIPPET_FIELDS]
    title = formatted.get("title") or hit.get("title", "")
    if (hit.get("_federation") or {}).get("queriesPosition", 0) == 1:
        # Found through stems: Meilisearch marks prefixes of the stem ("<Layan>an"); mark whole words by
        # their stem instead, in the title and in the first snippet field that has one.
        title = mark_stems(_unmarked(title), stems)
        texts = [_unmarked(text) for text in texts]
        snippet = next((marked for text in texts if text and _PRE in (marked := mark_stems(text, stems))), "")
    else:
        snippet = next((text for text in texts if _PRE in text), "")
    if not snippet:
        snippet = texts[SNIPPET_FIELDS.index("problem")] or texts[SNIPPET_FIELDS.index("body")]
    return {
        "id": hit["id"],
        "url": hit["url"],
        "title": marked_html(title),
        "snippet": marked_html(snippet),
        "kind": hit.get("kind"),
        "sector": hit.get("sector"),
        "values": hit.get("values") or [],
        "province": hit.get("province"),
        "agency": hit.get("agency"),
        "agency_name": hit.get("agency_name"),
        "author_name": hit.get("author_name"),
        "stage": hit.get("stage"),
        "featured": bool(hit.get("featured")),
        "answered": bool(hit.get("answered")),
        "created_at": datetime.fromtimestamp(hit.get("created_at") or 0, tz=UTC),
        "last_activity_at": datetime.fromtimestamp(hit.get("last_activity_at") or 0, tz=UTC),
        "reply_count": hit.get("reply_count") or 0,
    }


# --- Meilisearch ---------------------------------------------------------------------------------------------


def _filter_expression(request: SearchRequest, without: str | None = None) -> list[str]:
    """AND across facets, OR (IN) within one. Slugs were validated; json.dumps quotes them anyway."""
    clauses = []
    for facet in FACETS:
        chosen = request.chosen(facet.param)
        if chosen and facet.param != without:
            clauses.append(f"{facet.attribute} IN [{', '.join(json.dumps(slug) for slug in chosen)}]")
    if request.chosen("min_improvement"):
        # Impact indicators: the case's best improvement (verified ones only, if asked) of at least N percent.
        attribute = "best_verified_improvement" if request.chosen("improvement_verified") else "best_improvement"
        clauses.append(f"{attribute} >= {int(request.chosen('min_improvement')[0])}")
    return clauses


def _federated_body(uid: str, request: SearchRequest, *, filters: list[str], facets: list[str], limit: int,
                    offset: int) -> dict[str, Any]:  # fmt: skip
    q = rewrite_query(request.q) if request.q else ""
    base: dict[str, Any] = {"indexUid": uid, "attributesToRetrieve": HIT_FIELDS}
    if filters:
        base["filter"] = filters
    if SORTS[request.sort]:
        base["sort"] = SORTS[request.sort]
    if limit and q:
        base.update(attributesToHighlight=["title", *SNIPPET_FIELDS], attributesToCrop=SNIPPET_FIELDS, **_CROP_OPTIONS)
    elif limit:
        # No words, nothing to highlight: the snippet is the start of the problem, or of the body.
        base.update(attributesToCrop=["problem", "body"], **_CROP_OPTIONS)
    queries = [{**base, "q": q, "attributesToSearchOn": RAW_SEARCHABLE}]
    stemmed = stem_text(q) if q else ""
    if stemmed and stemmed != normalize(q):
        queries.append({**base, "q": stemmed, "attributesToSearchOn": STEM_SEARCHABLE,
                        "federationOptions": {"weight": STEMMED_WEIGHT}})  # fmt: skip
    federation: dict[str, Any] = {"limit": limit, "offset": offset}
    if facets:
        federation["facetsByIndex"] = {uid: facets}
    return {"federation": federation, "queries": queries}


async def _multi_search(client: AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    # The SDK's Federation model has no facetsByIndex result for one index and parses every hit into
    # pydantic models; the raw endpoint is simpler and faster.
    response = await client.http_client.post("multi-search", json=body, timeout=SEARCH_TIMEOUT_SECONDS)
    if response.status_code >= 400:
        from meilisearch_python_sdk.errors import MeilisearchApiError

        raise MeilisearchApiError(f"multi-search {response.status_code}", response)
    return response.json()


def _distribution(response: dict[str, Any], uid: str) -> dict[str, dict[str, int]]:
    return ((response.get("facetsByIndex") or {}).get(uid) or {}).get("distribution") or {}


async def search_threads(client: AsyncClient, uid: str, request: SearchRequest) -> SearchResult:
    started = time.perf_counter()
    selected = [facet for facet in FACETS if request.chosen(facet.param)]
    # Every facet is counted in the main request too: for a facet with a selection that gives the exact count
    # of each chosen value, which its disjunctive request may not list (only the MAX_VALUES_PER_FACET largest).
    main = _federated_body(uid, request, filters=_filter_expression(request), facets=[f.attribute for f in FACETS],
                           limit=request.per_page, offset=(request.page - 1) * request.per_page)  # fmt: skip
    disjunctive = [
        _federated_body(uid, request, filters=_filter_expression(request, without=facet.param),
                        facets=[facet.attribute], limit=0, offset=0)  # fmt: skip
        for facet in selected
    ]
    responses = await asyncio.gather(*(_multi_search(client, body) for body in [main, *disjunctive]))
    distribution = _distribution(responses[0], uid)
    for facet, response in zip(selected, responses[1:], strict=True):  # each brings the counts of one selected facet
        chosen = {slug: count for slug, count in (distribution.get(facet.attribute) or {}).items()
                  if slug in request.chosen(facet.param)}  # fmt: skip
        distribution[facet.attribute] = {**(_distribution(response, uid).get(facet.attribute) or {}), **chosen}
    stems = set(stem_text(rewrite_query(request.q)).split()) if request.q else set()
    hits = [_shape_hit(hit, stems) for hit in responses[0]["hits"]]
    facets = {facet.param: dict(distribution.get(facet.attribute) or {}) for facet in FACETS}
    total = int(responses[0].get("estimatedTotalHits") or 0)
    return SearchResult(hits=hits, facets=facets, total=total, page=request.page, per_page=request.per_page,
                        took_ms=(time.perf_counter() - started) * 1000)  # fmt: skip


async def record_miss(request: SearchRequest) -> None:
    """Remember a search that found nothing (moderators learn what people miss). Never breaks the search."""
    try:
        await SearchMiss.insert(
            SearchMiss(query=request.q[:200], filters=json.dumps(request.active_filters(), ensure_ascii=False))
        )
    except Exception:
        logger.warning("search: could not record a zero-hit query", exc_info=True)


# --- fallback ------------------------------------------------------------------------------------------------

_LIKE_SPECIALS = re.compile(r"([\\%_])")


def _title_contains(word: str) -> WhereRaw:
    pattern = "%" + _LIKE_SPECIALS.sub(r"\\\1", word) + "%"
    # SQLite's LIKE is case-insensitive for ASCII already; PostgreSQL needs ILIKE. Neither escapes without ESCAPE.
    operator = "LIKE" if is_sqlite() else "ILIKE"
    return WhereRaw(f'"thread"."title" {operator} {{}} ESCAPE \'\\\'', pattern)


def _mark_words(text: str, terms: list[str]) -> str:
    if not terms:
        return text
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    return pattern.sub(lambda m: f"{_PRE}{m.group(0)}{_POST}", text)


def _excerpt(text: str, limit: int = 220) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


_FALLBACK_ORDER = {
    "relevan": (Thread.created_at,),
    "terbaru": (Thread.created_at,),
    "aktif": (Thread.last_activity_at,),
    "balasan": (Thread.reply_count, Thread.last_activity_at),
    "replikasi": (Thread.replication_count, Thread.last_activity_at),
}


async def fallback_search(request: SearchRequest) -> SearchResult:
    """Titles matched in the database (every word, case-insensitive) when Meilisearch cannot answer.

    Same shape as search_threads, flagged degraded: no stemming, typos or synonyms, and no facet counts.
    """
    started = time.perf_counter()
    terms = [term for term in request.q.split() if term][:8]
    conditions: list[Any] = [Thread.status == PUBLISHED, *(_title_contains(term) for term in terms)]
    if request.chosen("value"):
        tagged = ThreadValue.select(ThreadValue.thread).where(ThreadValue.value.is_in(list(request.chosen("value"))))
        conditions.append(Thread.id.is_in(tagged))
    columns = {"sector": Thread.sector, "province": Thread.province, "kind": Thread.kind, "stage": Thread.stage,
               "agency": Thread.agency.slug}  # fmt: skip
    for param, column in columns.items():
        if request.chosen(param):
            conditions.append(column.is_in(list(request.chosen(param))))
    if request.chosen("featured"):
        conditions.append(Thread.is_featured == True)  # noqa: E712 - the only choice is "true"
    if request.chosen("replicated"):
        conditions.append(Thread.replication_count > 0)
    if len(request.chosen("answered")) == 1:
        answered = request.chosen("answered")[0] == "true"
        conditions.append(Thread.solution_post.is_not_null() if answered else Thread.solution_post.is_null())
    query = Thread.select(
        Thread.id, Thread.title, Thread.slug, Thread.kind, Thread.sector, Thread.province, Thread.stage,
        Thread.created_at, Thread.last_activity_at, Thread.reply_count, Thread.body_html, Thread.problem_html,
        Thread.agency.slug.as_alias("agency_slug"), Thread.agency.name.as_alias("agency_name"),
        Thread.author.display_name.as_alias("author_name"),
    )  # fmt: skip
    count = Thread.count()
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    query = query.order_by(*_FALLBACK_ORDER[request.sort], Thread.id, ascending=False)
    rows = await query.offset((request.page - 1) * request.per_page).limit(request.per_page)
    total = await count
    tags: dict[int, list[str]] = {}
    if rows:
        for tag in await ThreadValue.select(ThreadValue.thread, ThreadValue.value).where(
            ThreadValue.thread.is_in([row["id"] for row in rows])
        ):
            tags.setdefault(tag["thread"], []).append(tag["value"])
    hits = []
    for row in rows:
        snippet = _excerpt(plain_text(row["problem_html"] or "") or plain_text(row["body_html"]))
        hits.append({
            "id": row["id"],
            "url": thread_url(row["id"], row["slug"]),
            "title": marked_html(_mark_words(_unmarked(row["title"]), terms)),
            "snippet": marked_html(_mark_words(_unmarked(snippet), terms)),
            "kind": row["kind"], "sector": row["sector"], "values": tags.get(row["id"], []),
            "province": row["province"], "agency": row["agency_slug"], "agency_name": row["agency_name"],
            "author_name": row["author_name"], "stage": row["stage"], "featured": False,
            "created_at": row["created_at"], "last_activity_at": row["last_activity_at"],
            "reply_count": row["reply_count"],
        })  # fmt: skip
    return SearchResult(hits=hits, facets={facet.param: {} for facet in FACETS}, total=total, page=request.page,
                        per_page=request.per_page, degraded=True, took_ms=(time.perf_counter() - started) * 1000)  # fmt: skip


# --- the entry point for routes ------------------------------------------------------------------------------


async def run_search(client: AsyncClient | None, uid: str, request: SearchRequest) -> SearchResult:
    """Search with Meilisearch, or with the database when it is not configured or does not answer."""
    await ensure_known_agencies(request)
    if client is None:
        result = await fallback_search(request)
    else:
        try:
            result = await search_threads(client, uid, request)
        except Exception as exc:  # noqa: BLE001 - down, slow, index missing mid-setup, or a bug: degrade, log
            logger.warning("search: Meilisearch did not answer, using the database fallback: %s", exc)
            result = await fallback_search(request)
        else:
            if result.total == 0 and request.q and request.page == 1:
                await record_miss(request)
    slugs = set(result.facets.get("agency", {})) | set(request.chosen("agency"))
    result.agency_names = await agency_names(sorted(slugs))
    return result
