"""Finding 6 (flood control races) and the appreciation part of finding 7: limits are checked and counted
inside the write's own transaction, so a burst of concurrent requests from one member stores exactly what the
limits allow and refuses the rest with 429 — never a 500, never one too many."""

from __future__ import annotations

from collections import Counter
from typing import Any

import anyio
import httpx

from forum.core.db import is_sqlite
from forum.core.settings import get_settings
from forum.core.tables import Appreciation, Post, RateLimitHit, Thread, User
from forum.posting.service import ReplyInput, add_reply
from forum.web.flood import NO_LIMITS
from tests.accounts.test_accounts import REGISTRATION
from tests.support.apps import client_with
from tests.support.factories import PASSWORD, VALID_THREAD, login, make_thread, make_user, prime_csrf, token_for

BURST = 200


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _burst(count: int, send: Any) -> list[httpx.Response]:
    responses: list[httpx.Response] = []

    async def one(n: int) -> None:
        responses.append(await send(n))

    async with anyio.create_task_group() as group:
        for n in range(count):
            group.start_soon(one, n)
    return responses


def _assert_refusals(responses: list[httpx.Response], stored: int, created_status: int) -> None:
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {created_status: stored, 429: len(responses) - stored}, statuses
    for refused in (r for r in responses if r.status_code == 429):
        assert refused.headers.get("retry-after")
        if refused.headers["content-type"].startswith("application/problem+json"):
            assert refused.json()["status"] == 429
        else:
            assert "text/html" in refused.headers["content-type"]
            assert "Tunggu" in refused.text or "per hari" in refused.text


async def _reply_burst(client: httpx.AsyncClient, thread_id: int, token: str) -> list[httpx.Response]:
    csrf = await prime_csrf(client)

    async def send(n: int) -> httpx.Response:
        if n % 2:  # half through the API, half through the page form: one limit for both
            return await client.post(f"/api/threads/{thread_id}/posts", json={"body": f"Balasan {n}"},
                                     headers=bearer(token))  # fmt: skip
        return await client.post(f"/topik/{thread_id}/balas", data={"body": f"Balasan {n}", "_csrf_token": csrf})

    return await _burst(BURST, send)


async def test_concurrent_replies_respect_the_minimum_interval() -> None:
    async with client_with("127.0.0.31", post_min_interval_seconds=15, new_member_daily_posts=20) as client:
        author = await make_user("ani@x.go.id")
        newbie = await make_user("baru@x.go.id", verified=False)
        thread = await make_thread(author)
        await login(client, "baru@x.go.id")
        responses = await _reply_burst(client, thread["id"], await token_for(newbie))
        created = {r.status_code for r in responses} - {429}
        assert len([r for r in responses if r.status_code in (201, 303)]) == 1, Counter(r.status_code for r in responses)
        assert created <= {201, 303}
        assert await Post.count().where(Post.author == newbie.id) == 1
        _assert_refusals(responses, 1, next(iter(created)))


async def test_concurrent_replies_respect_the_daily_cap() -> None:
    async with client_with("127.0.0.32", post_min_interval_seconds=0, new_member_daily_posts=7) as client:
        author = await make_user("ani@x.go.id")
        newbie = await make_user("baru@x.go.id", verified=False)
        thread = await make_thread(author)
        token = await token_for(newbie)
        responses = await _burst(BURST, lambda n: client.post(
            f"/api/threads/{thread['id']}/posts", json={"body": f"Balasan {n}"}, headers=bearer(token)))
        assert await Post.count().where(Post.author == newbie.id) == 7
        _assert_refusals(responses, 7, 201)


async def test_threads_and_replies_share_one_limit() -> None:
    async with client_with("127.0.0.33", post_min_interval_seconds=0, new_member_daily_posts=4) as client:
        author = await make_user("ani@x.go.id")
        newbie = await make_user("baru@x.go.id", verified=False)
        thread = await make_thread(author)
        auth = bearer(await token_for(newbie))

        async def send(n: int) -> httpx.Response:
            if n % 2:
                return await client.post("/api/threads", json={**VALID_THREAD, "title": f"Topik baru nomor {n}"},
                                         headers=auth)  # fmt: skip
            return await client.post(f"/api/threads/{thread['id']}/posts", json={"body": f"Balasan {n}"}, headers=auth)

        responses = await _burst(60, send)
        stored = await Post.count().where(Post.author == newbie.id) + await Thread.count().where(
            Thread.author == newbie.id)
        assert stored == 4
        _assert_refusals(responses, 4, 201)


