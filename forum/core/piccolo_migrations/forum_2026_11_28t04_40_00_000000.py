from datetime import datetime, timezone

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-28T04:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "thread slugs never name a page under /topik/<id>/"

# As forum.threads.service.THREAD_SUBPAGES was when this migration was written (a migration must not change
# with later code).
PAGE_NAMES = ("ubah", "hapus", "riwayat", "silsilah-replikasi", "balas", "moderasi", "laporkan", "solusi", "pilih",
              "batal-pilih", "indikator", "apresiasi", "replikasi", "tindak-lanjut")  # fmt: skip


async def move_slugs_off_page_names() -> None:
    """A thread whose slug is a page name ("ubah") gets "<name>-topik", as new ones do, and is queued for the
    search index (its documents carry the address)."""
    engine = engine_finder()
    names = ", ".join("{}" for _ in PAGE_NAMES)
    rows = await engine.run_querystring(QueryString(f'SELECT "id" FROM "thread" WHERE "slug" IN ({names})', *PAGE_NAMES))
    moment = datetime.now(timezone.utc)
    for row in rows:
        await engine.run_querystring(
            QueryString('UPDATE "thread" SET "slug" = "slug" || {} WHERE "id" = {}', "-topik", row["id"])
        )
        await engine.run_querystring(
            QueryString(
                'INSERT INTO "search_outbox" ("entity", "entity_id", "operation", "created_at", "available_at", '
                '"attempts", "last_error") VALUES ({}, {}, {}, {}, {}, {}, {})',
                "thread", row["id"], "upsert", moment, moment, 0, "",
            )
        )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="forum", description=DESCRIPTION)
    manager.add_raw(move_slugs_off_page_names)
    return manager
