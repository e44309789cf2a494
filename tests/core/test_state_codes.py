"""Stored states are English codes: the migration turns the old Indonesian ones into them (and back), and the
dashboard, whose roll-up names replication states, is recounted afterwards."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from forum.core.clock import now
from forum.core.tables import Commitment, DashboardStaleDay, DashboardTally, Replication
from forum.core.taxonomy import COMMITMENT_STATUS_LABELS, REPLICATION_STATE_LABELS
from tests.support import database
from tests.support.factories import make_thread, make_user

migration = importlib.import_module("forum.core.piccolo_migrations.forum_2026_12_07t12_00_00_000000")


@pytest.fixture(autouse=True)
async def empty_tables() -> AsyncIterator[None]:
    await database.wipe()
    yield
    await database.wipe()


async def _old_rows() -> None:
    author = await make_user("penulis@x.go.id")
    other = await make_user("peniru@y.go.id", agency="Kementerian PANRB")
    thread = await make_thread(author)
    for state in ("minat", "disepakati", "diterapkan", "hasil", "dibatalkan"):
        await Replication.insert(Replication(source_thread=thread["id"], agency=other.agency_id,
                                             requested_by=other.id, state=state, created_at=now()))  # fmt: skip
    for status in ("open", "selesai", "dibatalkan"):
        await Commitment.insert(Commitment(thread=thread["id"], what="Uji", owner=author.id,
                                           owner_agency=author.agency_id, due_on=now().date() + timedelta(days=3),
                                           created_by=author.id, created_at=now(), status=status))  # fmt: skip
    await DashboardTally.insert(DashboardTally(day=now().date(), per="semua", member="", metric="replications_minat", n=1))


async def test_old_states_become_the_codes_the_code_knows_and_the_dashboard_is_recounted() -> None:
    await _old_rows()
    await migration.to_english()
    states = sorted(row["state"] for row in await Replication.select(Replication.state))
    statuses = sorted(row["status"] for row in await Commitment.select(Commitment.status))
    assert states == sorted(REPLICATION_STATE_LABELS)
    assert statuses == sorted(COMMITMENT_STATUS_LABELS)
    assert await DashboardTally.count() == 0
    assert await DashboardStaleDay.exists().where(DashboardStaleDay.day.is_null())


async def test_the_migration_goes_back_too() -> None:
    await _old_rows()
    await migration.to_english()
    await migration.to_indonesian()
    states = sorted(row["state"] for row in await Replication.select(Replication.state))
    assert states == sorted(["minat", "disepakati", "diterapkan", "hasil", "dibatalkan"])
    assert sorted(row["status"] for row in await Commitment.select(Commitment.status)) == ["dibatalkan", "open",
                                                                                          "selesai"]  # fmt: skip