async def test_concurrent_appreciations_store_exactly_one() -> None:
    async with client_with("127.0.0.34", post_min_interval_seconds=15, new_member_daily_posts=20) as client:
        author = await make_user("ani@x.go.id")
        giver = await make_user("budi@x.go.id")
        thread = await make_thread(author)
        reply = await add_reply(author, thread["id"], ReplyInput(body="Balasan yang bagus"), limits=NO_LIMITS)
        auth = bearer(await token_for(giver))
        responses = await _burst(BURST, lambda n: client.post(f"/api/posts/{reply['id']}/appreciation", headers=auth))
        statuses = Counter(r.status_code for r in responses)
        assert statuses == {201: 1, 409: BURST - 1}, statuses
        assert await Appreciation.count().where(Appreciation.giver == giver.id) == 1


async def test_concurrent_appreciations_from_many_members_are_all_stored() -> None:
    """The other half of finding 7 (1,000 concurrent appreciations: 360 × 500 "database is locked" on SQLite):
    many givers at once, one reply — every one is stored and answered 201."""
    async with client_with("127.0.0.35") as client:
        author = await make_user("ani@x.go.id")
        thread = await make_thread(author)
        reply = await add_reply(author, thread["id"], ReplyInput(body="Balasan yang bagus"), limits=NO_LIMITS)
        givers = [await token_for(await make_user(f"pemberi{n}@x.go.id")) for n in range(BURST)]
        responses = await _burst(BURST, lambda n: client.post(f"/api/posts/{reply['id']}/appreciation",
                                                               headers=bearer(givers[n])))  # fmt: skip
        assert Counter(r.status_code for r in responses) == {201: BURST}
        assert await Appreciation.count().where(Appreciation.target_id == reply["id"]) == BURST


async def test_concurrent_failed_logins_get_no_more_tries_than_the_limit() -> None:
    """Failed logins were counted after the password check: a burst of guesses all passed the check before any
    was counted. Now each attempt is counted first, so 200 guesses at once get exactly the account's limit."""
    limit = get_settings().login_max_per_account
    async with client_with("127.0.0.36") as client:
        await make_user("sasaran@x.go.id")
        csrf = await prime_csrf(client)
        responses = await _burst(BURST, lambda n: client.post(
            "/masuk", data={"email": "sasaran@x.go.id", "password": f"tebakan-{n}", "_csrf_token": csrf}))
        statuses = Counter(r.status_code for r in responses)
        # Exactly `limit` guesses reach the password check; every other one is refused. On SQLite a refusal may
        # come as 503 (a write outwaited the busy timeout): that guess is refused too, and no password is tried.
        busy = statuses.pop(503, 0)
        assert busy == 0 or is_sqlite()
        assert statuses == {422: limit, 429: BURST - limit - busy}
        assert await RateLimitHit.count().where(RateLimitHit.bucket == "login-account") == limit
        # the limit holds for the right password too, until the window passes
        form = {"email": "sasaran@x.go.id", "password": PASSWORD, "_csrf_token": csrf}
        right = await client.post("/masuk", data=form)
        assert right.status_code == 429


async def test_concurrent_registrations_from_one_address_stop_at_the_limit() -> None:
    """Registrations were counted after the account was created: a burst from one address all passed the check.
    Each browser is separate (a registration signs its browser in)."""
    async with client_with("127.0.0.37", register_max_per_ip=5) as client:
        transport = client._transport

        async def register(n: int) -> httpx.Response:
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as browser:
                token = await prime_csrf(browser)
                form = {**REGISTRATION, "email": f"baru{n}@x.go.id", "_csrf_token": token}
                return await browser.post("/daftar", data=form)

        responses = await _burst(BURST, register)
        assert Counter(r.status_code for r in responses) == {303: 5, 429: BURST - 5}
        assert await User.count() == 5


async def test_concurrent_previews_stop_at_the_limit() -> None:
    """Finding 4's rate limit on the Markdown preview, counted before rendering: a burst renders no more than
    the limit allows."""
    from forum.threads.routes import PREVIEWS_PER_MINUTE

    async with client_with("127.0.0.38") as client:
        await make_user("pratinjau@x.go.id")
        await login(client, "pratinjau@x.go.id")
        csrf = client.cookies["csrftoken"]
        responses = await _burst(BURST, lambda n: client.post("/pratinjau", data={"body": f"**Pratinjau {n}**"},
                                                               headers={"x-csrftoken": csrf}))  # fmt: skip
        statuses = Counter(r.status_code for r in responses)
        assert statuses == {200: PREVIEWS_PER_MINUTE, 429: BURST - PREVIEWS_PER_MINUTE}, statuses
