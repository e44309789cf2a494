from __future__ import annotations

from urllib.parse import urljoin

import httpx

from forum.core.clock import now
from forum.core.tables import Thread
from tests.support.factories import make_thread, make_user


async def test_keyset_pagination_returns_every_thread_exactly_once(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    ids = [(await make_thread(author, title=f"Topik uji nomor {n:02d}"))["id"] for n in range(45)]
    # Ties on the sort key must not lose or repeat rows: give a third of them the very same timestamp.
    same = now()
    await Thread.update({Thread.last_activity_at: same}).where(Thread.id.is_in(ids[::3]))
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        query = "limit=7" + (f"&cursor={cursor}" if cursor else "")
        response = await client.get(f"/api/threads?{query}")
        assert response.status_code == 200
        body = response.json()
        assert len(body["items"]) <= 7
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    assert pages == 7
    # Newest activity first.
    activity = {row["id"]: row["last_activity_at"] for row in await Thread.select(Thread.id, Thread.last_activity_at)}
    assert [activity[i] for i in seen] == sorted((activity[i] for i in seen), reverse=True)


async def test_pages_follow_the_cursor_too(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    for n in range(25):
        await make_thread(author, title=f"Topik halaman nomor {n:02d}")
    first = await client.get("/topik")
    assert first.text.count('class="thread-item"') == 20
    next_link = first.text.split('class="pager"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
    # The link is relative to the page, as a browser resolves it.
    second = await client.get(urljoin(str(first.url), next_link.replace("&amp;", "&")))
    assert second.text.count('class="thread-item"') == 5


async def test_bad_cursor_is_a_clear_422(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/threads?cursor=not-a-cursor")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "cursor"
