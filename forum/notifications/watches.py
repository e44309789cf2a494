"""Watching (mengikuti) a thread, a sector or a BerAKHLAK value: who hears about new replies and new threads.

A watch is one row per (user, target_type, target_key); a unique index (watch_user_target) makes watching
idempotent under concurrent clicks. Thread keys are the thread id as text; sector and value keys are slugs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from forum.core.clock import now
from forum.core.errors import InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.pagination import Page, decode_cursor, encode_cursor
from forum.core.prepared import prepared
from forum.core.tables import Thread, Watch
from forum.core.taxonomy import SECTOR_BY_SLUG, VALUE_BY_SLUG
from forum.core.urls import thread_url
from forum.core.validation import clean_text
from forum.core.visibility import can_see

THREAD = "thread"
SECTOR = "sector"
VALUE = "value"
TARGET_TYPES = (THREAD, SECTOR, VALUE)
PAGE_SIZE = 50
TYPE_LABELS = {THREAD: "Topik", SECTOR: "Sektor", VALUE: "Nilai BerAKHLAK"}


def _clean_target(target_type: object, target_key: object) -> tuple[str, str]:
    kind = clean_text(target_type)
    is_number = isinstance(target_key, int) and not isinstance(target_key, bool)
    key = str(target_key) if is_number else clean_text(target_key)
    errors: dict[str, str] = {}
    if kind not in TARGET_TYPES:
        errors["target_type"] = "Jenis yang diikuti harus topik (thread), sektor (sector) atau nilai (value)."
    elif kind == THREAD and not (key.isascii() and key.isdigit() and len(key) <= 18):
        errors["target_key"] = "Nomor topik tidak valid."
    elif kind == SECTOR and key not in SECTOR_BY_SLUG:
        errors["target_key"] = f"Sektor '{key[:60]}' tidak dikenal."
    elif kind == VALUE and key not in VALUE_BY_SLUG:
        errors["target_key"] = f"Nilai BerAKHLAK '{key[:60]}' tidak dikenal."
    if errors:
        raise InvalidInput(errors)
    return kind, str(int(key)) if kind == THREAD else key


async def _insert(user_id: int, target_type: str, target_key: str) -> bool:
    """Insert unless it exists; True when a row was added. Safe under concurrency (the unique index decides)."""
    added = await Watch.insert(
        Watch(user=user_id, target_type=target_type, target_key=target_key, created_at=now())
    ).on_conflict(action="DO NOTHING").returning(Watch.id)
    return bool(added)


async def watch(user: CurrentUser, target_type: object, target_key: object) -> tuple[dict[str, Any], bool]:
    """Start watching; returns the watch (with its label and URL) and whether it is new."""
    kind, key = _clean_target(target_type, target_key)
    if kind == THREAD:
        thread = await Thread.select(Thread.id, Thread.status, Thread.author).where(Thread.id == int(key)).first()
        if thread is None or not can_see(user, thread):
            raise NotFound("Topik tidak ditemukan.")
    created = await _insert(user.id, kind, key)
    row = await Watch.select(Watch.id, Watch.target_type, Watch.target_key, Watch.created_at).where(
        (Watch.user == user.id) & (Watch.target_type == kind) & (Watch.target_key == key)
    ).first()
    assert row is not None
    (described,) = await describe([row])
    return described, created


async def unwatch(user_id: int, target_type: object, target_key: object) -> bool:
    """Stop watching (idempotent); True if a watch was removed. Any key is accepted, so stale watches
    (a deleted thread, say) can always be removed."""
    kind = clean_text(target_type)
    key = str(target_key) if isinstance(target_key, int) else clean_text(target_key)
    if kind not in TARGET_TYPES or not key:
        raise InvalidInput({"target_type": "Jenis atau kunci yang diikuti tidak valid."})
    removed = await Watch.delete().where(
        (Watch.user == user_id) & (Watch.target_type == kind) & (Watch.target_key == key)
    ).returning(Watch.id)
    return bool(removed)


async def watch_thread(user_id: int, thread_id: int) -> None:
    """The automatic watch of a thread's author and of everyone who replies (no checks: the caller just wrote)."""
    await _insert(user_id, THREAD, str(thread_id))


