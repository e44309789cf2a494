"""Build people and content through the real domain functions, and drive the pages like a browser."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pyotp

from forum.accounts.api_tokens import create_api_token
from forum.accounts.service import AccountCreation, create_account, load_current_user
from forum.accounts.two_factor_routes import SECOND_STEP_PATH
from forum.agencies.service import find_agency_by_name
from forum.core.clock import now
from forum.core.identity import CurrentUser
from forum.core.tables import User
from forum.threads.service import ThreadInput, create_thread
from forum.web.flood import NO_LIMITS

PASSWORD = "kata-sandi-uji-123"

VALID_THREAD: dict[str, Any] = {
    "kind": "inovasi",
    "title": "Layanan KTP-el antar ke rumah untuk lansia",
    "body": "Kami mengantar **KTP-el** langsung ke rumah warga lansia dan penyandang disabilitas.",
    "sector": "administrasi-kependudukan-pencatatan-sipil",
    "values": ["berorientasi-pelayanan", "kolaboratif"],
    "problem": "Warga lansia sulit datang ke kantor Dukcapil.",
    "solution": "Petugas jemput bola dengan jadwal per kecamatan.",
    "results": "Waktu tunggu turun dari 14 hari menjadi 3 hari.",
    "stage": "penerapan",
    "start_year": 2023,
    "is_digital": False,
}


async def make_user(
    email: str = "ani@dukcapil.go.id",
    *,
    role: str = "member",
    agency: str = "Disdukcapil Kabupaten Sleman",
    name: str | None = None,
    verified: bool = True,
    agency_admin: bool = False,
    confirmed: bool = True,
    two_factor: bool | None = None,
) -> CurrentUser:
    """A member (verified by default, so their posts skip the new-member review queue; with a confirmed address
    unless ``confirmed=False``, as after registering and before using the link). Staff (a role above member, or
    an agency admin) are enrolled in two-step sign-in unless ``two_factor=False``: without it they would act as
    plain members (forum.accounts.two_factor)."""
    existing = await find_agency_by_name(agency)
    user = await create_account(
        AccountCreation(
            email=email,
            password=PASSWORD,
            display_name=name or f"{email.split('@')[0].title()} Uji",
            role=role,
            agency_id=existing["id"] if existing else None,
            agency_name=agency,
            agency_kind="pemkab",
            agency_province="di-yogyakarta",
        )
    )
    if verified or agency_admin:
        await User.update({User.verified_at: now(), User.is_agency_admin: agency_admin}).where(User.id == user.id)
        user = await load_current_user(user.id)
        assert user is not None
    if not confirmed:
        await User.update({User.email_confirmed_at: None}).where(User.id == user.id)
        user = await load_current_user(user.id)
        assert user is not None and not user.email_confirmed
    if two_factor or (two_factor is None and (role != "member" or agency_admin)):
        await User.update({User.totp_secret: pyotp.random_base32(), User.totp_enabled_at: now()}).where(
            User.id == user.id
        )
        user = await load_current_user(user.id)
        assert user is not None and user.two_factor
    return user


async def current_code(email: str) -> str:
    """The authenticator app's code for an enrolled account, usable again (a test signs in many times within one
    30-second step: the account's record of the last step taken is cleared first)."""
    row = await User.select(User.id, User.totp_secret).where(User.email == email.lower()).first()
    assert row is not None and row["totp_secret"], f"{email} has no two-step sign-in"
    await User.update({User.totp_last_step: None}).where(User.id == row["id"])
    return pyotp.TOTP(row["totp_secret"]).now()


async def make_thread(author: CurrentUser, **overrides: Any) -> dict[str, Any]:
    return await create_thread(author, ThreadInput.pick({**VALID_THREAD, **overrides}), limits=NO_LIMITS)


async def token_for(user: CurrentUser) -> str:
    return await create_api_token(user.email)


def csrf_from(client: httpx.AsyncClient) -> str:
    token = client.cookies.get("csrftoken")
    assert token, "visit a page first so the CSRF cookie is set"
    return token


async def prime_csrf(client: httpx.AsyncClient) -> str:
    if not client.cookies.get("csrftoken"):
        await client.get("/masuk")
    return csrf_from(client)


async def post_form(client: httpx.AsyncClient, path: str, data: dict[str, Any]) -> httpx.Response:
    token = await prime_csrf(client)
    return await client.post(path, data={**data, "_csrf_token": token})


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    """Sign in through the login form, and the two-step code page when the account is enrolled."""
    response = await post_form(client, "/masuk", {"email": email, "password": password})
    assert response.status_code == 303, response.text[:500]
    if response.headers["location"].startswith(SECOND_STEP_PATH):
        response = await post_form(client, SECOND_STEP_PATH, {"code": await current_code(email)})
        assert response.status_code == 303, response.text[:500]
    return response


def api_headers(client: httpx.AsyncClient) -> dict[str, str]:
    """Headers for a browser-session API call: the CSRF token from the cookie, as the JS client sends it."""
    return {"x-csrftoken": csrf_from(client)}


def field_errors(page: str) -> list[str]:
    return [html.unescape(text) for text in re.findall(r'class="field-error"[^>]*>([^<]*)<', page)]
