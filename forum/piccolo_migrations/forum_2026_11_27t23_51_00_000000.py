from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-27T23:51:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "dashboard roll-up: lookup index, and a first full count"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="forum", description=DESCRIPTION)

    async def create_index_and_mark() -> None:
        # Covers the dashboard's read (one grouping, a range of days) without touching the table itself.
        await engine_finder().run_ddl(
            "CREATE INDEX IF NOT EXISTS dashboard_tally_lookup ON dashboard_tally (per, day, member, metric, n)"
        )
        # A stale mark without a day: the first dashboard view (or `sinergi rebuild-dashboard`) counts the
        # existing data into the new roll-up.
        await engine_finder().run_ddl("INSERT INTO dashboard_stale_day (day) VALUES (NULL)")

    async def drop_index() -> None:
        await engine_finder().run_ddl("DROP INDEX IF EXISTS dashboard_tally_lookup")

    manager.add_raw(create_index_and_mark)
    manager.add_raw_backwards(drop_index)
    return manager
