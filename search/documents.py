"""Threads as search documents: plain text only, never stored HTML, plus a stemmed copy of the text.

One document per thread, its replies' text included, because people look for threads (innovation cases,
problems, discussions), not for single replies:
* a result list never shows the same thread twice, and paging is stable;
* facet counts count threads ("12 inovasi di Jawa Tengah"), which is what the filters promise;
* a reply's words still find the thread they belong to.
The cost: one reply re-sends its whole thread, and very long discussions are capped (REPLIES_TEXT_MAX).
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from forum.collaboration.indicators import best_improvement
from forum.core.markup import BLOCK_BOUNDARY
from forum.core.tables import Post, Thread, ThreadValue
from forum.core.taxonomy import KIND_BY_SLUG, PROVINCE_BY_SLUG, SECTOR_BY_SLUG, STAGE_BY_SLUG, VALUE_BY_SLUG, label
from forum.core.urls import thread_url
from forum.core.visibility import PUBLISHED
from search.stemming import new_stems, words
from search.vocabulary import aliases_for, aliases_for_words

# Replies beyond this many characters (oldest first) are left out of a thread's document.
REPLIES_TEXT_MAX = 20_000
# The replies' first characters, cut at a word, go in ``replies`` (highlighted and cropped for snippets); the rest
# in ``replies_more``, searched just the same but never cropped: cropping a long discussion's 10-20k characters
# cost Meilisearch more than the rest of a search (sorting by replies brings exactly those threads first).
REPLIES_SNIPPET_MAX = 2_000
# Threads per database round: keeps IN (...) lists and memory small on both engines.
QUERY_CHUNK = 500

# Tags, allowing ">" inside quoted attribute values. As in forum.core.markup.to_plain_text (whose BLOCK_BOUNDARY this
# uses), block boundaries become spaces ("<p>a</p><p>b</p>" reads "a b") while inline tags join words as written.
_TAG = re.compile(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_WHITESPACE = re.compile(r"\s+")


def _without_sentinels(text: str) -> str:
    """Text without the highlighter's sentinels (search.query), which must never occur in indexed text."""
    # Checking first: str.translate with deletions was slow on long text, and there is almost never any.
    if "\x02" in text or "\x03" in text:
        return text.replace("\x02", "").replace("\x03", "")
    return text


def plain_text(stored_html: str) -> str:
    """Plain text of HTML stored by forum.core.markup.render.

    Gives the same text as ``forum.core.markup.to_plain_text`` for that (already sanitised, well-formed) HTML, at
    a fifteenth of the cost (38 µs against 600 µs for a 1.2 KB post here): bleach parses with html5lib,
    which would cap a full re-index far below 2,000 threads/s. tests/search/test_documents.py checks that the
    two agree. Never use this on untrusted HTML: it extracts text, it does not sanitise.
    """
    if not stored_html:
        return ""
    text = html.unescape(_TAG.sub("", BLOCK_BOUNDARY.sub(" ", stored_html)))
    return _without_sentinels(_WHITESPACE.sub(" ", text).strip())


def unix_time(moment: datetime | None) -> float:
    """Seconds since the epoch, to the millisecond: whole seconds tie too often for "newest first"."""
    if moment is None:
        return 0.0
    if moment.tzinfo is None:  # stored as UTC everywhere (forum.core.clock.now)
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp(), 3)


_THREAD_COLUMNS = (
    Thread.id,
    Thread.kind,
    Thread.title,
    Thread.slug,
    Thread.body_html,
    Thread.sector,
    Thread.province,
    Thread.created_at,
    Thread.last_activity_at,
    Thread.reply_count,
    Thread.replication_count,
    Thread.problem_html,
    Thread.solution_html,
    Thread.results_html,
    Thread.stage,
    Thread.start_year,
    Thread.is_digital,
    Thread.is_featured,  # mirrors an open FeaturedPractice row; (un)featuring must queue the thread
    Thread.solution_post,  # an accepted solution makes a "permasalahan" answered
    Thread.agency.slug.as_alias("agency_slug"),
    Thread.agency.name.as_alias("agency_name"),
    Thread.author.display_name.as_alias("author_name"),
)


async def _values(thread_ids: Sequence[int]) -> dict[int, list[str]]:
    rows = await ThreadValue.select(ThreadValue.thread, ThreadValue.value).where(ThreadValue.thread.is_in(thread_ids))
    order = {slug: index for index, slug in enumerate(VALUE_BY_SLUG)}
    grouped: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        grouped[row["thread"]].append(row["value"])
    return {thread_id: sorted(values, key=lambda v: order.get(v, 99)) for thread_id, values in grouped.items()}


