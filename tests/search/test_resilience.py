"""Search going away must never hurt posting, and must never lose a change; rebuilding must never show a gap."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest

import search.reindex
from forum.core.clock import now
from forum.core.tables import SearchOutbox, Thread
from forum.threads.service import ThreadInput, delete_thread, edit_thread
from search import server
from search.query import SearchRequest, run_search
from search.reindex import reindex
from tests.search.conftest import running_app, settings_for
from tests.search.helpers import api, discussion, ids, pending, person, post, settle
from tests.support.factories import VALID_THREAD, token_for


async def _index_matches_database(service: Any) -> None:
    documents = await service.client.index(service.uid).get_documents(limit=1000, fields=["id", "title"])
    rows = await Thread.select(Thread.id, Thread.title)
    assert {(d["id"], d["title"]) for d in documents.results} == {(r["id"], r["title"]) for r in rows}


async def test_posting_survives_an_outage_and_nothing_is_lost(
    client: httpx.AsyncClient, service: Any, meili: server.LocalMeilisearch
) -> None:
    author = await person()
    writer = await person()  # posts through the API (its flood guard allows one post per person here)
    token = await token_for(writer)
    before = await post(author, **discussion("Topik sebelum gangguan mesin pencari"))
    doomed = await post(author, **discussion("Topik yang nanti dihapus saat gangguan"))
    await settle()
    meili.stop()
    try:
        response = await client.post(
            "/api/threads", json={**VALID_THREAD, "title": "Inovasi saat gangguan 0"},
            headers={"Authorization": f"Bearer {token}"},
        )  # fmt: skip
        assert response.status_code == 201, response.text
        created = [response.json()["id"]]
        for n in (1, 2):
            created.append((await post(author, title=f"Inovasi saat gangguan {n}"))["id"])
        await edit_thread(author, before["id"], ThreadInput.pick({"title": "Topik sebelum gangguan, sudah disunting"}), 1)
        await delete_thread(author, doomed["id"])
        with anyio.fail_after(10):  # the worker tried, failed, and kept every row for later
            while await SearchOutbox.count().where(SearchOutbox.done_at.is_null() & (SearchOutbox.attempts == 0)):
                await anyio.sleep(0.05)
        failed = await SearchOutbox.select().where(SearchOutbox.done_at.is_null())
        assert len(failed) == 5
        assert all(row["attempts"] >= 1 and "Meilisearch" in row["last_error"] for row in failed)
        assert all(row["available_at"] > row["created_at"] for row in failed)  # backing off
        await anyio.sleep(1)  # the worker keeps polling, but leaves rows alone until their retry time
        assert max(row["attempts"] for row in await SearchOutbox.select(SearchOutbox.attempts)) == 1
        during = await api(client, q="gangguan")  # the database answers meanwhile
        assert during["degraded"] is True and during["total"] == 4
    finally:
        meili.restart()
    # As if the backoff had elapsed (the worker would get there by itself within minutes).
    await SearchOutbox.update({SearchOutbox.available_at: now()}).where(SearchOutbox.done_at.is_null())
    await settle()
    await _index_matches_database(service)
    assert sorted(await ids(service, "gangguan")) == sorted([before["id"], *created])


async def test_reindex_swaps_while_search_keeps_answering(service: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    author = await person()
    for n in range(30):
        await post(author, **discussion(f"Arsip digital kelurahan nomor {n}"))
    await settle()
    late: list[int] = []
    fill = search.reindex._fill

    async def fill_then_change(*args: Any, **kwargs: Any) -> int:
        total = await fill(*args, **kwargs)
        # A thread created after the build read the database: the worker sends it to the old index.
        late.append((await post(author, **discussion("Arsip digital yang ditulis saat pembangunan ulang")))["id"])
        await anyio.sleep(0.5)
        return total

    monkeypatch.setattr(search.reindex, "_fill", fill_then_change)
    seen: list[tuple[int, bool]] = []
    finished = anyio.Event()

    async def keep_searching() -> None:
        while not finished.is_set():
            result = await run_search(service.client, service.uid, SearchRequest(q="arsip digital"))
            seen.append((result.total, result.degraded))

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(keep_searching)
        indexed = await reindex(service.client, service.uid)
        finished.set()
    assert indexed == 30
    assert len(seen) > 10 and all(total >= 30 and not degraded for total, degraded in seen), seen
    await settle()
    assert late[0] in await ids(service, "ditulis saat pembangunan")
    await _index_matches_database(service)
    indexes = await service.client.get_indexes(limit=1000)
    assert not [index.uid for index in indexes or [] if index.uid.startswith(f"{service.uid}_build_")]
    # First build (no live index yet): renamed into place.
    task = await service.client.index(service.uid).delete()
    await service.client.wait_for_task(task.task_uid)
    assert await reindex(service.client, service.uid) == 31
    assert len(await ids(service, "arsip")) == 20


async def test_database_fallback_when_meilisearch_is_unreachable() -> None:
    async with running_app(settings_for(f"http://127.0.0.1:{server.free_port()}")) as app:
        author = await person()
        await post(author, **discussion("Antrean <em>loket</em> 100% daring", sector="kesehatan"))
        await post(author, **discussion("Antrean pasar tradisional", sector="perdagangan"))
        await post(author, **discussion("Penataan taman kota", sector="perdagangan"))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            body = await api(client, q="antrean", sector="perdagangan")
            assert body["degraded"] is True and body["total"] == 1
            assert body["hits"][0]["title"] == "<mark>Antrean</mark> pasar tradisional"
            assert set(body["facets"]) == {"value", "sector", "province", "agency", "kind", "stage", "featured", "answered", "replicated"}
            marked = await api(client, q="loket 100%")
            assert (
                marked["hits"][0]["title"] == "Antrean &lt;em&gt;<mark>loket</mark>&lt;/em&gt; <mark>100%</mark> daring"
            )
            assert (await api(client, q="100_"))["total"] == 0  # LIKE wildcards are taken literally
            page = await client.get("/cari", params={"q": "antrean"})
            assert page.status_code == 200 and "Pencarian sedang terbatas" in page.text
        assert await pending() == 3  # kept for when Meilisearch comes back


async def test_search_without_meilisearch_configured_still_answers() -> None:
    async with running_app(settings_for(None)) as app:
        assert app.state.search is None
        await post(await person(), **discussion("Antrean loket terpadu"))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            body = await api(client, q="loket")
            assert body["degraded"] is True and body["total"] == 1


async def test_concurrent_drainers_converge_on_the_database(service: Any) -> None:
    """Several drainers at once (as with several app workers): each row is sent, the index ends equal to the
    database, and no thread's older document overwrites a newer one."""
    from search.outbox import drain_once

    author = await person()
    threads = [await post(author, **discussion(f"Topik serentak nomor {n}")) for n in range(12)]
    stop = anyio.Event()

    async def drain_loop() -> None:
        while not stop.is_set():
            if not await drain_once(service.client, service.uid, batch_size=3):
                await anyio.sleep(0.01)

    async with anyio.create_task_group() as tasks:
        for _ in range(3):
            tasks.start_soon(drain_loop)
        for round_number in range(2):
            for thread in threads[::2]:
                await edit_thread(author, thread["id"], ThreadInput.pick({"title": f"Topik serentak {thread['id']} versi {round_number + 2}"}),
                                  round_number + 1)  # fmt: skip
        await settle()
        stop.set()
    await _index_matches_database(service)
    assert await SearchOutbox.count().where(SearchOutbox.attempts > 0) == 0


async def test_readiness_reports_search_state(app: Any, meili: server.LocalMeilisearch) -> None:
    from search.service import search_status

    assert await search_status(app) == "ok"
    meili.stop()
    try:
        assert await search_status(app) == "down"
    finally:
        meili.restart()
    assert await search_status(app) == "ok"
