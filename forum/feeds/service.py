"""What each feed holds: published threads from the same list functions the pages use, plus one query for
their bodies (excerpts) and edit times. Every feed costs a fixed number of queries (three or four)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from forum.agencies.service import get_agency_by_slug
from forum.core import markup, urls
from forum.core.db import read_snapshot
from forum.core.errors import NotFound
from forum.core.tables import Thread
from forum.core.taxonomy import KIND_BY_SLUG, SECTOR_BY_SLUG, VALUE_BY_SLUG, label
from forum.featured.service import list_featured
from forum.feeds.builder import Category, Feed, FeedItem
from forum.threads.service import ThreadFilters, list_threads

FEED_SIZE = 30
SUMMARY_CHARS = 300
NOTE_CHARS = 300
SITE = "Sinergi"

LATEST_RSS_PATH = "/feed.xml"
LATEST_ATOM_PATH = "/feed.atom"
FEATURED_PATH = "/praktik-baik/feed.xml"


def value_feed_path(slug: str) -> str:
    return f"/nilai/{slug}/feed.xml"


def sector_feed_path(slug: str) -> str:
    return f"/sektor/{slug}/feed.xml"


def agency_feed_path(slug: str) -> str:
    return f"/instansi/{slug}/feed.xml"


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


async def _details(thread_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Body HTML (for the excerpt) and edit time of the listed threads, in one query."""
    if not thread_ids:
        return {}
    rows = await Thread.select(Thread.id, Thread.body_html, Thread.updated_at).where(Thread.id.is_in(thread_ids))
    return {row["id"]: row for row in rows}


def _categories(base_url: str, row: dict[str, Any]) -> list[Category]:
    categories = [
        Category(row["kind"], label(KIND_BY_SLUG, row["kind"]), f"{base_url}/topik?jenis="),
        Category(row["sector"], label(SECTOR_BY_SLUG, row["sector"]), f"{base_url}/sektor/"),
    ]
    categories += [Category(slug, label(VALUE_BY_SLUG, slug), f"{base_url}/nilai/") for slug in row["values"]]
    return categories


def _item(base_url: str, row: dict[str, Any], detail: dict[str, Any], *, published: datetime, summary: str) -> FeedItem:
    updated = max(published, detail.get("updated_at") or published)
    return FeedItem(
        title=row["title"],
        link=base_url + row["url"],
        guid=f"{base_url}/topik/{row['id']}",  # redirects to the current URL; stable when the slug changes
        published=published,
        updated=updated,
        author_name=row["author_name"],
        author_uri=f"{base_url}/pengguna/{row['author_id']}",
        summary=summary,
        categories=_categories(base_url, row),
    )


async def _thread_items(base_url: str, filters: ThreadFilters) -> list[FeedItem]:
    """The feed follows its page: published threads by latest activity (``list_threads``), 30 of them."""
    rows = (await list_threads(filters, limit=FEED_SIZE)).items
    details = await _details([row["id"] for row in rows])
    return [_thread_item(base_url, row, details.get(row["id"], {})) for row in rows]


def _thread_item(base_url: str, row: dict[str, Any], detail: dict[str, Any]) -> FeedItem:
    summary = markup.excerpt(detail.get("body_html", ""), SUMMARY_CHARS)
    return _item(base_url, row, detail, published=row["created_at"], summary=summary)


def _feed(
    base_url: str, title: str, description: str, page_path: str, feed_path: str, items: Iterable[FeedItem]
) -> Feed:
    return Feed(
        title=f"{title} · {SITE}",
        description=description,
        link=base_url + page_path,
        self_url=base_url + feed_path,
        items=list(items),
    )


async def latest_feed(base_url: str, feed_path: str = LATEST_RSS_PATH) -> Feed:
    async with read_snapshot():
        items = await _thread_items(base_url, ThreadFilters())
    return _feed(
        base_url,
        "Topik terbaru",
        "Inovasi, permasalahan, dan diskusi pelayanan publik terbaru dari ASN lintas instansi di forum Sinergi.",
        urls.THREADS,
        feed_path,
        items,
    )


async def value_feed(base_url: str, slug: str) -> Feed:
    term = VALUE_BY_SLUG.get(slug)
    if term is None:
        raise NotFound("Nilai BerAKHLAK tidak ditemukan.")
    async with read_snapshot():
        items = await _thread_items(base_url, ThreadFilters(values=(slug,)))
    return _feed(
        base_url,
        f"Nilai {term.label}",
        f"Topik terbaru di Sinergi yang mewujudkan nilai BerAKHLAK {term.label}.",
        f"/nilai/{slug}",
        value_feed_path(slug),
        items,
    )


async def sector_feed(base_url: str, slug: str) -> Feed:
    term = SECTOR_BY_SLUG.get(slug)
    if term is None:
        raise NotFound("Sektor tidak ditemukan.")
    async with read_snapshot():
        items = await _thread_items(base_url, ThreadFilters(sector=slug))
    return _feed(
        base_url,
        f"Sektor {term.label}",
        f"Topik terbaru di Sinergi tentang urusan {term.label}.",
        f"/sektor/{slug}",
        sector_feed_path(slug),
        items,
    )


async def agency_feed(base_url: str, slug: str) -> Feed:
    async with read_snapshot():
        agency = await get_agency_by_slug(slug)  # NotFound for an unknown agency
        items = await _thread_items(base_url, ThreadFilters(agency=slug))
    return _feed(
        base_url,
        agency["name"],
        f"Topik terbaru di Sinergi yang dibagikan ASN dari {agency['name']}.",
        f"/instansi/{agency['slug']}",
        agency_feed_path(agency["slug"]),
        items,
    )


async def featured_feed(base_url: str) -> Feed:
    """Praktik Baik Pilihan: an item is dated from when it was picked, and leads with the curator's note."""
    async with read_snapshot():
        rows = await list_featured(limit=FEED_SIZE)
        details = await _details([row["id"] for row in rows])
    items = []
    for row in rows:
        detail = details.get(row["id"], {})
        note = _shorten(row["note"], NOTE_CHARS)
        body = markup.excerpt(detail.get("body_html", ""), SUMMARY_CHARS)
        summary = f"Catatan kurator: {note}\n\n{body}" if body else f"Catatan kurator: {note}"
        items.append(_item(base_url, row, detail, published=row["featured_at"], summary=summary))
    return _feed(
        base_url,
        "Praktik Baik Pilihan",
        "Inovasi pelayanan publik pilihan moderator Sinergi yang layak direplikasi instansi lain, "
        "lengkap dengan catatan kurator.",
        "/praktik-baik",
        FEATURED_PATH,
        items,
    )
