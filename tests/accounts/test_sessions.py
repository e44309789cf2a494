"""Sessions live in Redis when it is configured, so several workers or hosts share them."""

from __future__ import annotations

import dataclasses

import httpx

from forum.core.settings import get_settings
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


async def test_signing_in_gives_a_new_session_id(app: object, client: httpx.AsyncClient) -> None:
    """Session fixation: an id planted in the browser before sign-in must not become the signed-in session,
    and signing in again (another person at the same computer) leaves the previous id worthless."""
    await make_user("ani@x.go.id", name="Ani Lestari")
    await make_user("budi@x.go.id", name="Budi Santoso")
    planted = "a" * 64
    client.cookies.set("sinergi_session", planted, domain="testserver.local")  # where httpx keeps its cookies
    await login(client, "ani@x.go.id")
    first = client.cookies.get("sinergi_session")
    assert first and first != planted
    await login(client, "budi@x.go.id")
    second = client.cookies.get("sinergi_session")
    assert second and second not in (first, planted)
    assert "Budi Santoso" in (await client.get("/")).text
    for old in (planted, first):
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver",
                                     cookies={"sinergi_session": old}) as stranger:  # fmt: skip
            page = (await stranger.get("/")).text
            assert "Ani Lestari" not in page and "Budi Santoso" not in page


async def test_logging_out_removes_the_cookie(client: httpx.AsyncClient) -> None:
    """The browser drops the session cookie at logout (Max-Age=0), so later pages set no cookie at all."""
    await make_user("ani@x.go.id", name="Ani Lestari")
    await login(client, "ani@x.go.id")
    response = await post_form(client, "/keluar", {})
    cookie = next(value for value in response.headers.get_list("set-cookie") if value.startswith("sinergi_session="))
    assert "max-age=0" in cookie.lower()
    assert "sinergi_session" not in client.cookies
    later = await client.get("/")
    assert "Ani Lestari" not in later.text and "sinergi_session" not in later.headers.get("set-cookie", "")