@prepared(3, first=True)
def _watch_of(user_id: Any, target_type: Any, target_key: Any) -> Any:
    return Watch.select(Watch.id).where(
        (Watch.user == user_id) & (Watch.target_type == target_type) & (Watch.target_key == target_key)
    ).limit(1)


async def is_watching(user: CurrentUser | None, target_type: str, target_key: object) -> bool:
    """For a page's "Ikuti"/"Berhenti mengikuti" button; anonymous visitors cost no query."""
    if user is None:
        return False
    return await _watch_of(user.id, target_type, str(target_key)) is not None


async def watchers(target_type: str, keys: Iterable[object]) -> dict[int, str]:
    """Who watches any of these targets of one type: {user_id: the first matching key} (one query)."""
    wanted = [str(key) for key in keys]
    if not wanted:
        return {}
    rows = await Watch.select(Watch.user, Watch.target_key).where(
        (Watch.target_type == target_type) & Watch.target_key.is_in(wanted)
    ).order_by(Watch.id)
    found: dict[int, str] = {}
    order = {key: index for index, key in enumerate(wanted)}
    for row in sorted(rows, key=lambda r: order.get(r["target_key"], 0)):
        found.setdefault(row["user"], row["target_key"])
    return found


async def list_watches(user_id: int, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page[dict[str, Any]]:
    """This person's watches, newest first (keyset on id), each with a label and a URL: two queries a page."""
    limit = max(1, min(limit, 200))
    query = Watch.select(Watch.id, Watch.target_type, Watch.target_key, Watch.created_at).where(
        (Watch.user == user_id) & Watch.target_type.is_in(list(TARGET_TYPES))
    )
    if cursor:
        (before_id,) = decode_cursor(cursor, int)
        query = query.where(Watch.id < before_id)
    rows = await query.order_by(Watch.id, ascending=False).limit(limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=await describe(rows), next_cursor=encode_cursor(rows[-1]["id"]) if more and rows else None)


async def describe(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add label, url and type_label to watch rows; thread titles come from one query."""

    thread_ids = [int(r["target_key"]) for r in rows if r["target_type"] == THREAD and r["target_key"].isdigit()]
    threads = {}
    if thread_ids:
        found = await Thread.select(Thread.id, Thread.title, Thread.slug).where(Thread.id.is_in(thread_ids))
        threads = {t["id"]: t for t in found}
    out = []
    for row in rows:
        kind, key = row["target_type"], row["target_key"]
        item = {**row, "type_label": TYPE_LABELS.get(kind, kind)}
        if kind == THREAD:
            thread = threads.get(int(key)) if key.isdigit() else None
            item["label"] = thread["title"] if thread else f"Topik #{key} (tidak tersedia lagi)"
            item["url"] = thread_url(thread["id"], thread["slug"]) if thread else ""
        elif kind == SECTOR:
            term = SECTOR_BY_SLUG.get(key)
            item["label"] = term.label if term else key
            item["url"] = f"/sektor/{key}"
        else:
            term = VALUE_BY_SLUG.get(key)
            item["label"] = term.label if term else key
            item["url"] = f"/nilai/{key}"
        out.append(item)
    return out


async def move_thread_watches(from_thread_id: int, to_thread_id: int) -> int:
    """When a duplicate is merged, its watchers follow the surviving thread. Call inside the merge transaction."""
    rows = await Watch.select(Watch.user).where(
        (Watch.target_type == THREAD) & (Watch.target_key == str(from_thread_id))
    )
    for row in rows:
        await _insert(row["user"], THREAD, str(to_thread_id))
    await Watch.delete().where((Watch.target_type == THREAD) & (Watch.target_key == str(from_thread_id)))
    return len(rows)
