"""Stored states in English: commitments open/done/cancelled, replications interest/agreed/implemented/reported/
cancelled (their Indonesian labels live in forum.core.taxonomy). The dashboard's roll-up names replication
states in its metrics, so it is recounted from the source tables."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-07T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "English codes for commitment and replication states"

# Spelled out here: a migration must not change with later code.
COMMITMENT_STATUS = {"selesai": "done", "dibatalkan": "cancelled"}
REPLICATION_STATE = {
    "minat": "interest",
    "disepakati": "agreed",
    "diterapkan": "implemented",
    "hasil": "reported",
    "dibatalkan": "cancelled",
}


async def _rename(table: str, column: str, mapping: dict[str, str]) -> None:
    engine = engine_finder()
    for old, new in mapping.items():
        await engine.run_querystring(
            QueryString(f'UPDATE "{table}" SET "{column}" = {{}} WHERE "{column}" = {{}}', new, old)
        )


async def _switch(commitments: dict[str, str], replications: dict[str, str], default: str) -> None:
    await _rename("commitment", "status", commitments)
    await _rename("replication", "state", replications)
    engine = engine_finder()
    if engine.engine_type == "postgres":  # SQLite cannot change a column's default (Piccolo writes it anyway)
        await engine.run_querystring(
            QueryString(f"ALTER TABLE \"replication\" ALTER COLUMN \"state\" SET DEFAULT '{default}'")
        )
    await engine.run_querystring(QueryString('DELETE FROM "dashboard_tally"'))
    await engine.run_querystring(QueryString('DELETE FROM "dashboard_month_tally"'))
    await engine.run_querystring(QueryString('INSERT INTO "dashboard_stale_day" ("day") VALUES (NULL)'))


async def to_english() -> None:
    await _switch(COMMITMENT_STATUS, REPLICATION_STATE, "interest")


async def to_indonesian() -> None:
    await _switch({new: old for old, new in COMMITMENT_STATUS.items()},
                  {new: old for old, new in REPLICATION_STATE.items()}, "minat")  # fmt: skip


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="forum", description=DESCRIPTION)
    manager.add_raw(to_english)
    manager.add_raw_backwards(to_indonesian)
    return manager
