"""RSS 2.0 and Atom feeds: parsed back with feedparser (and ElementTree), on both engines."""

from __future__ import annotations

import calendar
import dataclasses
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import feedparser
import httpx
import pytest
from litestar import Litestar

from forum.core.settings import get_settings
from forum.core.tables import Thread
from forum.featured.service import (
    Feature,
    feature_thread,
)
from forum.feeds.routes import FeedRoutes
from forum.moderation.hide import hide_thread
from forum.posting.service import ReplyInput, add_reply
from forum.threads.service import ThreadInput, edit_thread
from forum.web.flood import NO_LIMITS
from tests.support.database import wipe
from tests.support.factories import VALID_THREAD, make_thread, make_user

BASE = "https://sinergi.example.go.id"
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
FEED_PATHS = {
    "/feed.xml",
    "/feed.atom",
    "/praktik-baik/feed.xml",
    "/nilai/{slug:str}/feed.xml",
    "/sektor/{slug:str}/feed.xml",
    "/instansi/{slug:str}/feed.xml",
}
CURATOR_NOTE = "Mudah direplikasi: cukup jadwal per kecamatan & satu mobil layanan."


def _is_wired(application: Litestar) -> bool:
    return any(getattr(route, "path", None) == "/feed.xml" for route in application.routes)


@pytest.fixture
async def app() -> AsyncIterator[Litestar]:
    """Overrides the suite's ``app``: feeds registered (until create_app wires them) and a public base URL that
    differs from the test client's host, so absolute links must come from settings."""
    from forum.app import create_app

    application = create_app(dataclasses.replace(get_settings(), base_url=BASE))
    if not _is_wired(application):
        application.register(FeedRoutes)
    try:
        async with application.lifespan():
            yield application
    finally:
        await wipe()


async def fetch(client: httpx.AsyncClient, path: str, content_type: str = RSS_TYPE) -> feedparser.FeedParserDict:
    response = await client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == content_type
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == ("atom10" if "atom" in content_type else "rss20")
    ET.fromstring(response.content)  # well-formed for strict XML parsers too
    return parsed


def utc_struct(value: datetime) -> tuple[int, ...]:
    return tuple(value.astimezone(UTC).timetuple())[:6]


def parsed_time(value: object) -> tuple[int, ...]:
    return tuple(datetime.fromtimestamp(calendar.timegm(value), UTC).timetuple())[:6]  # type: ignore[arg-type]


def self_link(parsed: feedparser.FeedParserDict) -> str:
    return next(link.href for link in parsed.feed.links if link.rel == "self")


