"""Prepared reads give the very rows the same Piccolo query gives, with each call's own values, in and out of a
transaction, and refuse what their fixed SQL cannot express."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from forum.core import db
from forum.core.prepared import Prepared, prepared
from forum.core.tables import Post, Thread
from forum.posting.service import ReplyInput, add_reply, list_replies
from forum.threads.service import ThreadFilters, get_thread, list_threads
from forum.web.flood import NO_LIMITS
from tests.support import database
from tests.support.factories import make_thread, make_user


@pytest.fixture(autouse=True)
async def empty_tables() -> AsyncIterator[None]:
    await database.wipe()
    yield
    await database.wipe()


def _replies_of(thread_id: Any, after_id: Any) -> Any:
    return Post.select(Post.id, Post.body_source, Post.created_at, Post.author.display_name.as_alias("author_name")).where(
        (Post.thread == thread_id) & (Post.id > after_id)
    ).order_by(Post.id)


replies_after = prepared(2)(_replies_of)


async def test_rows_match_the_unprepared_query_for_each_call_s_values() -> None:
    author = await make_user("penulis@contoh.go.id")
    first = await make_thread(author, title="Antrean daring puskesmas")
    second = await make_thread(author, title="Tanda tangan elektronik")
    for n in range(4):
        await add_reply(author, first["id"], ReplyInput(body=f"Balasan pertama ke-{n}"), limits=NO_LIMITS)
        await add_reply(author, second["id"], ReplyInput(body=f"Balasan kedua ke-{n}"), limits=NO_LIMITS)

    for thread_id in (first["id"], second["id"]):
        for after_id in (0, 3, 10_000):
            expected = await _replies_of(thread_id, after_id)
            assert await replies_after(thread_id, after_id) == expected
    assert len(await replies_after(first["id"], 0)) == 4  # each thread its own, not the first call's values


async def test_runs_inside_the_current_transaction() -> None:
    author = await make_user("penulis@contoh.go.id")
    thread = await make_thread(author)
    async with db.write_transaction():
        await add_reply(author, thread["id"], ReplyInput(body="Ditulis di dalam transaksi"), limits=NO_LIMITS)
        inside = await replies_after(thread["id"], 0)
    assert [row["body_source"] for row in inside] == ["Ditulis di dalam transaksi"]


async def test_first_gives_one_row_or_none() -> None:
    author = await make_user("penulis@contoh.go.id")
    thread = await make_thread(author, title="Satu topik saja")
    by_id = prepared(1, first=True)(lambda thread_id: Thread.select(Thread.id, Thread.title).where(Thread.id == thread_id).limit(1))
    assert await by_id(thread["id"]) == {"id": thread["id"], "title": "Satu topik saja"}
    assert await by_id(thread["id"] + 1000) is None


async def test_refuses_none_a_wrong_count_and_a_value_the_sql_does_not_use() -> None:
    with pytest.raises(ValueError, match="None"):
        await replies_after(1, None)
    with pytest.raises(TypeError):
        await replies_after(1)
    unused = Prepared(lambda thread_id, ignored: Post.select(Post.id).where(Post.thread == thread_id), 2, first=False)
    with pytest.raises(ValueError, match="uses values"):
        await unused(1, 2)


async def test_the_services_that_use_it_follow_filters_cursors_and_viewers() -> None:
    author = await make_user("penulis@contoh.go.id")
    other = await make_user("lain@contoh.go.id", agency="Dinas Lain")
    health = await make_thread(author, title="Layanan kesehatan", sector="kesehatan")
    await make_thread(other, title="Layanan pendidikan", sector="pendidikan")
    assert [row["id"] for row in (await list_threads(ThreadFilters(sector="kesehatan"))).items] == [health["id"]]
    assert len((await list_threads(ThreadFilters())).items) == 2
    first_page = await list_threads(ThreadFilters(), limit=1)
    rest = await list_threads(ThreadFilters(), cursor=first_page.next_cursor, limit=1)
    assert {first_page.items[0]["id"], rest.items[0]["id"]} == {row["id"] for row in (await list_threads(ThreadFilters())).items}

    for n in range(3):
        await add_reply(other, health["id"], ReplyInput(body=f"Balasan ke-{n}"), limits=NO_LIMITS)
    page = await list_replies(health["id"], limit=2)
    assert len(page.items) == 2 and page.next_cursor
    assert len((await list_replies(health["id"], page.next_cursor, limit=2)).items) == 1
    assert (await get_thread(health["id"]))["title"] == "Layanan kesehatan"
