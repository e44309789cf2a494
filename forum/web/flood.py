"""Flood control: a minimum interval between posts, a daily cap for new members, and a limit on registrations
per address. Posting limits are enforced inside the write transaction of the post they count (see
``enforce_posting_limits``); the route guard only refuses early. Moderators and admins are exempt from posting
limits (not from login limits). Counts come from the database, so the limits hold across several workers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from litestar.connection import ASGIConnection

from forum.core.clock import now
from forum.core.db import engine, is_sqlite
from forum.core.errors import TooManyRequests
from forum.core.ratelimit import ensure_below_limit, take_hit
from forum.core.settings import Settings, get_settings
from forum.core.tables import Post, Thread

if TYPE_CHECKING:
    from forum.core.identity import CurrentUser

REGISTRATION_WINDOW_SECONDS = 3600
AUTHOR_LOCK_NAMESPACE = 0x5E0F  # first key of pg_advisory_xact_lock(int, int): "posting limits, per author"


@dataclass(frozen=True, slots=True)
class PostingLimits:
    """The posting limits a write enforces: seconds between two posts, and posts a day for unverified members
    (0 switches either off)."""

    min_interval_seconds: int = 0
    new_member_daily_posts: int = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> PostingLimits:
        return cls(settings.post_min_interval_seconds, settings.new_member_daily_posts)


NO_LIMITS = PostingLimits()


def posting_limits(connection: ASGIConnection[Any, Any, Any, Any]) -> PostingLimits:
    return PostingLimits.from_settings(get_settings())


async def _lock_author(user_id: int) -> None:
    """Serialize one author's writes until the transaction ends. PostgreSQL: a transaction-level advisory lock
    keyed on the user id (released at COMMIT/ROLLBACK, after the new row is visible to the next holder).
    SQLite: the write transaction is IMMEDIATE, so it already holds the database's only write lock."""
    db = engine()
    if db.current_transaction.get() is None:
        raise RuntimeError("Posting limits are enforced inside the write's own transaction")
    if not is_sqlite():
        await db.run_ddl(f"SELECT pg_advisory_xact_lock({AUTHOR_LOCK_NAMESPACE}, {int(user_id)})")


async def enforce_posting_limits(user: CurrentUser, limits: PostingLimits) -> None:
    """Check the limits and hold them until the caller's write commits. Call it inside ``write_transaction()``
    before inserting: the count read here and the row written after are one atomic step, so concurrent requests
    from one author store exactly what the limits allow and the rest get 429."""
    if user.is_moderator or (limits.min_interval_seconds <= 0 and limits.new_member_daily_posts <= 0):
        return
    await _lock_author(user.id)
    await check_posting_limits(user, limits)


async def check_posting_limits(user: CurrentUser, limits: PostingLimits) -> None:
    """The limits as they stand (429 when one is reached). Without the author lock this is only a pre-check."""
    if user.is_moderator:
        return
    interval = limits.min_interval_seconds
    if interval > 0:
        since = now() - timedelta(seconds=interval)
        recent = await Post.exists().where((Post.author == user.id) & (Post.created_at > since))
        recent = recent or await Thread.exists().where((Thread.author == user.id) & (Thread.created_at > since))
        if recent:
            raise TooManyRequests(
                f"Anda baru saja mengirim tulisan. Tunggu {interval} detik sebelum mengirim lagi.", retry_after=interval
            )
    if not user.is_trusted and limits.new_member_daily_posts > 0:
        since = now() - timedelta(days=1)
        today = await Post.count().where((Post.author == user.id) & (Post.created_at > since))
        today += await Thread.count().where((Thread.author == user.id) & (Thread.created_at > since))
        if today >= limits.new_member_daily_posts:
            raise TooManyRequests(
                "Anggota baru dapat mengirim paling banyak "
                f"{limits.new_member_daily_posts} tulisan per hari. Coba lagi besok, atau minta verifikasi "
                "dari admin instansi Anda.",
                retry_after=3600,
            )


async def within_posting_limits(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
    """Route guard: refuse early, before the body is read or rendered. Only a pre-check — writes that are counted
    (replies, threads) enforce the limits again in their own transaction with ``enforce_posting_limits``."""
    user = connection.user
    if user is None:
        return
    await check_posting_limits(user, posting_limits(connection))


_TOO_MANY_REGISTRATIONS = "Terlalu banyak pendaftaran dari alamat ini. Coba lagi dalam {minutes} menit."


def _registration_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return connection.client.host if connection.client else "unknown"


async def within_registration_limits(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
    """Route guard: refuse early, before the form is read. Only a pre-check — ``take_registration_slot``
    counts."""
    limit = get_settings().register_max_per_ip
    await ensure_below_limit(
        "register-ip", _registration_address(connection), limit, REGISTRATION_WINDOW_SECONDS, _TOO_MANY_REGISTRATIONS
    )


async def take_registration_slot(connection: ASGIConnection[Any, Any, Any, Any]) -> int:
    """Count a registration from this address before creating it (check and count in one transaction), so a
    burst from one address creates no more accounts than the limit. Give it back if the form is refused."""
    limit = get_settings().register_max_per_ip
    return await take_hit(
        "register-ip", _registration_address(connection), limit, REGISTRATION_WINDOW_SECONDS, _TOO_MANY_REGISTRATIONS
    )
