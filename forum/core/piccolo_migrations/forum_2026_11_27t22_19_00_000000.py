from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-27T22:19:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one appreciation per member and post; one watch per member and target"

INDEXES = {
    "appreciation_target_giver": 'ON "appreciation" (target_type, target_id, giver)',
    "watch_user_target": 'ON "watch" ("user", target_type, target_key)',
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="forum", description=DESCRIPTION)

    async def create_indexes() -> None:
        # Uniqueness that must hold under concurrent clicks, so it lives in the database.
        for name, target in INDEXES.items():
            await engine_finder().run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} {target}")

    async def drop_indexes() -> None:
        for name in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
