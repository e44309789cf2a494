"""Finding 8: the CSRF token is bound to the session. A token (cookie and form field alike) taken from another
session — another account, or the anonymous visit before signing in — is refused; the token a session was
given works in it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar

from forum.core.tables import Watch
from tests.support.factories import PASSWORD, login, make_user, prime_csrf

pytestmark = pytest.mark.anyio

WATCH = {"target_type": "sector", "target_key": "kesehatan", "action": "ikuti"}


@contextlib.asynccontextmanager
async def _browser(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as browser:
        yield browser


async def _watch_with(browser: httpx.AsyncClient, token: str) -> httpx.Response:
    """A form post in ``browser``'s session whose CSRF cookie and field both carry ``token`` (an attacker who
    took a token could plant both)."""
    cookie = f"sinergi_session={browser.cookies.get('sinergi_session', '')}; csrftoken={token}"
    return await browser.post("/ikuti", data={**WATCH, "_csrf_token": token}, headers={"cookie": cookie})


async def _signed_in(app: Litestar, email: str) -> tuple[httpx.AsyncClient, contextlib.AsyncExitStack]:
    stack = contextlib.AsyncExitStack()
    browser = await stack.enter_async_context(_browser(app))
    await make_user(email)
    await login(browser, email)
    return browser, stack


def _token(browser: httpx.AsyncClient) -> str:
    return browser.cookies["csrftoken"]


async def test_another_accounts_token_is_refused(app: Litestar) -> None:
    alice, first = await _signed_in(app, "alice@uji.go.id")
    bob, second = await _signed_in(app, "bob@uji.go.id")
    async with first, second:
        stolen = _token(alice)
        assert (await _watch_with(bob, stolen)).status_code == 403
        assert await Watch.count() == 0
        await bob.get("/")  # a page load gives Bob a token of his own session, which works
        assert (await _watch_with(bob, _token(bob))).status_code == 303
        assert await Watch.count() == 1


async def test_the_anonymous_token_stops_working_at_sign_in(app: Litestar) -> None:
    await make_user("cici@uji.go.id")
    async with _browser(app) as browser:
        before = await prime_csrf(browser)
        await login(browser, "cici@uji.go.id")
        after = _token(browser)
        assert after != before  # signing in issued a token for the new session, in the login response itself
        assert (await _watch_with(browser, before)).status_code == 403
        assert (await _watch_with(browser, after)).status_code == 303


async def test_a_token_from_another_anonymous_visit_cannot_sign_in(app: Litestar) -> None:
    """Login CSRF: the signature is per token, so an attacker's own valid anonymous token still has to match
    the victim's cookie, which they cannot read or set."""
    await make_user("dodi@uji.go.id")
    async with _browser(app) as attacker, _browser(app) as victim:
        theirs = await prime_csrf(attacker)
        await prime_csrf(victim)
        form = {"email": "dodi@uji.go.id", "password": PASSWORD, "_csrf_token": theirs}
        assert (await victim.post("/masuk", data=form)).status_code == 403


async def test_signing_out_gives_an_anonymous_token_that_signs_in_again(app: Litestar) -> None:
    browser, stack = await _signed_in(app, "eka@uji.go.id")
    async with stack:
        signed_in = _token(browser)
        assert (await browser.post("/keluar", data={"_csrf_token": signed_in})).status_code == 303
        assert _token(browser) != signed_in
        form = {"email": "eka@uji.go.id", "password": PASSWORD, "_csrf_token": _token(browser)}
        assert (await browser.post("/masuk", data=form)).status_code == 303
