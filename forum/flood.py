"""Flood control as route guards: a minimum interval between posts, a daily cap for new members, and a limit
on registrations per address. Moderators and admins are exempt from posting limits (not from login limits).
Counts come from the database, so the limits hold across several workers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar.connection import ASGIConnection

from forum.clock import now
from forum.errors import TooManyRequests
from forum.ratelimit import ensure_below_limit
from forum.settings import Settings
from forum.tables import Post, Thread

REGISTRATION_WINDOW_SECONDS = 3600


def _settings(connection: ASGIConnection[Any, Any, Any, Any]) -> Settings:
    return connection.app.state.settings


async def within_posting_limits(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
    user = connection.user
    if user is None or user.is_moderator:
        return
    settings = _settings(connection)
    interval = settings.post_min_interval_seconds
    if interval > 0:
        since = now() - timedelta(seconds=interval)
        recent = await Post.exists().where((Post.author == user.id) & (Post.created_at > since))
        recent = recent or await Thread.exists().where((Thread.author == user.id) & (Thread.created_at > since))
        if recent:
            raise TooManyRequests(
                f"Anda baru saja mengirim tulisan. Tunggu {interval} detik sebelum mengirim lagi.", retry_after=interval
            )
    if not user.is_trusted and settings.new_member_daily_posts > 0:
        since = now() - timedelta(days=1)
        today = await Post.count().where((Post.author == user.id) & (Post.created_at > since))
        today += await Thread.count().where((Thread.author == user.id) & (Thread.created_at > since))
        if today >= settings.new_member_daily_posts:
            raise TooManyRequests(
                "Anggota baru dapat mengirim paling banyak "
                f"{settings.new_member_daily_posts} tulisan per hari. Coba lagi besok, atau minta verifikasi "
                "dari admin instansi Anda.",
                retry_after=3600,
            )


async def within_registration_limits(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
    settings = _settings(connection)
    address = connection.client.host if connection.client else "unknown"
    await ensure_below_limit(
        "register-ip",
        address,
        settings.register_max_per_ip,
        REGISTRATION_WINDOW_SECONDS,
        "Terlalu banyak pendaftaran dari alamat ini. Coba lagi dalam {minutes} menit.",
    )
