from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-28T00:37:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "dashboard roll-up: lookup indexes, and a first full count"

INDEXES = {
    # Each covers the dashboard's read (one grouping, a range of days or months) without touching the table.
    "dashboard_tally_lookup": "INDEX IF NOT EXISTS dashboard_tally_lookup ON dashboard_tally (per, day, member, metric, n)",
    "dashboard_month_tally_lookup": "INDEX IF NOT EXISTS dashboard_month_tally_lookup "
    "ON dashboard_month_tally (per, month, member, metric, n)",
    # One row per month and member: what lets a recount add and subtract a day's figures (ON CONFLICT).
    "dashboard_month_tally_key": "UNIQUE INDEX IF NOT EXISTS dashboard_month_tally_key "
    "ON dashboard_month_tally (per, month, member, metric)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="forum", description=DESCRIPTION)

    async def create_indexes_and_mark() -> None:
        for definition in INDEXES.values():
            await engine_finder().run_ddl(f"CREATE {definition}")
        # A stale mark without a day: the first dashboard view (or `sinergi rebuild-dashboard`) counts the
        # existing data into the new roll-up.
        await engine_finder().run_ddl("INSERT INTO dashboard_stale_day (day) VALUES (NULL)")

    async def drop_indexes() -> None:
        for name in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes_and_mark)
    manager.add_raw_backwards(drop_indexes)
    return manager
