"""Notifications and watches end to end: who is told about replies, new threads and mentions; the inbox page
and API; following threads, sectors and values; the nav badge; and optional e-mail through a local SMTP sink.
Writes go through the real services, so their change-feed announcements are tested too (a hook that fired
twice would show as a doubled notice)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from litestar import Litestar

from forum.core.clock import now
from forum.core.identity import CurrentUser
from forum.core.tables import Notification, Post, Thread, Watch
from forum.notifications import events, mentions
from forum.notifications.service import notify
from forum.posting.service import ReplyInput, add_reply
from forum.threads.service import ThreadInput, create_thread
from forum.web.flood import NO_LIMITS
from tests.support.factories import VALID_THREAD, login, make_user, post_form, token_for
from tests.support.mailbox import Mailbox


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def reply(user: CurrentUser, thread_id: int, body: str) -> dict[str, Any]:
    return await add_reply(user, thread_id, ReplyInput(body=body), limits=NO_LIMITS)


async def new_thread(user: CurrentUser, **overrides: Any) -> dict[str, Any]:
    return await create_thread(user, ThreadInput.pick({**VALID_THREAD, **overrides}), limits=NO_LIMITS)


@pytest.fixture(autouse=True)
async def _database(app: Litestar) -> None:
    """Every test runs with the app's lifespan (engine ready) and an emptied database afterwards."""


async def inbox(user_id: int) -> list[dict[str, Any]]:
    return await Notification.select(Notification.kind, Notification.text, Notification.url).where(
        Notification.user == user_id
    ).order_by(Notification.id)


async def test_a_reply_tells_the_author_and_the_watchers_once_each() -> None:
    ani = await make_user("ani@x.go.id", name="Ani Wulandari")
    budi = await make_user("budi@y.go.id", name="Budi Santoso", agency="Dinas Kominfo Kota Surabaya")
    citra = await make_user("citra@z.go.id", name="Citra Lestari", agency="Bappeda Provinsi Bali")
    dodi = await make_user("dodi@z.go.id", name="Dodi Pratama", agency="Bappeda Provinsi Bali")
    thread = await new_thread(ani)
    first = await reply(budi, thread["id"], "Kami juga menerapkan hal serupa di Surabaya.")
    assert [n["kind"] for n in await inbox(ani.id)] == ["reply"]
    assert await inbox(budi.id) == []  # never told about one's own reply
    # Budi now follows the thread (he replied); Citra follows it explicitly.
    assert await Watch.count().where((Watch.target_type == "thread") & (Watch.target_key == str(thread["id"]))) == 2
    from forum.notifications.watches import watch

    await watch(citra, "thread", thread["id"])
    second = await reply(dodi, thread["id"], "Bagaimana dengan anggarannya?")
    assert [n["kind"] for n in await inbox(ani.id)] == ["reply", "reply"]
    assert [n["kind"] for n in await inbox(budi.id)] == ["watch_reply"]
    assert [n["kind"] for n in await inbox(citra.id)] == ["watch_reply"]
    assert await inbox(dodi.id) == []
    notice = (await inbox(budi.id))[0]
    assert notice["url"] == f"/balasan/{second['id']}"
    assert notice["text"] == f"Dodi Pratama membalas topik yang Anda ikuti “{VALID_THREAD['title']}”"
    assert first["id"] != second["id"]


async def test_notices_commit_and_roll_back_with_the_reply() -> None:
    from forum.core.db import write_transaction

    ani = await make_user("ani@x.go.id")
    budi = await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    thread = await new_thread(ani)
    with pytest.raises(RuntimeError):
        async with write_transaction():
            await reply(budi, thread["id"], "Balasan yang akhirnya batal")
            raise RuntimeError("batal")
    assert await Post.count() == 0 and await inbox(ani.id) == []
    assert not await Watch.exists().where(Watch.user == budi.id)


