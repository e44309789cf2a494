"""Two-step sign-in through the pages, as a member with a phone would: enrolling from the QR page's key, signing in
with a code, a code refused the second time, a recovery code used up, wrong codes limited, turning it off; and
staff who have not enrolled acting as plain members until they do."""

from __future__ import annotations

import html
import re

import httpx
import pyotp

from forum.core.tables import RecoveryCode, User
from tests.support.factories import PASSWORD, current_code, login, make_thread, make_user, post_form
from tests.support.mailbox import Mailbox, body_of

EMAIL = "ani@sleman.go.id"


def _key_on(page: str) -> str:
    found = re.search(r'class="totp-key">([A-Z2-7 ]+)<', page)
    assert found, "the enrolment page shows the key"
    return found.group(1).replace(" ", "")


def _codes_on(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", page)


async def _mailed_code(client: httpx.AsyncClient, mailbox: Mailbox) -> str:
    assert (await post_form(client, "/akun/dua-langkah/kode-email", {})).status_code == 303
    found = re.search(r"dua langkah: (\d{6})", body_of((await mailbox.deliver())[-1]))
    assert found, "the enrolment code is mailed to the account's address"
    return found.group(1)


async def _enrol(client: httpx.AsyncClient, mailbox: Mailbox) -> tuple[str, list[str]]:
    page = await client.get("/akun/dua-langkah")
    assert page.status_code == 200 and "data:image/svg+xml" in page.text  # the QR code, inline
    secret = _key_on(page.text)
    mail_code = await _mailed_code(client, mailbox)
    done = await post_form(client, "/akun/dua-langkah", {"code": pyotp.TOTP(secret).now(), "mail_code": mail_code})
    assert done.status_code == 303, done.text[:400]
    shown = await client.get(done.headers["location"])
    assert "baru aktif setelah verifikasi dua langkah" not in shown.text  # no longer held on the next page
    assert _codes_on((await client.get("/akun/dua-langkah")).text) == []  # shown once
    return secret, _codes_on(shown.text)


async def _password_step(client: httpx.AsyncClient) -> httpx.Response:
    response = await post_form(client, "/masuk", {"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 303
    return response


async def _signed_in(client: httpx.AsyncClient) -> bool:
    return 'action="/keluar"' in (await client.get("/")).text


async def test_enrol_then_sign_in_with_a_code(client: httpx.AsyncClient, other_client: httpx.AsyncClient,
                                              mailbox: Mailbox) -> None:  # fmt: skip
    await make_user(EMAIL)
    await login(client, EMAIL)
    secret, codes = await _enrol(client, mailbox)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert await RecoveryCode.count() == 10
    stored = await User.select(User.totp_secret).first()
    assert stored is not None and stored["totp_secret"] == secret
    stored_codes = str(await RecoveryCode.select())
    assert all(code not in stored_codes for code in codes)  # only hashes are kept
    assert any("diaktifkan" in m.get_body(("plain",)).get_content() for m in await mailbox.deliver())
    # The password alone no longer signs in: it asks for the code.
    asked = await _password_step(other_client)
    assert asked.headers["location"] == "/masuk/kode"
    assert not await _signed_in(other_client)
    assert (await other_client.get("/akun")).status_code in {302, 303, 401}
    wrong = await post_form(other_client, "/masuk/kode", {"code": "000000"})
    assert wrong.status_code == 422 and "Kode tidak cocok" in html.unescape(wrong.text)
    await User.update({User.totp_last_step: None}, force=True)  # the enrolment just used this step's code
    right = await post_form(other_client, "/masuk/kode", {"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 303 and right.headers["location"] == "/"
    assert await _signed_in(other_client)


async def test_a_code_is_taken_once(client: httpx.AsyncClient, other_client: httpx.AsyncClient) -> None:
    await make_user(EMAIL, two_factor=True)
    code = await current_code(EMAIL)
    await _password_step(client)
    assert (await post_form(client, "/masuk/kode", {"code": code})).status_code == 303
    await _password_step(other_client)
    replay = await post_form(other_client, "/masuk/kode", {"code": code})  # read over a shoulder, used again
    assert replay.status_code == 422
    assert not await _signed_in(other_client)


async def test_a_recovery_code_signs_in_once(client: httpx.AsyncClient, other_client: httpx.AsyncClient,
                                             mailbox: Mailbox) -> None:  # fmt: skip
    await make_user(EMAIL)
    await login(client, EMAIL)
    _, codes = await _enrol(client, mailbox)
    await _password_step(other_client)
    used = await post_form(other_client, "/masuk/kode", {"code": codes[3].upper().replace("-", " ")})  # typed loosely
    assert used.status_code == 303 and used.headers["location"] == "/akun/dua-langkah?sisa=9"
    assert "Sisa 9 kode" in (await other_client.get(used.headers["location"])).text
    await post_form(other_client, "/keluar", {})
    await _password_step(other_client)
    again = await post_form(other_client, "/masuk/kode", {"code": codes[3]})
    assert again.status_code == 422 and not await _signed_in(other_client)


async def test_wrong_codes_are_limited(client: httpx.AsyncClient) -> None:
    await make_user(EMAIL, two_factor=True)
    await _password_step(client)
    answers = [(await post_form(client, "/masuk/kode", {"code": f"{n:06d}"})).status_code for n in range(6)]
    assert answers[:5] == [422] * 5 and answers[5] == 429
    refused = await post_form(client, "/masuk/kode", {"code": await current_code(EMAIL)})
    assert refused.status_code == 429  # even the right code waits out the window


async def test_the_code_page_without_a_password_first(client: httpx.AsyncClient) -> None:
    await make_user(EMAIL, two_factor=True)
    assert (await client.get("/masuk/kode")).headers.get("location") == "/masuk"
    code = await current_code(EMAIL)
    answer = await post_form(client, "/masuk/kode", {"code": code})
    assert answer.status_code == 410 and not await _signed_in(client)


async def test_turning_it_off_needs_the_password_and_a_code(client: httpx.AsyncClient,
                                                            other_client: httpx.AsyncClient) -> None:  # fmt: skip
    await make_user(EMAIL, two_factor=True)
    await login(client, EMAIL)
    wrong = await post_form(client, "/akun/dua-langkah/matikan", {"password": "bukan-sandinya", "code": "123456"})
    assert wrong.status_code == 422
    off = await post_form(client, "/akun/dua-langkah/matikan", {"password": PASSWORD, "code": await current_code(EMAIL)})
    assert off.status_code == 303
    assert await RecoveryCode.count() == 0
    signed = await _password_step(other_client)
    assert signed.headers["location"] == "/"  # no second step any more


async def test_renewed_recovery_codes_replace_the_old(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    await make_user(EMAIL)
    await login(client, EMAIL)
    secret, old = await _enrol(client, mailbox)
    await User.update({User.totp_last_step: None}, force=True)
    renewed = await post_form(client, "/akun/dua-langkah/kode-pemulihan",
                              {"password": PASSWORD, "code": pyotp.TOTP(secret).now()})  # fmt: skip
    assert renewed.status_code == 303
    new = _codes_on((await client.get(renewed.headers["location"])).text)
    assert len(new) == 10 and not set(new) & set(old)
    assert await RecoveryCode.count() == 10


async def test_staff_act_as_members_until_enrolled(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    author = await make_user("penulis@sleman.go.id")
    thread = await make_thread(author)
    await make_user("moderator@menpan.go.id", role="moderator", agency="KemenPANRB", two_factor=False)
    await login(client, "moderator@menpan.go.id")  # no code asked: not enrolled
    home = await client.get("/")
    assert "baru aktif setelah verifikasi dua langkah" in home.text
    held = await post_form(client, f"/topik/{thread['id']}/moderasi", {"action": "pin"})
    assert held.status_code == 403
    assert (await client.get("/moderasi")).status_code == 403
    page = await client.get("/akun/dua-langkah")
    mail_code = await _mailed_code(client, mailbox)
    enrolled = await post_form(client, "/akun/dua-langkah", {"code": pyotp.TOTP(_key_on(page.text)).now(),
                                                             "mail_code": mail_code})  # fmt: skip
    assert enrolled.status_code == 303
    pinned = await post_form(client, f"/topik/{thread['id']}/moderasi", {"action": "pin"})
    assert pinned.status_code == 303
    assert "baru aktif setelah verifikasi dua langkah" not in (await client.get("/")).text


async def test_an_unenrolled_agency_admin_cannot_verify_members(client: httpx.AsyncClient) -> None:
    newcomer = await make_user("baru@sleman.go.id", verified=False)
    await make_user("admin-instansi@sleman.go.id", agency_admin=True, two_factor=False)
    await login(client, "admin-instansi@sleman.go.id")
    answer = await post_form(client, f"/pengguna/{newcomer.id}/verifikasi", {})
    assert answer.status_code == 403


async def test_the_password_alone_cannot_enrol_a_phone(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    """Whoever has only a staff member's password must not tie the account to their own phone (and so take its
    powers and lock the owner out): enrolling needs the code mailed to the account's address too."""
    await make_user("moderator@menpan.go.id", role="moderator", agency="KemenPANRB", two_factor=False)
    await login(client, "moderator@menpan.go.id")
    secret = _key_on((await client.get("/akun/dua-langkah")).text)
    without = await post_form(client, "/akun/dua-langkah", {"code": pyotp.TOTP(secret).now()})
    assert without.status_code == 422 and "Kode dari email" in without.text
    guessed = await post_form(client, "/akun/dua-langkah/kode-email", {})
    assert guessed.status_code == 303
    wrong = await post_form(client, "/akun/dua-langkah", {"code": pyotp.TOTP(secret).now(), "mail_code": "000000"})
    assert wrong.status_code == 422
    assert (await User.select(User.totp_enabled_at).first())["totp_enabled_at"] is None
    assert (await client.get("/moderasi")).status_code == 403
