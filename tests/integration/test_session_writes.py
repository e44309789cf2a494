"""Reading pages while signed in writes nothing to the session store: an unchanged session is written again
only every REWRITE_EVERY seconds (so the store's expiry keeps up), and a changed one at once."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from forum.app import SESSION_COOKIE
from forum.web import sessions
from tests.support.factories import login, make_thread, make_user


async def _stored(app: Any, client: httpx.AsyncClient) -> bytes | None:
    return await app.stores.get("sessions").get(client.cookies[SESSION_COOKIE])


async def test_reading_pages_leaves_the_stored_session_alone(app: Any, client: httpx.AsyncClient,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    author = await make_user("penulis@contoh.go.id")
    thread = await make_thread(author)
    await login(client, "penulis@contoh.go.id")
    after_login = await _stored(app, client)
    assert after_login is not None

    for path in ("/topik", thread["url"], "/"):
        answer = await client.get(path)
        assert answer.status_code == 200 and "Keluar" in answer.text  # still signed in
        assert SESSION_COOKIE in answer.headers.get("set-cookie", "")  # the cookie's max age still slides
    assert await _stored(app, client) == after_login

    later = time.time() + sessions.REWRITE_EVERY + 1
    monkeypatch.setattr(sessions, "time", SimpleNamespace(time=lambda: later))  # the last write is an hour old
    await client.get("/topik")
    rewritten = await _stored(app, client)
    assert rewritten is not None and rewritten != after_login  # written again, with its new time
    assert (await client.get("/akun")).status_code == 200  # and the session still signs in
