"""Finding 3: the client address comes from configured proxies only, and limit keys are bounded."""

from __future__ import annotations

import httpx
import pytest

from forum.core.proxies import client_address, parse_networks
from forum.core.settings import SettingsError, load_settings
from forum.core.tables import RateLimitHit
from tests.support.apps import client_with
from tests.support.factories import PASSWORD, make_user, post_form, prime_csrf

pytestmark = pytest.mark.anyio

LOOPBACK = parse_networks("127.0.0.1")


@pytest.mark.parametrize(
    ("peer", "header", "networks", "expected"),
    [
        ("127.0.0.1", ["6.6.6.6"], (), "127.0.0.1"),  # nothing trusted: the header is ignored
        ("203.0.113.9", ["6.6.6.6"], LOOPBACK, "203.0.113.9"),  # the peer is not a configured proxy
        ("127.0.0.1", ["6.6.6.6"], LOOPBACK, "6.6.6.6"),
        ("127.0.0.1", ["1.1.1.1, 6.6.6.6"], LOOPBACK, "6.6.6.6"),  # the left part was written by the client
        ("127.0.0.1", ["6.6.6.6, 10.0.0.2"], parse_networks("127.0.0.1, 10.0.0.0/8"), "6.6.6.6"),
        ("127.0.0.1", ["x" * 250], LOOPBACK, "127.0.0.1"),  # garbage: the last good hop stands
        ("127.0.0.1", ["[2001:db8::1]:443"], LOOPBACK, "2001:db8::1"),
        ("127.0.0.1", [], LOOPBACK, "127.0.0.1"),
    ],
)
def test_client_address(peer: str, header: list[str], networks: tuple, expected: str) -> None:
    assert client_address(peer, header, networks) == expected


def test_wildcard_and_typos_are_refused() -> None:
    base = {"SINERGI_ENV": "test", "SECRET_KEY": "x" * 40}
    assert load_settings(base).forwarded_allow_ips == ()
    for bad in ("*", "10.0.0.300", "proxy.local"):
        with pytest.raises(SettingsError):
            load_settings({**base, "FORWARDED_ALLOW_IPS": bad})


async def _failed_logins(client: httpx.AsyncClient, count: int) -> set[int]:
    """Wrong passwords for ever-new addresses (so only the per-address limit, 20 in tests, can stop them)."""
    token = await prime_csrf(client)
    statuses = set()
    for attempt in range(count):
        response = await client.post(
            "/masuk",
            data={"email": f"tebakan{attempt}@uji.go.id", "password": "salah-salah-salah", "_csrf_token": token},
            headers={"x-forwarded-for": f"{attempt % 250}.{'9' * 250}"[:260] if attempt % 2 else f"10.0.{attempt}.1"},
        )
        statuses.add(response.status_code)
    return statuses


async def test_forged_forwarded_for_does_not_beat_the_login_limit(app: object) -> None:
    """The audit: 250-character X-Forwarded-For made the failed-login insert overflow on PostgreSQL (422, nothing
    counted), and a rotating header reset the per-IP count. Neither may let a guessed password through."""
    async with client_with() as client:
        user = await make_user("sasaran@uji.go.id")
        statuses = await _failed_logins(client, 40)
        assert 500 not in statuses
        assert 429 in statuses  # the per-address limit was reached: every header was ignored
        response = await post_form(client, "/masuk", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 429
        assert 'action="/keluar"' not in (await client.get("/")).text


async def test_a_configured_proxy_is_believed(app: object) -> None:
    async with client_with(forwarded_allow_ips=LOOPBACK) as client:
        await make_user("sasaran@uji.go.id")
        token = await prime_csrf(client)

        async def attempt(email: str, password: str, address: str) -> int:
            data = {"email": email, "password": password, "_csrf_token": token}
            return (await client.post("/masuk", data=data, headers={"x-forwarded-for": address})).status_code

        for number in range(20):
            assert await attempt(f"tebakan{number}@uji.go.id", "salah-salah-salah", "198.51.100.7") == 422
        assert await attempt("sasaran@uji.go.id", PASSWORD, "198.51.100.7") == 429
        # Another client behind the same proxy has its own count.
        assert await attempt("sasaran@uji.go.id", PASSWORD, "198.51.100.8") == 303


async def test_limit_keys_are_bounded(client: httpx.AsyncClient) -> None:
    """A 10,000-character email is counted like any other (its key is a fixed-length hash)."""
    for _ in range(2):
        response = await post_form(client, "/masuk", {"email": "a" * 10_000 + "@x.go.id", "password": "salah-salah"})
        assert response.status_code == 422
    keys = [row["key"] for row in await RateLimitHit.select(RateLimitHit.key)]
    assert len(keys) == 4 and all(len(key) <= 100 for key in keys)


def test_no_server_believes_proxy_headers_on_its_own() -> None:
    """uvicorn's own proxy handling trusted 127.0.0.1 (make run) and "*" (the Dockerfile); both are off, so the
    app's FORWARDED_ALLOW_IPS is the one place that decides."""
    from pathlib import Path

    from forum.core.settings import get_settings
    from forum.devserver import server_config

    assert server_config(get_settings()).proxy_headers is False
    dockerfile = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text()
    command = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    assert "--no-proxy-headers" in command and "forwarded-allow-ips" not in command