async def test_latest_rss_feed(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@x.go.id", name="Ani Rahmawati")
    budi = await make_user("budi@x.go.id", name="Budi Santoso", agency="Dinas Kesehatan Kota Malang")
    first = await make_thread(ani)
    second = await make_thread(
        budi,
        kind="diskusi",
        title="Bagaimana mempercepat rujukan puskesmas?",
        body="Rujukan **berjenjang** sering tertunda.\n\n- antrean\n- berkas\n\n[panduan](https://example.go.id)",
        sector="kesehatan",
        values=["akuntabel", "adaptif"],
    )
    parsed = await fetch(client, "/feed.xml")
    assert parsed.feed.title == "Topik terbaru · Sinergi"
    assert "pelayanan publik" in parsed.feed.subtitle and parsed.feed.language == "id"
    assert parsed.feed.link == f"{BASE}/topik"
    assert self_link(parsed) == f"{BASE}/feed.xml"
    titles = [entry.title for entry in parsed.entries]
    assert titles == ["Bagaimana mempercepat rujukan puskesmas?", VALID_THREAD["title"]]
    newest, oldest = parsed.entries
    assert newest.link == BASE + second["url"] and oldest.link == BASE + first["url"]
    assert newest.id == f"{BASE}/topik/{second['id']}"  # a permalink that survives a change of title
    assert newest.author == "Budi Santoso" and oldest.author == "Ani Rahmawati"
    assert [tag.term for tag in newest.tags] == ["Diskusi", "Kesehatan", "Akuntabel", "Adaptif"]
    assert {tag.scheme for tag in newest.tags} == {f"{BASE}/topik?jenis=", f"{BASE}/sektor/", f"{BASE}/nilai/"}
    assert [tag.term for tag in oldest.tags] == [
        "Inovasi", "Administrasi Kependudukan dan Pencatatan Sipil", "Berorientasi Pelayanan", "Kolaboratif",
    ]  # fmt: skip
    # The description is the body as plain text: no tags, links or Markdown left.
    assert newest.summary == "Rujukan berjenjang sering tertunda. antrean berkas panduan"
    assert "<" not in newest.summary and "**" not in oldest.summary
    rows = {row["id"]: row for row in await Thread.select(Thread.id, Thread.created_at)}
    assert parsed_time(newest.published_parsed) == utc_struct(rows[second["id"]]["created_at"])
    assert parsed_time(oldest.published_parsed) == utc_struct(rows[first["id"]]["created_at"])
    assert parsed_time(parsed.feed.updated_parsed) == utc_struct(rows[second["id"]]["created_at"])
    # RFC 822 on the wire, with GMT.
    raw = (await client.get("/feed.xml")).text
    assert re.search(r"<pubDate>[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT</pubDate>", raw)
    assert re.search(r"<lastBuildDate>[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT<", raw)
    assert "@" not in raw  # no email addresses (authors go in dc:creator)
    guids = ET.fromstring(raw).iter("guid")
    assert {(guid.text, guid.get("isPermaLink")) for guid in guids} == {
        (f"{BASE}/topik/{first['id']}", "true"), (f"{BASE}/topik/{second['id']}", "true")
    }


async def test_latest_atom_feed(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@x.go.id", name="Ani Rahmawati")
    thread = await make_thread(ani)
    parsed = await fetch(client, "/feed.atom", ATOM_TYPE)
    assert parsed.feed.title == "Topik terbaru · Sinergi" and parsed.feed.id == f"{BASE}/feed.atom"
    assert self_link(parsed) == f"{BASE}/feed.atom"
    assert parsed.feed.link == f"{BASE}/topik"
    (entry,) = parsed.entries
    assert entry.id == f"{BASE}/topik/{thread['id']}" and entry.link == BASE + thread["url"]
    assert entry.title_detail.type == "text/plain" and entry.summary_detail.type == "text/plain"
    assert entry.summary.startswith("Kami mengantar KTP-el langsung ke rumah")
    assert entry.author_detail.name == "Ani Rahmawati" and entry.author_detail.href == f"{BASE}/pengguna/{ani.id}"
    assert [(tag.term, tag.label) for tag in entry.tags] == [
        ("inovasi", "Inovasi"),
        ("administrasi-kependudukan-pencatatan-sipil", "Administrasi Kependudukan dan Pencatatan Sipil"),
        ("berorientasi-pelayanan", "Berorientasi Pelayanan"),
        ("kolaboratif", "Kolaboratif"),
    ]
    assert entry.tags[-1].scheme == f"{BASE}/nilai/"
    row = await Thread.select(Thread.created_at).where(Thread.id == thread["id"]).first()
    assert parsed_time(entry.published_parsed) == utc_struct(row["created_at"])
    raw = (await client.get("/feed.atom")).text
    assert re.search(r"<published>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z</published>", raw)  # RFC 3339
    # An edit moves <updated>, never <published> or the id (the slug changes, the id does not).
    await edit_thread(ani, thread["id"], ThreadInput.pick({"title": "Layanan KTP-el jemput bola untuk lansia"}), 1)
    (edited,) = (await fetch(client, "/feed.atom", ATOM_TYPE)).entries
    assert edited.id == entry.id and edited.link != entry.link and edited.link.endswith("jemput-bola-untuk-lansia")
    assert edited.published_parsed == entry.published_parsed and edited.updated_parsed >= entry.updated_parsed


async def test_only_published_threads_and_at_most_thirty(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    newbie = await make_user("baru@x.go.id", verified=False)
    pending = await make_thread(newbie, title="Topik anggota baru yang menunggu tinjauan")
    assert pending["status"] == "pending"
    hidden = await make_thread(ani, title="Topik yang nanti disembunyikan moderator")
    await hide_thread(moderator, hidden["id"], "Melanggar pedoman forum.")
    for number in range(31):
        await make_thread(ani, title=f"Inovasi pelayanan nomor {number:02d}")
    entries = (await fetch(client, "/feed.xml")).entries
    assert len(entries) == 30
    titles = {entry.title for entry in entries}
    assert "Inovasi pelayanan nomor 30" in titles and "Inovasi pelayanan nomor 00" not in titles
    assert not titles & {"Topik anggota baru yang menunggu tinjauan", "Topik yang nanti disembunyikan moderator"}
    assert len((await fetch(client, "/feed.atom", ATOM_TYPE)).entries) == 30


async def test_value_sector_and_agency_feeds(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@x.go.id")
    budi = await make_user("budi@x.go.id", agency="Dinas Kesehatan Kota Malang")
    ktp = await make_thread(ani)
    puskesmas = await make_thread(
        budi, title="Antrean daring puskesmas", sector="kesehatan", values=["adaptif", "kolaboratif"]
    )
    by_value = await fetch(client, "/nilai/kolaboratif/feed.xml")
    assert by_value.feed.title == "Nilai Kolaboratif · Sinergi" and "Kolaboratif" in by_value.feed.subtitle
    assert self_link(by_value) == f"{BASE}/nilai/kolaboratif/feed.xml"
    assert by_value.feed.link == f"{BASE}/nilai/kolaboratif"
    assert [e.link for e in by_value.entries] == [BASE + puskesmas["url"], BASE + ktp["url"]]
    assert [e.link for e in (await fetch(client, "/nilai/adaptif/feed.xml")).entries] == [BASE + puskesmas["url"]]
    assert (await fetch(client, "/nilai/loyal/feed.xml")).entries == []

    by_sector = await fetch(client, "/sektor/kesehatan/feed.xml")
    assert by_sector.feed.title == "Sektor Kesehatan · Sinergi"
    assert self_link(by_sector) == f"{BASE}/sektor/kesehatan/feed.xml"
    assert [e.link for e in by_sector.entries] == [BASE + puskesmas["url"]]

    agency_slug = "disdukcapil-kabupaten-sleman"
    by_agency = await fetch(client, f"/instansi/{agency_slug}/feed.xml")
    assert by_agency.feed.title == "Disdukcapil Kabupaten Sleman · Sinergi"
    assert self_link(by_agency) == f"{BASE}/instansi/{agency_slug}/feed.xml"
    assert by_agency.feed.link == f"{BASE}/instansi/{agency_slug}"
    assert [e.link for e in by_agency.entries] == [BASE + ktp["url"]]


async def test_unknown_slugs_are_404(client: httpx.AsyncClient) -> None:
    for path in ("/nilai/rajin/feed.xml", "/sektor/perbankan-luar-angkasa/feed.xml", "/instansi/tidak-ada/feed.xml"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "Tidak ditemukan" in response.text


async def test_featured_feed_dates_items_from_the_pick_and_leads_with_the_note(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@x.go.id", name="Ani Rahmawati")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB", name="Moderator")
    picked = await make_thread(ani)
    await make_thread(ani, title="Inovasi yang belum dipilih moderator")
    empty = await fetch(client, "/praktik-baik/feed.xml")
    assert empty.entries == [] and empty.feed.title == "Praktik Baik Pilihan · Sinergi"
    await feature_thread(moderator, picked["id"], Feature.pick({"note": CURATOR_NOTE}))
    parsed = await fetch(client, "/praktik-baik/feed.xml")
    assert self_link(parsed) == f"{BASE}/praktik-baik/feed.xml" and parsed.feed.link == f"{BASE}/praktik-baik"
    (entry,) = parsed.entries
    assert entry.link == BASE + picked["url"] and entry.author == "Ani Rahmawati"
    # The note's "&" arrives as text (the RSS description is HTML, so it was escaped for HTML first).
    assert entry.summary.startswith("Catatan kurator: Mudah direplikasi: cukup jadwal per kecamatan &amp; satu")
    assert "Kami mengantar KTP-el" in entry.summary
    assert "Kolaboratif" in [tag.term for tag in entry.tags]


async def test_markup_in_titles_and_bodies_stays_text(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@x.go.id")
    title = "<script>alert('xss')</script> & <img src=x onerror=alert(1)>"
    body = "Tulis <script>alert(1)</script> di sini & [klik](javascript:alert(1)) <b>tebal</b>"
    as_text = "Tulis <script>alert(1)</script> di sini & [klik](javascript:alert(1)) <b>tebal</b>"
    await make_thread(ani, title=title, body=body)
    legacy = await make_thread(ani, title="Judul dengan karakter kendali di tengah", body=VALID_THREAD["body"])
    # Stored before input was cleaned of control characters: the feed must still be well-formed XML.
    await Thread.update({Thread.title: "Judul dengan karakter kendali \x01\x08 di tengah"}).where(
        Thread.id == legacy["id"]
    )
    rss_response = await client.get("/feed.xml")
    assert b"<script" not in rss_response.content and b"<img" not in rss_response.content
    assert b"<b>" not in rss_response.content
    root = ET.fromstring(rss_response.content)
    titles = [element.text for element in root.iter("title")]
    assert title in titles and "Judul dengan karakter kendali  di tengah" in titles
    descriptions = [element.text or "" for element in root.iter("description")]
    # The description is HTML by convention: plain text reaches it escaped, so a reader shows the characters.
    assert html.escape(as_text, quote=False) in descriptions
    assert not any("<" in d for d in descriptions)
    parsed = await fetch(client, "/feed.xml")
    assert title in [entry.title for entry in parsed.entries]

    atom_response = await client.get("/feed.atom")
    assert b"<script" not in atom_response.content and b"<img" not in atom_response.content
    parsed_atom = await fetch(client, "/feed.atom", ATOM_TYPE)
    entry = next(entry for entry in parsed_atom.entries if entry.title.startswith("<script>"))
    assert entry.title == title and entry.title_detail.type == "text/plain"
    assert entry.summary == as_text
    assert entry.summary_detail.type == "text/plain"


async def test_pages_advertise_their_feeds(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@x.go.id")
    await make_thread(ani)
    pages = {
        "/": {("application/rss+xml", "/feed.xml"), ("application/atom+xml", "/feed.atom"),
              ("application/rss+xml", "/praktik-baik/feed.xml")},
        "/topik": {("application/rss+xml", "/feed.xml"), ("application/atom+xml", "/feed.atom")},
        "/nilai/kolaboratif": {("application/rss+xml", "/nilai/kolaboratif/feed.xml")},
        "/sektor/kesehatan": {("application/rss+xml", "/sektor/kesehatan/feed.xml")},
        "/instansi/disdukcapil-kabupaten-sleman": {
            ("application/rss+xml", "/instansi/disdukcapil-kabupaten-sleman/feed.xml")
        },
        "/praktik-baik": {("application/rss+xml", "/praktik-baik/feed.xml")},
    }  # fmt: skip
    for path, expected in pages.items():
        page = await client.get(path)
        assert page.status_code == 200, path
        head = page.text.split("</head>")[0]
        found = set(re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]+" href="([^"]+)">', head))
        assert found == expected, (path, found)
        for media_type, href in found:
            feed = await client.get(href)
            assert feed.status_code == 200 and feed.headers["content-type"].startswith(media_type), href


async def test_feeds_are_cacheable_and_outside_the_schema(app: Litestar, client: httpx.AsyncClient) -> None:
    handlers = {route.path: route for route in app.routes if route.path in FEED_PATHS}
    assert set(handlers) == FEED_PATHS
    for route in handlers.values():
        (handler,) = [h for h in route.route_handlers if "GET" in h.http_methods]  # type: ignore[attr-defined]
        assert handler.opt.get("page_cache") is True and handler.include_in_schema is False
    schema = (await client.get("/schema/openapi.json")).json()
    assert not [path for path in schema["paths"] if "feed" in path]


async def test_conditional_get_with_etag(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@x.go.id")
    thread = await make_thread(ani)
    first = await client.get("/feed.xml")
    etag = first.headers["etag"]
    again = await client.get("/feed.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    await add_reply(ani, thread["id"], ReplyInput(body="Balasan tidak mengubah isi umpan, tetapi topik baru mengubahnya."), limits=NO_LIMITS)
    await make_thread(ani, title="Topik baru setelah umpan dibaca")
    changed = await client.get("/feed.xml", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
