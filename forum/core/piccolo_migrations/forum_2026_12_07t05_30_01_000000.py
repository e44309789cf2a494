"""Existing notifications get their thread from their address (a thread's page or a reply's permalink)."""

import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-07T05:30:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "notification.thread for existing notices"

# As the addresses were written when this migration was (a migration must not change with later code).
THREAD_ADDRESS = re.compile(r"^/topik/(\d+)(?:/|$)")
REPLY_ADDRESS = re.compile(r"^/balasan/(\d+)$")


async def fill_threads_from_addresses() -> None:
    engine = engine_finder()
    rows = await engine.run_querystring(QueryString('SELECT "id", "url" FROM "notification" WHERE "thread" IS NULL'))
    for row in rows:
        thread = THREAD_ADDRESS.match(row["url"] or "")
        reply = REPLY_ADDRESS.match(row["url"] or "")
        if thread:
            found = await engine.run_querystring(
                QueryString('SELECT "id" FROM "thread" WHERE "id" = {}', int(thread.group(1)))
            )
        elif reply:
            found = await engine.run_querystring(
                QueryString('SELECT "thread" AS "id" FROM "post" WHERE "id" = {}', int(reply.group(1)))
            )
        else:
            continue
        if found:
            await engine.run_querystring(
                QueryString('UPDATE "notification" SET "thread" = {} WHERE "id" = {}', found[0]["id"], row["id"])
            )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="forum", description=DESCRIPTION)
    manager.add_raw(fill_threads_from_addresses)
    return manager
