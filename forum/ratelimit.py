"""Sliding-window limits counted in the database, so they hold across several app workers on either engine.

Keys are whatever identifies the limited party (an address, an email); they are stored hashed, so every key has
the same short length whatever the client sent. A limit that cannot be read or counted fails closed: the request
is refused (503), never let through uncounted.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable
from datetime import datetime, timedelta, timezone
from typing import TypeVar

from forum.errors import ServiceUnavailable, TooManyRequests
from forum.tables import RateLimitHit

log = logging.getLogger(__name__)
T = TypeVar("T")
_UNAVAILABLE = "Batas permintaan tidak dapat diperiksa saat ini. Coba lagi sebentar lagi."


def _now() -> datetime:
    return datetime.now(timezone.utc)


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


async def record_hit(bucket: str, key: str) -> None:
    await _fail_closed(RateLimitHit.insert(RateLimitHit(bucket=bucket, key=_stored_key(bucket, key), created_at=_now())))


async def clear_hits(bucket: str, key: str) -> None:
    await RateLimitHit.delete().where(RateLimitHit.key == _stored_key(bucket, key))


async def ensure_below_limit(bucket: str, key: str, limit: int, window_seconds: int, message: str) -> None:
    if await count_hits(bucket, key, window_seconds) >= limit:
        minutes = max(1, window_seconds // 60)
        raise TooManyRequests(message.format(minutes=minutes), retry_after=window_seconds)


async def prune_old_hits(older_than_seconds: int = 86_400) -> int:
    cutoff = _now() - timedelta(seconds=older_than_seconds)
    deleted = await RateLimitHit.delete().where(RateLimitHit.created_at < cutoff).returning(RateLimitHit.id)
    return len(deleted)
