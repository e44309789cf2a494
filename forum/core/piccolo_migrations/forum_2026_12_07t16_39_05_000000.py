"""Replies written before post.agency existed are credited to their author's agency at the time of this migration
(no one had moved agency yet: mutasi did not exist)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-07T16:39:05:000000"
VERSION = "1.38.0"
DESCRIPTION = "existing replies credited to their author's agency"


async def credit_existing_replies() -> None:
    await engine_finder().run_querystring(QueryString(
        'UPDATE "post" SET "agency" = (SELECT "agency" FROM "forum_user" WHERE "forum_user"."id" = "post"."author") '
        'WHERE "agency" IS NULL'
    ))


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="forum", description=DESCRIPTION)
    manager.add_raw(credit_existing_replies)
    return manager