async def test_pending_content_announces_nothing_until_approved() -> None:
    ani = await make_user("ani@x.go.id")
    watcher = await make_user("wati@y.go.id", agency="Dinas Kesehatan Kota Bandung")
    newbie = await make_user("baru@z.go.id", verified=False, agency="Bappeda Provinsi Bali")
    from forum.notifications.watches import watch

    await watch(watcher, "sector", VALID_THREAD["sector"])
    thread = await new_thread(ani)
    assert [n["kind"] for n in await inbox(watcher.id)] == ["watch_sector"]
    pending_reply = await reply(newbie, thread["id"], "Balasan anggota baru yang menunggu tinjauan")
    assert pending_reply["status"] == "pending"
    assert await inbox(ani.id) == []
    # The newbie follows the thread all the same; approval announces the reply.
    assert await Watch.exists().where((Watch.user == newbie.id) & (Watch.target_key == str(thread["id"])))
    await Post.update({Post.status: "published"}).where(Post.id == pending_reply["id"])  # a moderator approves
    await events.reply_published(pending_reply["id"])
    assert [n["kind"] for n in await inbox(ani.id)] == ["reply"]
    pending_thread = await new_thread(newbie, title="Topik anggota baru tentang antrean")
    assert pending_thread["status"] == "pending"
    assert len(await inbox(watcher.id)) == 1
    await Thread.update({Thread.status: "published"}).where(Thread.id == pending_thread["id"])
    assert await events.thread_published(pending_thread["id"]) == 1
    assert len(await inbox(watcher.id)) == 2


async def test_new_thread_in_a_watched_sector_or_value() -> None:
    from forum.notifications.watches import watch

    ani = await make_user("ani@x.go.id", name="Ani Wulandari")
    by_sector = await make_user("sektor@y.go.id", agency="Dinas Kesehatan Kota Bandung")
    by_value = await make_user("nilai@y.go.id", agency="Dinas Kesehatan Kota Bandung")
    by_both = await make_user("dua@y.go.id", agency="Dinas Kesehatan Kota Bandung")
    elsewhere = await make_user("lain@y.go.id", agency="Dinas Kesehatan Kota Bandung")
    await watch(by_sector, "sector", VALID_THREAD["sector"])
    await watch(by_value, "value", "kolaboratif")
    await watch(by_both, "sector", VALID_THREAD["sector"])
    await watch(by_both, "value", "berorientasi-pelayanan")
    await watch(elsewhere, "sector", "kesehatan")
    await watch(elsewhere, "value", "adaptif")
    await watch(ani, "sector", VALID_THREAD["sector"])  # the author is never told about their own thread
    thread = await new_thread(ani)
    assert [n["kind"] for n in await inbox(by_sector.id)] == ["watch_sector"]
    assert (await inbox(by_sector.id))[0]["text"].startswith("Topik baru di sektor Administrasi Kependudukan")
    assert (await inbox(by_value.id))[0] == {
        "kind": "watch_value",
        "text": f"Topik baru bernilai Kolaboratif: “{VALID_THREAD['title']}” oleh Ani Wulandari",
        "url": thread["url"],
    }
    assert [n["kind"] for n in await inbox(by_both.id)] == ["watch_sector"]
    assert await inbox(elsewhere.id) == []
    assert await inbox(ani.id) == []


