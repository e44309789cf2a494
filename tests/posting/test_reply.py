from __future__ import annotations

import httpx

from forum.core.tables import Post, SearchOutbox, Thread
from forum.posting.service import REPLIES_PER_PAGE, ReplyInput, add_reply
from forum.web.flood import NO_LIMITS
from tests.support.factories import login, make_thread, make_user, post_form, token_for


async def test_reply_through_the_page(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya", name="Budi Santoso")
    thread = await make_thread(author)
    await login(client, "budi@y.go.id")
    response = await post_form(client, f"/topik/{thread['id']}/balas", {"body": "Kami ingin **mereplikasi** ini."})
    assert response.status_code == 303
    assert response.headers["location"] == f"{thread['url']}#balasan-1"
    page = await client.get(thread["url"])
    assert "<strong>mereplikasi</strong>" in page.text and "Budi Santoso" in page.text
    row = await Thread.select(Thread.reply_count, Thread.last_activity_at, Thread.created_at).first()
    assert row["reply_count"] == 1 and row["last_activity_at"] > row["created_at"]
    assert await SearchOutbox.count().where(SearchOutbox.entity_id == thread["id"]) == 2  # created + replied


async def test_empty_reply_shows_errors_and_stores_nothing(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    thread = await make_thread(author)
    await login(client, "ani@x.go.id")
    response = await post_form(client, f"/topik/{thread['id']}/balas", {"body": "   "})
    assert response.status_code == 422 and "Balasan wajib diisi" in response.text
    assert await Post.count() == 0


async def test_reply_edit_permissions_and_versions_over_the_api(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    other = await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    thread = await make_thread(author)
    ani = {"Authorization": f"Bearer {await token_for(author)}"}
    budi = {"Authorization": f"Bearer {await token_for(other)}"}
    created = await client.post(f"/api/threads/{thread['id']}/posts", json={"body": "Balasan pertama"}, headers=budi)
    assert created.status_code == 201
    post_id = created.json()["id"]
    assert created.json()["author"]["agency_name"] == "Dinas Kominfo Kota Surabaya"

    not_author = await client.patch(f"/api/posts/{post_id}", json={"body": "diubah orang lain", "version": 1}, headers=ani)
    assert not_author.status_code == 403
    ok = await client.patch(f"/api/posts/{post_id}", json={"body": "Balasan yang diperbaiki", "version": 1}, headers=budi)
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.json()["edited_at"]
    stale = await client.patch(f"/api/posts/{post_id}", json={"body": "versi basi", "version": 1}, headers=budi)
    assert stale.status_code == 409
    assert (await Post.select(Post.body_source).first())["body_source"] == "Balasan yang diperbaiki"
    anonymous = await client.post(f"/api/threads/{thread['id']}/posts", json={"body": "tanpa masuk"})
    assert anonymous.status_code in (401, 403)  # no session: CSRF or login refuses first
    assert await Post.count() == 1


async def test_reply_edit_page(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    thread = await make_thread(author)
    reply = await add_reply(author, thread["id"], ReplyInput(body="Isi awal balasan"), limits=NO_LIMITS)
    await login(client, "ani@x.go.id")
    form = await client.get(f"/balasan/{reply['id']}/ubah")
    assert form.status_code == 200 and "Isi awal balasan" in form.text
    response = await post_form(client, f"/balasan/{reply['id']}/ubah", {"body": "Isi baru balasan", "version": "1"})
    assert response.status_code == 303
    page = await client.get(thread["url"])
    assert "Isi baru balasan" in page.text and "disunting" in page.text


async def test_replies_paginate_and_permalinks_find_their_page(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    thread = await make_thread(author)
    ids = [(await add_reply(author, thread["id"], ReplyInput(body=f"Balasan nomor {n}"), limits=NO_LIMITS))["id"] for n in range(1, 56)]
    seen: list[int] = []
    cursor = None
    while True:
        query = f"?cursor={cursor}" if cursor else ""
        body = (await client.get(f"/api/threads/{thread['id']}/posts{query}")).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == ids
    first_page = await client.get(thread["url"])
    assert "Balasan nomor 50" in first_page.text and "Balasan nomor 51" not in first_page.text
    late = await client.get(f"/balasan/{ids[REPLIES_PER_PAGE]}")  # the 51st reply lives on page two
    assert late.status_code == 303
    second_page = await client.get(late.headers["location"])
    assert "Balasan nomor 51" in second_page.text and "Balasan nomor 50<" not in second_page.text
