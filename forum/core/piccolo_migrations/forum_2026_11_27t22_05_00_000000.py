from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-27T22:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one flag per member and target"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="forum", description=DESCRIPTION)

    async def one_flag_per_member() -> None:
        # A member flags a thread or a reply once; a unique index makes that hold under concurrency too.
        await engine_finder().run_ddl(
            'CREATE UNIQUE INDEX IF NOT EXISTS flag_target_reporter ON "flag" (target_type, target_id, reporter)'
        )

    async def drop_index() -> None:
        await engine_finder().run_ddl("DROP INDEX IF EXISTS flag_target_reporter")

    manager.add_raw(one_flag_per_member)
    manager.add_raw_backwards(drop_index)
    return manager