async def test_mentions_of_people_and_agencies(monkeypatch: pytest.MonkeyPatch) -> None:
    ani = await make_user("ani@x.go.id", name="Ani Wulandari")
    budi_sby = await make_user("budi@sby.go.id", name="Budi Santoso", agency="Dinas Kominfo Kota Surabaya")
    budi_bdg = await make_user("budi@bdg.go.id", name="Budi Santoso", agency="Dinas Kominfo Kota Bandung")
    citra = await make_user("citra@z.go.id", name="Citra Lestari, S.Kom.", agency="Bappeda Provinsi Bali")
    staff = await make_user("staf@bali.go.id", name="Staf Bappeda", agency="Bappeda Provinsi Bali")
    admin = await make_user("admin@bali.go.id", name="Admin Bappeda", agency="Bappeda Provinsi Bali", agency_admin=True)
    quoted = await make_user("kutip@x.go.id", name="Orang Dikutip", agency="Dinas Kesehatan Kota Bandung")
    thread = await new_thread(ani)
    sby_slug = budi_sby.agency_slug
    body = (
        "Terima kasih @[citra lestari, s.kom.] dan @[Budi Santoso]. Mohon masukan "
        f"@[Budi Santoso|{sby_slug}] serta tim @bappeda-provinsi-bali. Surel ani@kemenpan.go.id bukan sebutan.\n\n"
        "> @[Orang Dikutip] pernah bilang begitu\n\n`@[Ani Wulandari]` di dalam kode tidak dihitung."
    )
    monkeypatch.setattr(mentions, "AGENCY_RECIPIENT_CAP", 2)
    await reply(ani, thread["id"], body)
    assert [n["kind"] for n in await inbox(citra.id)] == ["mention"]
    assert (await inbox(citra.id))[0]["text"].startswith("Ani Wulandari menyebut Anda di “")
    assert [n["kind"] for n in await inbox(budi_sby.id)] == ["mention"]
    assert await inbox(budi_bdg.id) == []  # "@[Budi Santoso]" alone is ambiguous: nobody
    # The agency's admin first, then verified members, capped; Citra already has her own (more specific) notice.
    assert [n["kind"] for n in await inbox(admin.id)] == ["mention_agency"]
    assert "menyebut instansi Anda (Bappeda Provinsi Bali)" in (await inbox(admin.id))[0]["text"]
    assert await inbox(staff.id) == []  # cap 2: admin + Citra (member ids order) — staff is third
    assert await inbox(quoted.id) == []
    assert await inbox(ani.id) == []  # no mention of oneself, no "reply" to one's own thread

    parsed = mentions.parse("<p>@[Nama Satu] @[Nama Satu] @dinas-a @dinas-a, x@dinas-b.go.id</p>")
    assert parsed.names == (("nama satu", "", "Nama Satu"),) and parsed.agencies == ("dinas-a",)


async def test_mentions_in_a_new_thread_body() -> None:
    ani = await make_user("ani@x.go.id", name="Ani Wulandari")
    budi = await make_user("budi@y.go.id", name="Budi Santoso", agency="Dinas Kominfo Kota Surabaya")
    await new_thread(ani, body="Kami belajar dari @[budi santoso] di Surabaya tentang layanan antar KTP-el.")
    assert [n["kind"] for n in await inbox(budi.id)] == ["mention"]


