"""Sliding-window limits counted in the database, so they hold across several app workers on either engine."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from forum.errors import TooManyRequests
from forum.tables import RateLimitHit


def _now() -> datetime:
    return datetime.now(timezone.utc)


async def count_hits(bucket: str, key: str, window_seconds: int) -> int:
    since = _now() - timedelta(seconds=window_seconds)
    return await RateLimitHit.count().where(
        (RateLimitHit.key == f"{bucket}:{key}") & (RateLimitHit.created_at > since)
    )


async def record_hit(bucket: str, key: str) -> None:
    await RateLimitHit.insert(RateLimitHit(bucket=bucket, key=f"{bucket}:{key}", created_at=_now()))


async def clear_hits(bucket: str, key: str) -> None:
    await RateLimitHit.delete().where(RateLimitHit.key == f"{bucket}:{key}")


async def ensure_below_limit(bucket: str, key: str, limit: int, window_seconds: int, message: str) -> None:
    if await count_hits(bucket, key, window_seconds) >= limit:
        minutes = max(1, window_seconds // 60)
        raise TooManyRequests(message.format(minutes=minutes), retry_after=window_seconds)


async def prune_old_hits(older_than_seconds: int = 86_400) -> int:
    cutoff = _now() - timedelta(seconds=older_than_seconds)
    deleted = await RateLimitHit.delete().where(RateLimitHit.created_at < cutoff).returning(RateLimitHit.id)
    return len(deleted)
