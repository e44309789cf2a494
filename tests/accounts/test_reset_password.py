"""A forgotten password, end to end through a real SMTP sink: the same answer for a known and an unknown
address, a link that works once and for an hour, and a reset that ends every session and token; and changing
a password, which needs the current one."""

from __future__ import annotations

from datetime import timedelta

import httpx

from forum.core.clock import now
from forum.core.tables import AccountToken, UserSession
from tests.support.factories import PASSWORD, login, make_user, post_form, token_for
from tests.support.mailbox import Mailbox, link_in

NEW_PASSWORD = "kuda-laut-menari-di-senja"


def _answer(page: str) -> str:
    start = page.index("<main")
    return page[start : page.index("</main>")]


async def test_the_answer_is_the_same_whether_the_address_exists_or_not(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await make_user("ani@sleman.go.id")
    known = await post_form(client, "/lupa-sandi", {"email": "ani@sleman.go.id"})
    unknown = await post_form(client, "/lupa-sandi", {"email": "tidak.ada@sleman.go.id"})
    assert known.status_code == unknown.status_code == 200
    assert _answer(known.text) == _answer(unknown.text)
    delivered = await mailbox.deliver()
    assert [str(m["To"]) for m in delivered] == [str(delivered[0]["To"])] and "ani@sleman.go.id" in str(delivered[0]["To"])


async def test_a_reset_sets_the_password_and_ends_every_session_and_token(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    user = await make_user("ani@sleman.go.id")
    token = await token_for(user)
    elsewhere = other_client  # a session signed in on another device
    await login(elsewhere, "ani@sleman.go.id")
    assert 'action="/keluar"' in (await elsewhere.get("/")).text
    await post_form(client, "/lupa-sandi", {"email": "ani@sleman.go.id"})
    link = link_in((await mailbox.deliver())[0], "/atur-ulang-sandi/")
    form = await client.get(link)
    assert form.status_code == 200 and "Kata sandi baru" in form.text
    done = await post_form(client, link, {"password": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["location"] == "/masuk?sandi=baru"
    assert 'action="/keluar"' not in (await elsewhere.get("/")).text  # that session ended
    assert (await elsewhere.get("/api/notifications", headers={"Authorization": f"Bearer {token}"})).status_code == 401
    assert await UserSession.count() == 0
    wrong = await post_form(client, "/masuk", {"email": "ani@sleman.go.id", "password": PASSWORD})
    assert wrong.status_code == 422
    await login(client, "ani@sleman.go.id", NEW_PASSWORD)
    notice = [m for m in await mailbox.deliver() if "berubah" in str(m["Subject"])]
    assert notice, "the owner is told their password changed"


async def test_a_reset_link_works_once(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    await make_user("ani@sleman.go.id")
    await post_form(client, "/lupa-sandi", {"email": "ani@sleman.go.id"})
    link = link_in((await mailbox.deliver())[0], "/atur-ulang-sandi/")
    assert (await post_form(client, link, {"password": NEW_PASSWORD})).status_code == 303
    again = await post_form(client, link, {"password": "burung-hantu-bernyanyi-pagi"})
    assert again.status_code == 410 and "tidak berlaku lagi" in again.text
    assert (await client.get(link)).status_code == 410
    await login(client, "ani@sleman.go.id", NEW_PASSWORD)


async def test_a_reset_link_expires_within_the_hour(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    await make_user("ani@sleman.go.id")
    await post_form(client, "/lupa-sandi", {"email": "ani@sleman.go.id"})
    link = link_in((await mailbox.deliver())[0], "/atur-ulang-sandi/")
    stored = await AccountToken.select(AccountToken.created_at, AccountToken.expires_at).first()
    assert stored["expires_at"] - stored["created_at"] <= timedelta(hours=1)
    await AccountToken.update({AccountToken.expires_at: now() - timedelta(seconds=1)}).where(AccountToken.id > 0)
    assert (await client.get(link)).status_code == 410
    refused = await post_form(client, link, {"password": NEW_PASSWORD})
    assert refused.status_code == 410
    await login(client, "ani@sleman.go.id")  # the old password still works


async def test_weak_passwords_are_refused_and_the_link_survives(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    await make_user("ani@sleman.go.id", name="Ani Wulandari")
    await post_form(client, "/lupa-sandi", {"email": "ani@sleman.go.id"})
    link = link_in((await mailbox.deliver())[0], "/atur-ulang-sandi/")
    for weak, why in (("pendek", "minimal 12"), ("123456789012", "sering ditebak"), ("passwordpassword", "sering ditebak"),
                      ("ani@sleman.go.id", "email atau nama")):  # fmt: skip
        refused = await post_form(client, link, {"password": weak})
        assert refused.status_code == 422 and why in refused.text, weak
    assert (await post_form(client, link, {"password": NEW_PASSWORD})).status_code == 303


async def test_requests_for_one_address_are_limited(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    await make_user("ani@sleman.go.id")
    for _ in range(3):
        assert (await post_form(client, "/lupa-sandi", {"email": "ani@sleman.go.id"})).status_code == 200
    refused = await post_form(client, "/lupa-sandi", {"email": "ani@sleman.go.id"})
    assert refused.status_code == 429
    assert len(await mailbox.deliver()) == 3


async def test_changing_the_password_needs_the_current_one_and_ends_the_other_sessions(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await make_user("ani@sleman.go.id")
    await login(client, "ani@sleman.go.id")
    elsewhere = other_client
    await login(elsewhere, "ani@sleman.go.id")
    wrong = await post_form(client, "/akun/sandi", {"current_password": "bukan-ini-sandinya", "password": NEW_PASSWORD})
    assert wrong.status_code == 422 and "saat ini salah" in wrong.text
    changed = await post_form(client, "/akun/sandi", {"current_password": PASSWORD, "password": NEW_PASSWORD})
    assert changed.status_code == 303
    assert 'action="/keluar"' in (await client.get("/")).text  # this session stays
    assert 'action="/keluar"' not in (await elsewhere.get("/")).text  # the other one ended
    await mailbox.deliver()
    assert any("berubah" in str(m["Subject"]) for m in mailbox.received)


async def test_wrong_current_passwords_are_limited(client: httpx.AsyncClient) -> None:
    await make_user("ani@sleman.go.id")
    await login(client, "ani@sleman.go.id")
    for _ in range(10):
        wrong = await post_form(client, "/akun/sandi", {"current_password": "tebakan-yang-salah", "password": NEW_PASSWORD})
        assert wrong.status_code == 422
    refused = await post_form(client, "/akun/sandi", {"current_password": PASSWORD, "password": NEW_PASSWORD})
    assert refused.status_code == 429  # even the right one, until the window passes
