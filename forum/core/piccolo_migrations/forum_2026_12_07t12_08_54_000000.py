"""Accounts made before addresses were confirmed keep writing: their address counts as confirmed when made."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-07T12:08:54:000000"
VERSION = "1.38.0"
DESCRIPTION = "existing accounts count as confirmed"


async def existing_accounts_are_confirmed() -> None:
    await engine_finder().run_querystring(
        QueryString('UPDATE "forum_user" SET "email_confirmed_at" = "created_at" WHERE "email_confirmed_at" IS NULL')
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="forum", description=DESCRIPTION)
    manager.add_raw(existing_accounts_are_confirmed)
    return manager
