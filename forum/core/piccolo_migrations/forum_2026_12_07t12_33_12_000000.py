"""Tokens made before scopes and expiry keep working for 90 more days with every scope their account's role
allows (read and write; moderate for moderators and agency admins), then expire like any other."""

from datetime import UTC, datetime, timedelta

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-07T12:33:12:000000"
VERSION = "1.38.0"
DESCRIPTION = "existing API tokens get scopes and an expiry"


async def existing_tokens_expire() -> None:
    engine = engine_finder()
    expiry = datetime.now(UTC) + timedelta(days=90)
    await engine.run_querystring(QueryString('UPDATE "api_token" SET "expires_at" = {} WHERE "expires_at" IS NULL', expiry))
    await engine.run_querystring(QueryString(
        'UPDATE "api_token" SET "scopes" = {} WHERE "user" IN (SELECT "id" FROM "forum_user" '
        "WHERE \"role\" IN ('moderator', 'admin') OR \"is_agency_admin\")", "read write moderate"
    ))


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="forum", description=DESCRIPTION)
    manager.add_raw(existing_tokens_expire)
    return manager
