"""Sessions live in Redis when it is configured, so several workers or hosts share them."""

from __future__ import annotations

import dataclasses

import httpx

from forum.settings import get_settings
from tests.support.database import wipe
from tests.support.factories import login, make_user, post_form

REDIS_URL = "redis://127.0.0.1:6379/15"


async def test_sessions_in_redis_are_shared_between_two_app_instances() -> None:
    from forum.app import create_app

    settings = dataclasses.replace(get_settings(), redis_url=REDIS_URL)
    first, second = create_app(settings), create_app(settings)
    try:
        async with first.lifespan(), second.lifespan():
            await make_user("ani@x.go.id", name="Ani Lestari")
            one = httpx.AsyncClient(transport=httpx.ASGITransport(app=first), base_url="http://testserver")
            async with one:
                await login(one, "ani@x.go.id")
                cookies = dict(one.cookies)
            two = httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url="http://testserver",
                                    cookies=cookies)  # fmt: skip
            async with two:
                page = await two.get("/")
                assert "Ani Lestari" in page.text  # the other "worker" knows the session
                await post_form(two, "/keluar", {})
                assert "Ani Lestari" not in (await two.get("/")).text
    finally:
        await wipe()


async def test_anonymous_visits_create_no_session(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert "sinergi_session" not in response.headers.get("set-cookie", "")
