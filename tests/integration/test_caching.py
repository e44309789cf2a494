"""The anonymous page cache: shared pages for readers, always-fresh pages for signed-in people."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from forum.posting.service import ReplyInput, add_reply
from forum.web.flood import NO_LIMITS
from tests.support.apps import client_with
from tests.support.factories import login, make_thread, make_user


@pytest.fixture
async def cached_client() -> AsyncIterator[httpx.AsyncClient]:
    async with client_with(page_cache_seconds=60) as client:
        yield client


async def test_anonymous_readers_share_a_cached_page(cached_client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    thread = await make_thread(author)
    first = await cached_client.get(thread["url"])
    assert first.status_code == 200 and "Belum ada balasan" in first.text
    await add_reply(author, thread["id"], ReplyInput(body="Balasan yang baru masuk"), limits=NO_LIMITS)
    cached = await cached_client.get(thread["url"])
    assert "Balasan yang baru masuk" not in cached.text  # served from the anonymous cache
    assert "set-cookie" not in cached.headers  # a shared copy never carries anyone's cookie
    assert "content-security-policy" in cached.headers  # security headers still apply
    # A different query string is a different page.
    assert "Balasan yang baru masuk" in (await cached_client.get(thread["url"] + "?x=1")).text


async def test_signed_in_people_always_get_a_fresh_page(cached_client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    thread = await make_thread(author)
    await cached_client.get(thread["url"])  # fills the anonymous cache
    await login(cached_client, "ani@x.go.id")
    await add_reply(author, thread["id"], ReplyInput(body="Balasan saya sendiri"), limits=NO_LIMITS)
    page = await cached_client.get(thread["url"])
    assert "Balasan saya sendiri" in page.text and "Keluar" in page.text


async def test_only_marked_pages_and_successes_are_cached(cached_client: httpx.AsyncClient) -> None:
    missing = await cached_client.get("/topik/999/tidak-ada")
    assert missing.status_code == 404
    author = await make_user("ani@x.go.id")
    await make_thread(author)
    # The API is never cached, and a 404 was not stored.
    assert len((await cached_client.get("/api/threads")).json()["items"]) == 1
    login_page = await cached_client.get("/masuk")  # pages with forms are never cached: their token is personal
    token = cached_client.cookies.get("csrftoken")
    assert token and f'name="_csrf_token" value="{token}"' in login_page.text
