from __future__ import annotations

import httpx

from forum.core.tables import Agency, User
from tests.support.factories import PASSWORD, field_errors, login, make_user, post_form

REGISTRATION = {
    "display_name": "Siti Rahma",
    "email": "Siti.Rahma@Dinkes.Go.Id",
    "password": "kata-sandi-yang-panjang",
    "nip": "198701012010012001",
    "agency_id": "baru",
    "agency_name": "Dinas Kesehatan Kabupaten Bantul",
    "agency_kind": "pemkab",
    "agency_province": "di-yogyakarta",
    "consent": "1",
}


async def test_register_creates_user_and_agency_and_signs_in(client: httpx.AsyncClient) -> None:
    response = await post_form(client, "/daftar", REGISTRATION)
    assert response.status_code == 303
    user = await User.select(User.email, User.password_hash, User.nip).first()
    assert user["email"] == "siti.rahma@dinkes.go.id"  # stored lower-cased
    assert user["password_hash"].startswith("$argon2id$")
    assert "kata-sandi-yang-panjang" not in user["password_hash"]
    assert await Agency.count() == 1
    home = await client.get("/")
    assert "Siti Rahma" in home.text and "Keluar" in home.text


async def test_register_joins_existing_agency(client: httpx.AsyncClient) -> None:
    first = await make_user("a@x.go.id", agency="Bappeda Provinsi Jawa Tengah")
    response = await post_form(
        client, "/daftar", {**REGISTRATION, "email": "b@x.go.id", "agency_id": str(first.agency_id)}
    )
    assert response.status_code == 303
    assert await Agency.count() == 1
    assert await User.count().where(User.agency == first.agency_id) == 2


async def test_register_rejects_bad_input_and_stores_nothing(client: httpx.AsyncClient) -> None:
    bad = {**REGISTRATION, "email": "bukan-email", "password": "pendek", "nip": "123", "agency_province": "atlantis"}
    response = await post_form(client, "/daftar", bad)
    assert response.status_code == 422
    errors = " ".join(field_errors(response.text))
    assert "Alamat email tidak valid" in errors
    assert "minimal 12 karakter" in errors
    assert "NIP terdiri dari 18 digit" in errors
    assert await User.count() == 0 and await Agency.count() == 0


async def test_email_is_unique_case_insensitively(client: httpx.AsyncClient) -> None:
    await make_user("siti.rahma@dinkes.go.id")
    response = await post_form(client, "/daftar", REGISTRATION)
    assert response.status_code == 422
    assert "sudah terdaftar" in response.text
    assert await User.count() == 1


async def test_login_and_logout(client: httpx.AsyncClient) -> None:
    await make_user("ani@x.go.id", name="Ani Lestari")
    response = await login(client, "ANI@x.go.id")
    assert response.headers["location"] == "/"
    assert "Ani Lestari" in (await client.get("/")).text
    response = await post_form(client, "/keluar", {})
    assert response.status_code == 303
    page = await client.get("/")
    assert "Ani Lestari" not in page.text and "Masuk" in page.text


async def test_login_failure_is_generic(client: httpx.AsyncClient) -> None:
    await make_user("ani@x.go.id")
    wrong_password = await post_form(client, "/masuk", {"email": "ani@x.go.id", "password": "salah-salah-salah"})
    unknown_email = await post_form(client, "/masuk", {"email": "nobody@x.go.id", "password": PASSWORD})
    assert wrong_password.status_code == unknown_email.status_code == 422
    assert "Email atau kata sandi salah" in wrong_password.text
    assert "Email atau kata sandi salah" in unknown_email.text


async def test_login_is_rate_limited_per_account(client: httpx.AsyncClient) -> None:
    await make_user("ani@x.go.id")
    for _ in range(5):
        response = await post_form(client, "/masuk", {"email": "ani@x.go.id", "password": "salah-salah-salah"})
        assert response.status_code == 422
    # Even the right password is refused while the account is locked out.
    response = await post_form(client, "/masuk", {"email": "ani@x.go.id", "password": PASSWORD})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.text


async def test_login_is_rate_limited_per_ip(client: httpx.AsyncClient) -> None:
    for index in range(20):
        response = await post_form(client, "/masuk", {"email": f"u{index}@x.go.id", "password": "salah-salah-salah"})
        assert response.status_code == 422
    response = await post_form(client, "/masuk", {"email": "another@x.go.id", "password": "salah-salah-salah"})
    assert response.status_code == 429


async def test_login_redirect_only_to_local_paths(client: httpx.AsyncClient) -> None:
    await make_user("ani@x.go.id")
    response = await post_form(
        client, "/masuk", {"email": "ani@x.go.id", "password": PASSWORD, "next": "//evil.example/phish"}
    )
    assert response.headers["location"] == "/"


async def test_session_cookie_flags(client: httpx.AsyncClient) -> None:
    await make_user("ani@x.go.id")
    response = await login(client, "ani@x.go.id")
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and "sinergi_session" in v)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")


async def test_profile_page(client: httpx.AsyncClient) -> None:
    user = await make_user("ani@x.go.id", name="Ani Lestari")
    response = await client.get(f"/pengguna/{user.id}")
    assert response.status_code == 200
    assert "Ani Lestari" in response.text and user.agency_name in response.text
    assert (await client.get("/pengguna/99999")).status_code == 404


async def test_api_token_authenticates_scripts(client: httpx.AsyncClient) -> None:
    from tests.support.factories import token_for

    user = await make_user("ani@x.go.id")
    token = await token_for(user)
    response = await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json()["email"] == "ani@x.go.id"
    bad = await client.get("/api/me", headers={"Authorization": "Bearer sng_not-a-real-token"})
    assert bad.status_code == 401
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert (await client.get("/api/me")).status_code == 401


async def test_signing_out_says_so(client: httpx.AsyncClient) -> None:
    await make_user("ani@x.go.id")
    await login(client, "ani@x.go.id")
    out = await post_form(client, "/keluar", {})
    assert out.status_code == 303 and out.headers["location"] == "/?keluar=1"
    home = await client.get(out.headers["location"])
    assert "Anda sudah keluar" in home.text and 'action="/keluar"' not in home.text
