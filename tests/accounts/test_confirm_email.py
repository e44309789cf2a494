"""Confirming an address, end to end through a real SMTP sink on loopback: the link comes by mail, opens a page
whose button uses it (a mail scanner fetching the link uses nothing up), works once, expires, and until it is
used the account reads but does not write."""

from __future__ import annotations

from datetime import timedelta

import httpx

from forum.core.clock import now
from forum.core.hashing import fingerprint
from forum.core.tables import AccountToken, OutgoingMail, User
from tests.accounts.test_accounts import REGISTRATION
from tests.support.factories import VALID_THREAD, make_user, post_form
from tests.support.mailbox import Mailbox, body_of, link_in


async def _register(client: httpx.AsyncClient, mailbox: Mailbox, **fields: str) -> str:
    response = await post_form(client, "/daftar", {**REGISTRATION, **fields})
    assert response.status_code == 303, response.text[:300]
    delivered = await mailbox.deliver()
    assert len(delivered) == 1
    return link_in(delivered[0], "/konfirmasi/")


async def test_registration_mails_a_link_and_the_account_writes_once_it_is_used(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    link = await _register(client, mailbox)
    message = mailbox.received[0]
    assert "siti.rahma@dinkes.go.id" in str(message["To"]) and "Konfirmasi" in str(message["Subject"])

    home = await client.get("/")
    assert "Konfirmasi email Anda" in home.text  # the banner
    form_page = await client.get("/topik/baru")  # no form to fill in and lose: the page says what to do first
    assert form_page.status_code == 200 and "tautan konfirmasi" in form_page.text and 'name="title"' not in form_page.text
    refused = await post_form(client, "/topik/baru", VALID_THREAD)
    assert refused.status_code == 403 and "Konfirmasi email" in refused.text

    opened = await client.get(link)  # what a link scanner does: nothing is used up
    assert opened.status_code == 200 and "siti.rahma@dinkes.go.id" in opened.text
    assert (await User.select(User.email_confirmed_at).first())["email_confirmed_at"] is None

    confirmed = await post_form(client, link, {})
    assert confirmed.status_code == 200 and "terkonfirmasi" in confirmed.text
    row = await User.select(User.email_confirmed_at, User.verified_at).first()
    assert row["email_confirmed_at"] is not None
    assert row["verified_at"] is not None  # dinkes.go.id is under the official go.id
    assert "Konfirmasi email Anda" not in (await client.get("/")).text
    assert 'name="title"' in (await client.get("/topik/baru")).text
    written = await post_form(client, "/topik/baru", VALID_THREAD)
    assert written.status_code == 303, written.text[:300]

    again = await post_form(client, link, {})
    assert again.status_code == 410 and "tidak berlaku lagi" in again.text
    assert (await client.get(link)).status_code == 410


async def test_an_address_outside_the_official_domains_stays_unverified(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    link = await _register(client, mailbox, email="siapa.saja123@gmail.com", display_name="Siapa Saja")
    assert (await post_form(client, link, {})).status_code == 200
    row = await User.select(User.email_confirmed_at, User.verified_at).first()
    assert row["email_confirmed_at"] is not None and row["verified_at"] is None  # an agency admin verifies


async def test_an_expired_link_is_refused_and_a_new_one_can_be_asked_for(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    link = await _register(client, mailbox)
    await AccountToken.update({AccountToken.expires_at: now() - timedelta(seconds=1)}).where(AccountToken.id > 0)
    refused = await post_form(client, link, {})
    assert refused.status_code == 410 and "Kirim tautan baru" in refused.text
    assert (await User.select(User.email_confirmed_at).first())["email_confirmed_at"] is None

    resent = await post_form(client, "/konfirmasi/kirim-ulang", {})
    assert resent.status_code == 303
    fresh = link_in((await mailbox.deliver())[0], "/konfirmasi/")
    assert fresh != link
    assert (await post_form(client, fresh, {})).status_code == 200


async def test_a_new_link_voids_the_old_one(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    first = await _register(client, mailbox)
    await post_form(client, "/konfirmasi/kirim-ulang", {})
    second = link_in((await mailbox.deliver())[0], "/konfirmasi/")
    assert (await post_form(client, first, {})).status_code == 410
    assert (await post_form(client, second, {})).status_code == 200


async def test_a_refused_registration_mails_nothing(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    await make_user("siti.rahma@dinkes.go.id")
    response = await post_form(client, "/daftar", REGISTRATION)
    assert response.status_code == 422
    assert await OutgoingMail.count() == 0 and await mailbox.deliver() == []


async def test_an_unconfirmed_account_cannot_write_through_the_api_either(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await _register(client, mailbox)
    user = await User.select(User.id, User.email).first()
    from forum.accounts.api_tokens import create_api_token

    token = await create_api_token(user["email"])
    response = await client.post("/api/threads", json=VALID_THREAD, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    read = await client.get("/api/threads", headers={"Authorization": f"Bearer {token}"})
    assert read.status_code == 200


async def test_links_are_stored_only_as_hashes_and_sent_bodies_are_blanked(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    link = await _register(client, mailbox)
    raw = link.rsplit("/", 1)[-1]
    stored = await AccountToken.select(AccountToken.token_hash).first()
    assert raw not in stored["token_hash"] and stored["token_hash"] == fingerprint(raw)
    sent = await OutgoingMail.select(OutgoingMail.body, OutgoingMail.sent_at).first()
    assert sent["sent_at"] is not None and sent["body"] == ""  # the link is not kept once delivered
    assert raw in body_of(mailbox.received[0])


async def test_mail_waits_while_the_server_is_down_and_goes_later(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    import dataclasses

    from forum.core.mail import send_queued_mail
    from forum.core.settings import get_settings, use_settings

    working = get_settings()
    use_settings(dataclasses.replace(working, smtp_port=1))  # nothing listens there
    response = await post_form(client, "/daftar", REGISTRATION)
    assert response.status_code == 303
    assert await send_queued_mail() == 0
    row = await OutgoingMail.select(OutgoingMail.attempts, OutgoingMail.sent_at, OutgoingMail.available_at).first()
    assert row["attempts"] == 1 and row["sent_at"] is None and row["available_at"] > now()
    use_settings(working)
    await OutgoingMail.update({OutgoingMail.available_at: now()}).where(OutgoingMail.id > 0)  # its retry is due
    assert len(await mailbox.deliver()) == 1


async def test_a_thread_page_tells_an_unconfirmed_reader_how_to_reply(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@sleman.go.id")
    from tests.support.factories import login, make_thread

    thread = await make_thread(author)
    await make_user("baru@bantul.go.id", agency="Dinkes Kabupaten Bantul", confirmed=False)
    await login(client, "baru@bantul.go.id")
    page = (await client.get(thread["url"])).text
    assert "tautan konfirmasi" in page and "dapat membalas" in page
    assert f'action="/topik/{thread["id"]}/balas"' not in page  # no reply form to fill in and lose