async def test_inbox_page_pagination_and_marking_read(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@x.go.id")
    budi = await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    for n in range(33):
        await notify([ani.id], "replication", f"Pemberitahuan nomor {n}", f"/topik/{n}", thread_id=None)
    await notify([budi.id], "commitment", "Milik Budi", "/topik/1", thread_id=None)
    await login(client, "ani@x.go.id")
    first = await client.get("/notifikasi")
    assert first.status_code == 200
    assert "33 belum dibaca" in first.text
    assert first.text.index("Pemberitahuan nomor 32") < first.text.index("Pemberitahuan nomor 31")
    assert "Pemberitahuan nomor 2<" not in first.text and "notification-unread" in first.text
    assert "Replikasi" in first.text and "Milik Budi" not in first.text
    assert "Notifikasi (33" in first.text  # the nav badge
    cursor = first.text.split("/notifikasi?cursor=")[1].split('"')[0]
    older = await client.get(f"/notifikasi?cursor={cursor}")
    assert "Pemberitahuan nomor 2<" in older.text and "Pemberitahuan nomor 0<" in older.text
    assert "Pemberitahuan nomor 3<" not in older.text
    # Following a notice marks it read and goes where it points.
    newest = await Notification.select(Notification.id).where(Notification.user == ani.id).order_by(
        Notification.id, ascending=False).first()  # fmt: skip
    opened = await client.get(f"/notifikasi/{newest['id']}/buka")
    assert opened.status_code == 303 and opened.headers["location"] == "/topik/32"
    # Someone else's notice is not found.
    budis = await Notification.select(Notification.id).where(Notification.user == budi.id).first()
    assert (await client.get(f"/notifikasi/{budis['id']}/buka")).status_code == 404
    # "Tandai semua" marks up to what the reader saw; a notice arriving meanwhile stays unread.
    await notify([ani.id], "commitment", "Datang belakangan", "/topik/99", thread_id=None)
    done = await post_form(client, "/notifikasi/baca-semua", {"sampai": str(newest["id"])})
    assert done.status_code == 303 and done.headers["location"] == "/notifikasi"
    page = await client.get("/notifikasi")
    assert "1 belum dibaca" in page.text and "Notifikasi (1" in page.text
    budis_notice = await Notification.select(Notification.read_at).where(Notification.user == budi.id).first()
    assert budis_notice["read_at"] is None


async def test_notifications_api(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@x.go.id")
    budi = await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    headers = bearer(await token_for(ani))
    assert (await client.get("/api/notifications")).status_code == 401
    for n in range(5):
        await notify([ani.id], "reply", f"Balasan {n}", f"/balasan/{n}", thread_id=None)
    await notify([budi.id], "reply", "Untuk Budi", "/balasan/9", thread_id=None)
    assert (await client.get("/api/notifications/unread-count", headers=headers)).json() == {"unread": 5}
    page = (await client.get("/api/notifications?limit=3", headers=headers)).json()
    assert [item["text"] for item in page["items"]] == ["Balasan 4", "Balasan 3", "Balasan 2"]
    assert page["items"][0]["is_read"] is False and page["items"][0]["kind_label"] == "Balasan di topik Anda"
    rest = (await client.get(f"/api/notifications?limit=3&cursor={page['next_cursor']}", headers=headers)).json()
    assert [item["text"] for item in rest["items"]] == ["Balasan 1", "Balasan 0"] and rest["next_cursor"] is None
    assert (await client.get("/api/notifications?cursor=rusak", headers=headers)).status_code == 422
    one = page["items"][1]["id"]
    marked = await client.post(f"/api/notifications/{one}/read", headers=headers)
    assert marked.status_code == 200 and marked.json()["is_read"] is True
    unread = (await client.get("/api/notifications?unread=true", headers=headers)).json()
    assert len(unread["items"]) == 4
    budis = await Notification.select(Notification.id).where(Notification.user == budi.id).first()
    assert (await client.post(f"/api/notifications/{budis['id']}/read", headers=headers)).status_code == 404
    up_to = {"up_to_id": page["items"][2]["id"]}  # "Balasan 2": marks 0, 1 and 2, never the newer 4
    partly = await client.post("/api/notifications/read-all", json=up_to, headers=headers)
    assert partly.status_code == 200 and partly.json() == {"marked": 3}
    done = await client.post("/api/notifications/read-all", headers=headers)
    assert done.status_code == 200 and done.json() == {"marked": 1}
    assert (await client.get("/api/notifications/unread-count", headers=headers)).json() == {"unread": 0}
    assert (await Notification.count().where(Notification.read_at.is_null())) == 1  # Budi's
    schema = (await client.get("/schema/openapi.json")).json()
    assert {"/api/notifications", "/api/notifications/read-all", "/api/watches"} <= set(schema["paths"])


async def test_watch_and_unwatch_through_the_page_and_the_api(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    ani = await make_user("ani@x.go.id")
    budi = await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    newbie = await make_user("baru@z.go.id", verified=False, agency="Bappeda Provinsi Bali")
    thread = await new_thread(ani)
    hidden = await new_thread(newbie, title="Topik yang masih ditinjau moderator")
    headers = bearer(await token_for(budi))
    # The page form, coming back to where it was used.
    await login(client, "budi@y.go.id")
    followed = await post_form(client, "/ikuti", {"target_type": "thread", "target_key": str(thread["id"]),
                                                  "next": thread["url"]})  # fmt: skip
    assert followed.status_code == 303 and followed.headers["location"] == thread["url"]
    again = await post_form(client, "/ikuti", {"target_type": "thread", "target_key": str(thread["id"])})
    assert again.status_code == 303 and again.headers["location"] == "/ikuti"
    page = await client.get("/ikuti")
    assert page.status_code == 200 and VALID_THREAD["title"] in page.text
    assert "Diikuti · berhenti mengikuti" in page.text
    bad_next = await post_form(client, "/ikuti", {"target_type": "sector", "target_key": "kesehatan",
                                                  "next": "https://evil.example/"})  # fmt: skip
    assert bad_next.headers["location"] == "/"
    # The API.
    listing = (await client.get("/api/watches", headers=headers)).json()
    assert [(w["target_type"], w["label"]) for w in listing["items"]] == [
        ("sector", "Kesehatan"), ("thread", VALID_THREAD["title"])]  # fmt: skip
    created = await client.post("/api/watches", json={"target_type": "value", "target_key": "adaptif"}, headers=headers)
    assert created.status_code == 201 and created.json()["url"] == "/nilai/adaptif"
    same = await client.post("/api/watches", json={"target_type": "value", "target_key": "adaptif"}, headers=headers)
    assert same.status_code == 200
    unknown = await client.post("/api/watches", json={"target_type": "value", "target_key": "malas"}, headers=headers)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "target_key"
    secret = await client.post("/api/watches", json={"target_type": "thread", "target_key": str(hidden["id"])},
                               headers=headers)  # fmt: skip
    assert secret.status_code == 404
    gone = await client.delete("/api/watches?target_type=value&target_key=adaptif", headers=headers)
    assert gone.status_code == 204
    assert await Watch.count().where(Watch.user == budi.id) == 2
    unfollow = await post_form(client, "/ikuti", {"target_type": "thread", "target_key": str(thread["id"]),
                                                  "action": "berhenti", "next": "/ikuti"})  # fmt: skip
    assert unfollow.status_code == 303
    assert await Watch.count().where(Watch.user == budi.id) == 1
    # Signed-out visitors: the page asks them to sign in, the API answers 401.
    assert (await other_client.get("/ikuti")).headers["location"].startswith("/masuk")
    assert (await other_client.get("/api/watches")).status_code == 401


async def test_watchers_of_a_merged_duplicate_follow_the_surviving_thread() -> None:
    from forum.notifications.watches import move_thread_watches, watch

    ani = await make_user("ani@x.go.id")
    budi = await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    keep = await new_thread(ani)
    duplicate = await new_thread(ani, title="Layanan KTP-el antar ke rumah (duplikat)")
    await watch(budi, "thread", duplicate["id"])
    await watch(budi, "thread", keep["id"])
    assert await move_thread_watches(duplicate["id"], keep["id"]) == 2  # Ani (author) and Budi
    rows = await Watch.select(Watch.user, Watch.target_key).where(Watch.target_type == "thread").order_by(Watch.user)
    assert rows == [{"user": ani.id, "target_key": str(keep["id"])}, {"user": budi.id, "target_key": str(keep["id"])}]


async def test_nav_badge_only_for_signed_in_pages(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    ani = await make_user("ani@x.go.id")
    for _ in range(2):
        await notify([ani.id], "reply", "Ada balasan", "/topik", thread_id=None)
    anonymous = await other_client.get("/topik")
    assert "/notifikasi" not in anonymous.text
    await login(client, "ani@x.go.id")
    page = await client.get("/topik")
    assert 'href="/notifikasi"' in page.text and "Notifikasi (2" in page.text
    await Notification.update({Notification.read_at: now()}).where(Notification.user == ani.id)
    page = await client.get("/topik")
    assert 'href="/notifikasi">Notifikasi</a>' in page.text


async def test_other_kinds_render_with_their_labels(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@x.go.id")
    await notify([ani.id], "replication", "Dinas X mereplikasi inovasi Anda", "/topik/1", thread_id=None)
    await notify([ani.id], "commitment", "Tindak lanjut jatuh tempo besok", "/topik/2", thread_id=None)
    await notify([ani.id], "sesuatu-baru", "Jenis yang belum dikenal", "/topik/3", thread_id=None)
    await login(client, "ani@x.go.id")
    page = (await client.get("/notifikasi")).text
    assert "Replikasi" in page and "Tindak lanjut" in page and "Pemberitahuan" in page


# --- e-mail (optional feature; needs aiosmtpd, a test dependency) -------------------------------------------


@pytest.fixture
def smtp_sink(mailbox: Mailbox) -> list[Any]:
    """The messages the loopback SMTP sink (tests.support.mailbox) receives."""
    return mailbox.received  # type: ignore[return-value]


async def test_emails_go_once_to_those_who_want_them(app: Litestar, smtp_sink: list[Any]) -> None:
    from forum.notifications import email

    ani = await make_user("ani@x.go.id", name="Ani Wulandari")
    budi = await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    citra = await make_user("citra@z.go.id", agency="Bappeda Provinsi Bali")
    await email.set_preferences(budi.id, instant=False, digest=False)
    await notify([ani.id, budi.id], "reply", "Budi membalas topik Anda “Layanan KTP-el”", "/balasan/1", thread_id=None)
    await notify([ani.id], "mention", "Citra menyebut Anda", "/balasan/2", thread_id=None)
    await notify([citra.id], "reply", "Sudah dibaca di situs", "/balasan/3", thread_id=None)
    await Notification.update({Notification.read_at: now()}).where(Notification.user == citra.id)
    # Too fresh: people on the site read them there first.
    assert (await email.send_pending_emails(digests=False))["sent"] == 0
    await Notification.update({Notification.created_at: now() - timedelta(minutes=11)}).where(Notification.id > 0)
    stats = await email.send_pending_emails(digests=False)
    assert stats == {"sent": 1, "failed": 0, "notices": 2, "digests": 0}
    assert len(smtp_sink) == 1
    message = smtp_sink[0]
    assert message["To"] == "Ani Wulandari <ani@x.go.id>" and message["Subject"] == "Sinergi: 2 notifikasi baru"
    body = message.get_content()
    assert "Citra menyebut Anda" in body and "/notifikasi/" in body and "/ikuti#email" in body
    # Claimed once: a second run sends nothing.
    assert (await email.send_pending_emails(digests=False))["sent"] == 0
    assert len(smtp_sink) == 1


async def test_weekly_digest_is_opt_in(app: Litestar, smtp_sink: list[Any]) -> None:
    from forum.notifications import email
    from forum.notifications.watches import watch

    ani = await make_user("ani@x.go.id")
    budi = await make_user("budi@y.go.id", name="Budi Santoso", agency="Dinas Kominfo Kota Surabaya")
    await email.set_preferences(budi.id, instant=False, digest=True)
    await watch(budi, "sector", VALID_THREAD["sector"])
    await new_thread(ani)
    assert await email.send_weekly_digests() == 0  # opted in just now: the first digest comes a week later
    await Watch.update({Watch.created_at: now() - timedelta(days=8)}).where(Watch.target_type == "email")
    assert await email.send_weekly_digests() == 1
    (message,) = smtp_sink
    assert message["Subject"] == "Sinergi: ringkasan mingguan Anda" and message["To"] == "Budi Santoso <budi@y.go.id>"
    assert VALID_THREAD["title"] in message.get_content()
    assert await email.send_weekly_digests() == 0  # not again this week
    assert await email.preferences(budi.id) == {"instant": False, "digest": True}
    assert await email.preferences(ani.id) == {"instant": True, "digest": False}


async def test_email_settings_on_the_watch_page(
    client: httpx.AsyncClient, smtp_sink: list[Any]
) -> None:
    from forum.notifications import email

    budi = await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    await login(client, "budi@y.go.id")
    page = await client.get("/ikuti")
    assert 'id="email"' in page.text and 'name="instant" value="1" checked' in page.text
    saved = await post_form(client, "/ikuti/email", {"digest": "1"})
    assert saved.status_code == 303
    assert await email.preferences(budi.id) == {"instant": False, "digest": True}
    # E-mail preferences never show up as things one follows.
    assert (await client.get("/api/watches", headers=bearer(await token_for(budi)))).json()["items"] == []


async def test_no_smtp_means_no_email(app: Litestar) -> None:
    from forum.notifications import email

    ani = await make_user("ani@x.go.id")
    await notify([ani.id], "reply", "Balasan", "/balasan/1", thread_id=None)
    assert email.is_configured() is False
    assert (await email.send_pending_emails())["sent"] == 0
