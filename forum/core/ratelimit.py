"""Sliding-window limits counted in the database, so they hold across several app workers on either engine.

Keys are whatever identifies the limited party (an address, an email); they are stored hashed, so every key has
the same short length whatever the client sent. A limit that cannot be read or counted fails closed: the request
is refused (503), never let through uncounted. ``take_hit`` checks and counts in one transaction, serialised per
key, so a burst of concurrent requests cannot all pass the check before any of them is counted.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from forum.core.db import engine, is_sqlite, write_transaction
from forum.core.errors import ServiceUnavailable, TooManyRequests
from forum.core.tables import RateLimitHit

log = logging.getLogger(__name__)
LIMIT_LOCK_NAMESPACE = 0x5E10  # first key of pg_advisory_xact_lock(int, int): "rate limits, per key"
T = TypeVar("T")
_UNAVAILABLE = "Batas permintaan tidak dapat diperiksa saat ini. Coba lagi sebentar lagi."


def _now() -> datetime:
    return datetime.now(UTC)


def _stored_key(bucket: str, key: str) -> str:
    return f"{bucket}:{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()}"


async def _fail_closed(operation: Awaitable[T]) -> T:
    try:
        return await operation
    except Exception:  # a lost database must not mean an uncounted attempt
        log.exception("rate limit store failed; refusing the request")
        raise ServiceUnavailable(_UNAVAILABLE, retry_after=30) from None


async def count_hits(bucket: str, key: str, window_seconds: int) -> int:
    since = _now() - timedelta(seconds=window_seconds)
    return await _fail_closed(
        RateLimitHit.count().where((RateLimitHit.key == _stored_key(bucket, key)) & (RateLimitHit.created_at > since))
    )


async def clear_hits(bucket: str, key: str) -> None:
    await RateLimitHit.delete().where(RateLimitHit.key == _stored_key(bucket, key))


async def ensure_below_limit(bucket: str, key: str, limit: int, window_seconds: int, message: str) -> None:
    """A pre-check only (a guard refusing early): the count that holds is ``take_hit``'s."""
    if await count_hits(bucket, key, window_seconds) >= limit:
        raise _too_many(message, window_seconds)


def _too_many(message: str, window_seconds: int) -> TooManyRequests:
    return TooManyRequests(message.format(minutes=max(1, window_seconds // 60)), retry_after=window_seconds)


async def _take(stored: str, bucket: str, limit: int, window_seconds: int) -> int | None:
    since = _now() - timedelta(seconds=window_seconds)
    async with write_transaction():
        # SQLite's IMMEDIATE transaction already holds the only write lock; PostgreSQL locks this key alone.
        if not is_sqlite():
            await engine().run_ddl(f"SELECT pg_advisory_xact_lock({LIMIT_LOCK_NAMESPACE}, {int(stored[-7:], 16)})")
        counted = await RateLimitHit.count().where((RateLimitHit.key == stored) & (RateLimitHit.created_at > since))
        if counted >= limit:
            return None
        rows = await RateLimitHit.insert(RateLimitHit(bucket=bucket, key=stored, created_at=_now())).returning(
            RateLimitHit.id
        )
        return int(rows[0]["id"])


async def take_hit(bucket: str, key: str, limit: int, window_seconds: int, message: str) -> int:
    """Count one attempt, or refuse it (429) when ``limit`` attempts are already counted in the window. Returns
    the hit's id, for ``give_back`` when the attempt turns out not to count (a successful login)."""
    hit = await _fail_closed(_take(_stored_key(bucket, key), bucket, limit, window_seconds))
    if hit is None:
        raise _too_many(message, window_seconds)
    return hit


async def give_back(hit_id: int) -> None:
    await RateLimitHit.delete().where(RateLimitHit.id == hit_id)


KEEP_HITS_SECONDS = 86_400  # longer than any window a limit counts over (the longest is an hour)


async def prune_old_hits(older_than_seconds: int = KEEP_HITS_SECONDS) -> int:
    """Delete hits no window can count any more (forum.core.housekeeping runs this)."""
    cutoff = _now() - timedelta(seconds=older_than_seconds)
    deleted = await RateLimitHit.delete().where(RateLimitHit.created_at < cutoff).returning(RateLimitHit.id)
    return len(deleted)
