"""Housekeeping: spent rate-limit hits are pruned beside the app, and the ones a window still counts stay; and
retention: notifications, search misses, sent mail and spent links go after their period, the rest stays."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import anyio
import pytest

from forum.core import housekeeping, ratelimit
from forum.core.clock import now
from forum.core.tables import AccountToken, Notification, OutgoingMail, RateLimitHit, SearchMiss
from tests.support import database
from tests.support.apps import client_with
from tests.support.factories import make_user


@pytest.fixture(autouse=True)
async def empty_tables() -> AsyncIterator[None]:
    await database.wipe()
    yield
    await database.wipe()


async def _hits(*ages: timedelta) -> None:
    for age in ages:
        await RateLimitHit.insert(RateLimitHit(bucket="login-ip", key="198.51.100.7", created_at=now() - age))


async def test_a_round_removes_only_hits_no_window_counts() -> None:
    await _hits(timedelta(days=3), timedelta(days=1, minutes=1), timedelta(minutes=5), timedelta(hours=23))
    assert (await housekeeping.run_chores())["rate_limit_hits"] == 2
    kept = sorted(row["created_at"] for row in await RateLimitHit.select(RateLimitHit.created_at))
    assert len(kept) == 2 and all(now() - moment < timedelta(seconds=ratelimit.KEEP_HITS_SECONDS) for moment in kept)
    assert (await housekeeping.run_chores())["rate_limit_hits"] == 0


async def test_the_app_prunes_in_the_background() -> None:
    await _hits(timedelta(days=2), timedelta(minutes=1))
    async with client_with(housekeeping_seconds=1):  # its own app, with the chores switched on
        with anyio.fail_after(10):
            while await RateLimitHit.count() > 1:
                await anyio.sleep(0.1)
        assert await RateLimitHit.count() == 1  # the recent one: a window still counts it


async def test_retention_periods() -> None:
    user = await make_user("ani@sleman.go.id")
    old, recent = now() - timedelta(days=400), now() - timedelta(days=10)
    for moment in (old, recent):
        await Notification.insert(Notification(user=user.id, kind="reply", text="Balasan baru", url="/", created_at=moment))
        await SearchMiss.insert(SearchMiss(query="sampah plastik", created_at=moment))
        await OutgoingMail.insert(OutgoingMail(to_address="ani@sleman.go.id", subject="Notifikasi", sent_at=moment))
    await OutgoingMail.insert(OutgoingMail(to_address="ani@sleman.go.id", subject="Belum terkirim", created_at=old))
    await AccountToken.insert(AccountToken(user=user.id, purpose="confirm_email", token_hash="a" * 64,
                                           email=user.email, expires_at=now() - timedelta(hours=1)),
                              AccountToken(user=user.id, purpose="confirm_email", token_hash="b" * 64,
                                           email=user.email, expires_at=now() + timedelta(hours=1)))  # fmt: skip
    removed = await housekeeping.run_chores()
    assert removed == {"rate_limit_hits": 0, "notifications": 1, "search_misses": 1, "sent_mail": 1, "spent_links": 1}
    assert await Notification.count() == 1 and await SearchMiss.count() == 1 and await AccountToken.count() == 1
    assert await OutgoingMail.count().where(OutgoingMail.subject == "Belum terkirim") == 1  # unsent mail waits
