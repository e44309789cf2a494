"""Single sign-on end to end against a real OpenID Connect provider on loopback (oidc-provider-mock: authlib's
server side, serving discovery, keys, the authorization form and the token endpoint; ID tokens signed RS256).
Nothing of the client is mocked: the app discovers the provider, sends the browser to it, exchanges the code
with PKCE and checks the signed ID token."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from oidc_provider_mock import run_server_in_thread

from forum.core.tables import User
from tests.support.apps import client_with
from tests.support.factories import current_code, make_user, post_form

NIP = "199001012015032001"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with run_server_in_thread(port=0) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
async def browser(provider: str) -> AsyncIterator[httpx.AsyncClient]:
    async with client_with(oidc_issuer=provider, oidc_client_id="sinergi", oidc_client_secret="rahasia-klien",
                           oidc_label="SSO ASN") as client:  # fmt: skip
        yield client


async def _through_the_provider(browser: httpx.AsyncClient, provider: str, sub: str, claims: dict) -> httpx.Response:
    """What a person does: press the button, sign in at the provider, come back."""
    async with httpx.AsyncClient() as outside:
        assert (await outside.put(f"{provider}/users/{sub}", json=claims)).status_code == 204
        started = await browser.get("/masuk/sso?next=/akun")
        assert started.status_code == 303
        authorize = started.headers["location"]
        assert authorize.startswith(f"{provider}/oauth2/authorize")
        query = parse_qs(urlsplit(authorize).query)
        assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
        form = await outside.get(authorize)
        assert form.status_code == 200
        answered = await outside.post(authorize, data={"sub": sub})
        assert answered.status_code in {302, 303}, answered.text[:300]
    back = urlsplit(answered.headers["location"])
    assert back.path == "/masuk/sso/kembali"
    return await browser.get(f"{back.path}?{back.query}")


async def test_the_login_page_offers_the_provider(browser: httpx.AsyncClient) -> None:
    assert "Masuk dengan SSO ASN" in (await browser.get("/masuk")).text


async def test_signing_in_links_by_nip(browser: httpx.AsyncClient, provider: str) -> None:
    user = await make_user("ani@sleman.go.id", name="Ani Uji")
    await User.update({User.nip: NIP}).where(User.id == user.id)
    back = await _through_the_provider(browser, provider, "ani-di-idp", {"nip": NIP, "email": "lain@contoh.id"})
    assert back.status_code == 303 and back.headers["location"] == "/akun"
    assert "Ani Uji" in (await browser.get("/akun")).text


async def test_signing_in_links_by_a_verified_address(browser: httpx.AsyncClient, provider: str) -> None:
    await make_user("budi@bantul.go.id", name="Budi Uji", confirmed=False)
    back = await _through_the_provider(browser, provider, "budi", {"email": "Budi@Bantul.go.id", "email_verified": True})
    assert back.status_code == 303
    row = await User.select(User.email_confirmed_at).where(User.email == "budi@bantul.go.id").first()
    assert row is not None and row["email_confirmed_at"] is not None  # the provider confirmed it
    assert 'action="/keluar"' in (await browser.get("/")).text


async def test_an_unverified_address_links_nothing(browser: httpx.AsyncClient, provider: str) -> None:
    await make_user("citra@klaten.go.id")
    back = await _through_the_provider(browser, provider, "citra", {"email": "citra@klaten.go.id", "email_verified": False})
    assert back.status_code == 400 and "Belum ada akun Sinergi" in back.text
    assert 'action="/keluar"' not in (await browser.get("/")).text


async def test_an_enrolled_account_still_gives_its_code(browser: httpx.AsyncClient, provider: str) -> None:
    await make_user("dewi@sleman.go.id", two_factor=True)
    back = await _through_the_provider(browser, provider, "dewi", {"email": "dewi@sleman.go.id", "email_verified": True})
    assert back.status_code == 303 and back.headers["location"] == "/masuk/kode"
    assert 'action="/keluar"' not in (await browser.get("/")).text
    done = await post_form(browser, "/masuk/kode", {"code": await current_code("dewi@sleman.go.id")})
    assert done.status_code == 303 and done.headers["location"] == "/akun"


async def test_a_forged_return_is_refused(browser: httpx.AsyncClient, provider: str) -> None:
    await make_user("eko@sleman.go.id")
    started = await browser.get("/masuk/sso")
    assert started.status_code == 303
    forged = await browser.get("/masuk/sso/kembali?code=curian&state=bukan-state-ini")
    assert forged.status_code == 400 and 'action="/keluar"' not in (await browser.get("/")).text


async def test_without_configuration_there_is_no_sso(client: httpx.AsyncClient) -> None:
    assert (await client.get("/masuk/sso")).status_code == 404
    assert "Masuk dengan" not in (await client.get("/masuk")).text


async def test_a_nip_links_only_a_verified_account_that_alone_has_it(browser: httpx.AsyncClient, provider: str) -> None:
    """A NIP is typed by the member: someone who copies another's NIP must not receive their sign-in."""
    real = await make_user("galih@sleman.go.id", name="Galih Asli")
    copier = await make_user("peniru@sleman.go.id", name="Peniru")
    await User.update({User.nip: NIP}).where(User.id.is_in([real.id, copier.id]))
    shared = await _through_the_provider(browser, provider, "galih-nip", {"nip": NIP})
    assert shared.status_code == 400 and 'action="/keluar"' not in (await browser.get("/")).text
    # The verified address is asked first: it finds the real account whatever NIP was copied.
    by_address = await _through_the_provider(browser, provider, "galih-email",
                                             {"nip": NIP, "email": "galih@sleman.go.id", "email_verified": True})  # fmt: skip
    assert by_address.status_code == 303
    assert "Galih Asli" in (await browser.get("/akun")).text