async def _replies_text(thread_ids: Sequence[int]) -> dict[int, str]:
    # The status is checked here, not in SQL: SQLite without planner statistics (it gathers none by itself)
    # answers "thread IN (...) AND status = ?" through the index on post.status, reading every published
    # post of the forum for each chunk; on "thread IN (...)" alone it uses the index on post.thread.
    rows = await Post.select(Post.thread, Post.status, Post.body_html).where(Post.thread.is_in(thread_ids)).order_by(
        Post.id
    )
    parts: dict[int, list[str]] = defaultdict(list)
    sizes: dict[int, int] = defaultdict(int)
    for row in rows:
        if row["status"] != PUBLISHED:
            continue
        thread_id = row["thread"]
        if sizes[thread_id] >= REPLIES_TEXT_MAX:
            continue
        text = plain_text(row["body_html"])
        parts[thread_id].append(text)
        sizes[thread_id] += len(text) + 1
    return {thread_id: " ".join(texts)[:REPLIES_TEXT_MAX] for thread_id, texts in parts.items()}


def _split_replies(replies: str) -> dict[str, str]:
    if len(replies) <= REPLIES_SNIPPET_MAX:
        return {"replies": replies, "replies_more": ""}
    head = replies[: REPLIES_SNIPPET_MAX + 1].rsplit(" ", 1)[0]
    return {"replies": head, "replies_more": replies[len(head) :].lstrip()}


def to_document(thread: dict[str, Any], values: list[str], replies: str) -> dict[str, Any]:
    """One thread row (with its values and replies' text) as the document Meilisearch stores."""
    title = _without_sentinels(thread["title"])
    texts = {
        "body": plain_text(thread["body_html"]),
        "problem": plain_text(thread["problem_html"] or ""),
        "solution": plain_text(thread["solution_html"] or ""),
        "results": plain_text(thread["results_html"] or ""),
    }
    # Tokenized once, for the aliases and the stems alike (this is the hot loop of a full re-index).
    tokens = words(" ".join([title, *texts.values(), replies]))
    title_aliases = aliases_for(title)
    return {
        "id": thread["id"],
        "url": thread_url(thread["id"], thread["slug"]),
        "title": title,
        **texts,
        **_split_replies(replies),
        "title_aliases": title_aliases,
        "aliases": [alias for alias in aliases_for_words(tokens) if alias not in title_aliases],
        "stemmed": new_stems(tokens),
        "kind": thread["kind"],
        "kind_label": label(KIND_BY_SLUG, thread["kind"]),
        "sector": thread["sector"],
        "sector_label": label(SECTOR_BY_SLUG, thread["sector"]),
        "values": values,
        "value_labels": [label(VALUE_BY_SLUG, value) for value in values],
        "province": thread["province"],
        "province_label": label(PROVINCE_BY_SLUG, thread["province"]),
        "agency": thread["agency_slug"],
        "agency_name": thread["agency_name"],
        "author_name": thread["author_name"],
        "stage": thread["stage"],
        "stage_label": label(STAGE_BY_SLUG, thread["stage"]),
        "is_digital": thread["is_digital"],
        "start_year": thread["start_year"],
        "featured": bool(thread["is_featured"]),
        "answered": thread["solution_post"] is not None,
        "created_at": unix_time(thread["created_at"]),
        "last_activity_at": unix_time(thread["last_activity_at"]),
        "reply_count": thread["reply_count"],
        "replication_count": thread["replication_count"],
        "replicated": thread["replication_count"] > 0,
    }


async def _build_chunk(thread_ids: Sequence[int]) -> list[dict[str, Any]]:
    # Only published threads and replies are searchable: pending (review queue) and hidden ones, including
    # duplicates merged away, are seen by their author and moderators only (forum.core.visibility).
    threads = (
        await Thread.select(*_THREAD_COLUMNS)
        .where(Thread.id.is_in(list(thread_ids)) & (Thread.status == PUBLISHED))
        .order_by(Thread.id)
    )
    if not threads:
        return []
    found = [thread["id"] for thread in threads]
    values = await _values(found)
    replies = await _replies_text(found)
    best = await best_improvement(found)
    verified = await best_improvement(found, verified_only=True)
    documents = [to_document(thread, values.get(thread["id"], []), replies.get(thread["id"], "")) for thread in threads]
    for document in documents:
        # Impact indicators: the best improvement in percent (positive = better), for "at least 50%" filters.
        document["best_improvement"] = best.get(document["id"])
        document["best_verified_improvement"] = verified.get(document["id"])
    return documents


async def build_documents(thread_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Documents for the threads that exist and are published, in id order; other ids are simply absent (and
    so deleted from the index by the outbox).

    Five queries per chunk of QUERY_CHUNK threads (threads joined with agency and author, their values,
    their replies), however many threads or replies there are.
    """
    ids = sorted(set(thread_ids))
    documents: list[dict[str, Any]] = []
    for start in range(0, len(ids), QUERY_CHUNK):
        documents.extend(await _build_chunk(ids[start : start + QUERY_CHUNK]))
    return documents
