"""A thread's address never collides with a page under /topik/<id>/ (a thread titled "Riwayat!" is not a history page)."""

from __future__ import annotations

from typing import Any

import httpx

from forum.core.tables import SearchOutbox, Thread
from forum.threads.service import THREAD_SUBPAGES, thread_slug
from tests.support.factories import make_thread, make_user

PREFIX = "/topik/{thread_id:int}/"


async def test_every_page_under_a_thread_is_a_reserved_slug(app: Any) -> None:
    names = {
        path[len(PREFIX) :].split("/")[0]
        for route in app.routes
        for path in [route.path]
        if path.startswith(PREFIX) and not path[len(PREFIX) :].startswith("{")
    }
    assert names and names <= THREAD_SUBPAGES, sorted(names - THREAD_SUBPAGES)


def test_titles_named_like_a_page_get_another_slug() -> None:
    assert thread_slug("Ubah") == "ubah-topik"
    assert thread_slug("Silsilah replikasi") == "silsilah-replikasi-topik"
    assert thread_slug("Ubah jadwal layanan") == "ubah-jadwal-layanan"
    assert thread_slug("!!!") == "topik"


async def test_a_thread_named_like_a_page_opens_as_a_thread(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@sleman.go.id")
    thread = await make_thread(author, title="Silsilah replikasi")
    assert thread["url"].endswith("/silsilah-replikasi-topik")
    page = await client.get(thread["url"])
    assert page.status_code == 200 and '<h1 id="thread-title">Silsilah replikasi</h1>' in page.text


async def test_the_migration_moves_existing_threads_off_page_names(app: Any) -> None:
    """Rows stored before the fix: the migration's function renames them and queues them for the index."""
    from forum.core.piccolo_migrations.forum_2026_11_28t04_40_00_000000 import move_slugs_off_page_names

    author = await make_user("ani@sleman.go.id")
    thread = await make_thread(author, title="Riwayat!!")
    await Thread.update({Thread.slug: "riwayat"}).where(Thread.id == thread["id"])
    queued = await SearchOutbox.count().where(SearchOutbox.entity_id == thread["id"])
    await move_slugs_off_page_names()
    assert (await Thread.select(Thread.slug).where(Thread.id == thread["id"]).first())["slug"] == "riwayat-topik"
    assert await SearchOutbox.count().where(SearchOutbox.entity_id == thread["id"]) == queued + 1
