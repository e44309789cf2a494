"""The synthetic data generator for benchmarks (tests/benchmarks/synthetic.py): a small run on the test
database, checked for consistency with what the app itself stores, and served by the real pages."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import datetime

import httpx
from piccolo.query.functions.aggregate import Count, Max
from slugify import slugify

from forum.core import markup, taxonomy
from forum.core.tables import Agency, Post, SearchOutbox, Thread, ThreadValue, User
from tests.benchmarks import synthetic
from tests.benchmarks import synthetic_words as words

THREADS = 300
SEED = 11


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in _strings(key) + _strings(item)]
    if isinstance(value, (tuple, list, set, frozenset)):
        return [s for item in value for s in _strings(item)]
    return []


def test_phrase_banks_hold_no_markdown_or_links() -> None:
    banks = [getattr(words, name) for name in dir(words) if name.isupper()]
    banks += [synthetic.CHANNEL_SHORT_DIGITAL, synthetic.CHANNEL_SHORT_OFFLINE, synthetic.SYSTEMS, synthetic.QUESTIONS]
    texts = _strings(banks)
    assert len(texts) > 500
    for text in texts:
        assert not re.search(r"[*_`\[\]#~|\\<>@]", text), text
        assert not re.search(r"\w\.[A-Za-z]", text), text  # nothing linkify could read as a domain
        assert text == text.strip() and "  " not in text and "\n" not in text, text


def test_columns_exist_and_the_rest_have_defaults() -> None:
    from forum.core.tables import ALL_TABLES

    by_name = {table._meta.tablename: table for table in ALL_TABLES}
    for tablename, columns in synthetic.COLUMNS.items():
        table_columns = {column._meta.db_column_name: column for column in by_name[tablename]._meta.columns}
        assert set(columns) <= set(table_columns), tablename
        for name, column in table_columns.items():
            if name not in columns:  # left to the database default
                assert column._meta.null or column.default is not None, (tablename, name)


def test_fast_html_matches_markup_render_on_tricky_characters() -> None:
    paragraphs = ['Istilah "jemput bola" & <b>tebal</b>, 1×24 jam, 45%, Rp1.500.000 (KTP-el) – selesai.', "Kedua."]
    source, rendered = synthetic.source_and_html(paragraphs)
    assert rendered == markup.render(source)
    assert synthetic.source_and_html([]) == ("", "")


async def test_generated_forum_is_consistent_and_served(app: object, client: httpx.AsyncClient) -> None:
    counts = await synthetic.generate(THREADS, seed=SEED)
    assert counts["threads"] == THREADS
    assert await Thread.count() == THREADS
    assert await Agency.count() == counts["agencies"] >= 60
    assert await User.count() == counts["users"] >= counts["agencies"]
    assert await Post.count() == counts["posts"]
    assert await ThreadValue.count() == counts["thread_values"]
    assert await SearchOutbox.count() == 0, "benchmarks index with a reindex, not through the outbox"
    assert await Thread.count().where(Thread.status == "published") == THREADS
    assert await User.count().where(User.is_agency_admin == True)  # noqa: E712 - a Piccolo column comparison, not a truth test == counts["agencies"]
    assert await User.count().where(User.verified_at.is_not_null()) >= 0.85 * counts["users"]
    assert 1.4 <= counts["posts"] / THREADS <= 2.8

    threads = await Thread.select(
        Thread.id, Thread.kind, Thread.title, Thread.slug, Thread.sector, Thread.province, Thread.reply_count,
        Thread.created_at, Thread.updated_at, Thread.last_activity_at, Thread.stage, Thread.start_year,
        Thread.is_digital, Thread.problem_source, Thread.problem_html, Thread.agency,
        Thread.agency.province.as_alias("agency_province"), Thread.author.agency.as_alias("author_agency"),
    )  # fmt: skip

    # Distributions: kinds about 65/20/15, every sector present, health the most common, Java-heavy provinces.
    kinds = Counter(t["kind"] for t in threads)
    assert 0.55 <= kinds["inovasi"] / THREADS <= 0.75
    assert 0.12 <= kinds["permasalahan"] / THREADS <= 0.28
    assert 0.08 <= kinds["diskusi"] / THREADS <= 0.22
    sectors = Counter(t["sector"] for t in threads)
    assert set(sectors) == set(taxonomy.SECTOR_BY_SLUG)
    assert sectors.most_common(1)[0][0] == "kesehatan"
    top = {slug for slug, _ in sectors.most_common(8)}
    assert {"kesehatan", "administrasi-kependudukan-pencatatan-sipil", "pendidikan"} <= top
    provinces = Counter(t["province"] for t in threads)
    assert set(provinces) <= set(taxonomy.PROVINCE_BY_SLUG)
    assert len(provinces) >= 10

    now = datetime.now(tz=threads[0]["created_at"].tzinfo)
    for t in threads:
        assert t["province"] == t["agency_province"]
        assert t["agency"] == t["author_agency"]
        assert t["created_at"] <= t["updated_at"] <= now
        assert t["created_at"] <= t["last_activity_at"] <= now
        assert (now - t["created_at"]).days <= 3 * 365 + 1
        assert t["slug"] == (slugify(t["title"], max_length=100, word_boundary=True) or "topik")
        assert 8 <= len(t["title"]) <= 200
        if t["kind"] == "inovasi":
            assert t["stage"] in taxonomy.STAGE_BY_SLUG
            assert 2016 <= t["start_year"] <= t["created_at"].year
            assert t["is_digital"] in (True, False)
            assert t["problem_source"] and t["problem_html"]
        else:
            assert t["stage"] is None and t["start_year"] is None and t["is_digital"] is None
            assert t["problem_source"] == "" and t["problem_html"] == ""
    by_year = Counter(t["created_at"].year for t in threads)
    assert by_year[now.year] > by_year[now.year - 3]  # growth towards now

    # reply_count is what was inserted, and last activity is the last reply.
    actual = {
        # Aggregates come back as text on SQLite (no column type to convert by).
        row["thread"]: (row["n"], datetime.fromisoformat(row["last"]) if isinstance(row["last"], str) else row["last"])
        for row in await Post.select(Post.thread, Count(Post.id, alias="n"), Max(Post.created_at, alias="last"))
        .group_by(Post.thread)
    }  # fmt: skip
    for t in threads:
        replies, last = actual.get(t["id"], (0, None))
        assert t["reply_count"] == replies, t["id"]
        if replies:
            assert t["last_activity_at"] == last
    assert max(t["reply_count"] for t in threads) >= 8  # a long tail
    replies = await Post.select(
        Post.thread, Post.created_at, Post.author.agency.as_alias("agency"), Post.thread.agency.as_alias("thread_agency"),
        Post.thread.created_at.as_alias("thread_created"),
    )  # fmt: skip
    assert all(r["created_at"] >= r["thread_created"] for r in replies)
    other_agency = sum(r["agency"] != r["thread_agency"] for r in replies)
    assert other_agency / len(replies) >= 0.7

    # BerAKHLAK tags: 1–3 valid values per thread, service orientation most common and loyalty rarest.
    tags = await ThreadValue.select(ThreadValue.thread, ThreadValue.value)
    per_thread = Counter(tag["thread"] for tag in tags)
    assert set(per_thread) == {t["id"] for t in threads}
    assert set(per_thread.values()) <= {1, 2, 3}
    assert len({(tag["thread"], tag["value"]) for tag in tags}) == len(tags)
    values = Counter(tag["value"] for tag in tags)
    assert set(values) <= set(taxonomy.VALUE_BY_SLUG)
    assert values.most_common(1)[0][0] == "berorientasi-pelayanan"
    assert min(values, key=values.__getitem__) == "loyal"

    # Stored HTML is exactly what markup.render makes of the stored Markdown.
    sample = await Thread.select(
        Thread.body_source, Thread.body_html, Thread.problem_source, Thread.problem_html, Thread.solution_source,
        Thread.solution_html, Thread.results_source, Thread.results_html,
    ).order_by(Thread.id).limit(60)  # fmt: skip
    for row in sample:
        for name in ("body", "problem", "solution", "results"):
            assert row[f"{name}_html"] == markup.render(row[f"{name}_source"]), (name, row[f"{name}_source"])
    for row in await Post.select(Post.body_source, Post.body_html).order_by(Post.id).limit(100):
        assert row["body_html"] == markup.render(row["body_source"]), row["body_source"]

    # Indonesian text with the acronyms and inflections search benchmarks look for.
    corpus = " ".join(t["title"] for t in threads) + " ".join(r["body_source"] for r in sample)
    for term in ("KTP-el", "puskesmas", "pelayanan", "melayani", "layanan", "pengaduan", "MPP"):
        assert term in corpus, term

    # The app serves what was generated: a few thread pages, and the API list with a filter.
    busiest = sorted(threads, key=lambda t: t["reply_count"], reverse=True)[:2]
    for t in [*busiest, threads[0], threads[-1]]:
        page = await client.get(f"/topik/{t['id']}/{t['slug']}")
        assert page.status_code == 200, page.text[:500]
        assert html.escape(t["title"], quote=False) in page.text
    listing = await client.get("/api/threads?limit=50")
    assert listing.status_code == 200, listing.text[:500]
    assert len(listing.json()["items"]) == 50 and listing.json()["next_cursor"]
    health = await client.get("/api/threads?sector=kesehatan&kind=inovasi")
    assert health.status_code == 200
    assert {item["sector"] for item in health.json()["items"]} == {"kesehatan"}
