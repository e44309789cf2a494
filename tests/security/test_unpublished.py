"""Finding 5: nothing of a hidden or pending thread leaks through a redirect or a commitments list."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from forum.commitments.service import CommitmentInput, add_commitment
from forum.moderation.hide import hide_thread
from forum.posting.service import ReplyInput, add_reply
from forum.web.flood import NO_LIMITS
from tests.support.factories import login, make_thread, make_user

pytestmark = pytest.mark.anyio

SECRET_TITLE = "Rahasia zamrudkelabu yang disembunyikan moderator"


async def _hidden_thread_with_reply_and_commitment() -> tuple[dict, dict]:
    author = await make_user("penulis@uji.go.id", agency="Dinas Rahasia Kota")
    moderator = await make_user("mod@uji.go.id", role="moderator", agency="Kementerian Uji")
    thread = await make_thread(author, title=SECRET_TITLE)
    reply = await add_reply(author, thread["id"], ReplyInput(body="Balasan di topik yang nanti disembunyikan."), limits=NO_LIMITS)
    due = (date.today() + timedelta(days=30)).isoformat()
    await add_commitment(author, thread["id"], CommitmentInput(what="Komitmen kacapiring rahasia", due_on=due))
    await hide_thread(moderator, thread["id"], "Melanggar aturan.", None)
    return thread, reply


async def test_a_reply_permalink_in_a_hidden_thread_is_not_found(client: httpx.AsyncClient) -> None:
    _, reply = await _hidden_thread_with_reply_and_commitment()
    response = await client.get(f"/balasan/{reply['id']}", follow_redirects=False)
    assert response.status_code == 404
    assert "zamrudkelabu" not in response.headers.get("location", "") + response.text
    assert (await client.get("/balasan/999999", follow_redirects=False)).status_code == 404


async def test_the_author_still_finds_their_reply(client: httpx.AsyncClient) -> None:
    _, reply = await _hidden_thread_with_reply_and_commitment()
    await login(client, "penulis@uji.go.id")
    response = await client.get(f"/balasan/{reply['id']}", follow_redirects=False)
    assert response.status_code in {302, 303}


async def test_commitment_lists_leave_out_hidden_threads(client: httpx.AsyncClient) -> None:
    await _hidden_thread_with_reply_and_commitment()
    for path in ("/tindak-lanjut?instansi=dinas-rahasia-kota", "/api/commitments?agency=dinas-rahasia-kota",
                 "/tindak-lanjut", "/api/commitments"):  # fmt: skip
        response = await client.get(path)
        assert response.status_code == 200, path
        assert "kacapiring" not in response.text and "zamrudkelabu" not in response.text, path


def _get_paths(app, fill: dict[str, object]) -> list[str]:
    """Every GET route of the app, path parameters filled from ``fill`` (1 for any other)."""
    import re

    paths = set()
    for route in app.routes:
        if "GET" not in getattr(route, "methods", set()):
            continue
        template = getattr(route, "path_format", route.path)
        if template.startswith(("/static", "/schema")):
            continue
        paths.add(re.sub(r"\{([^}:]+)[^}]*\}", lambda m: str(fill.get(m.group(1), 1)), template))
    return sorted(paths)


async def test_no_read_path_shows_a_hidden_thread(app, client: httpx.AsyncClient) -> None:
    """One visibility rule for every read path: after a thread is hidden, no GET route — lists, API, feeds,
    dashboard, notifications, replications, search, modlog — shows its title or its texts to anyone but the
    people the rule allows. A watcher notified of it, another agency that began replicating it, and an
    anonymous visitor each walk every route."""
    from forum.core.tables import Agency
    from forum.notifications.watches import watch
    from forum.replication.service import Interest, declare_interest

    author = await make_user("penulis@uji.go.id", agency="Dinas Rahasia Kota")
    moderator = await make_user("mod@uji.go.id", role="moderator", agency="Kementerian Uji")
    watcher = await make_user("pengamat@uji.go.id", agency="Dinas Pengamat")
    replicator = await make_user("peniru@uji.go.id", agency="Dinas Peniru")
    await watch(watcher, "sector", "administrasi-kependudukan-pencatatan-sipil")
    thread = await make_thread(author, title=SECRET_TITLE)
    reply = await add_reply(author, thread["id"], ReplyInput(body="Balasan kacapiring di topik rahasia."),
                            limits=NO_LIMITS)  # fmt: skip
    due = (date.today() + timedelta(days=30)).isoformat()
    await add_commitment(author, thread["id"], CommitmentInput(what="Komitmen kacapiring rahasia", due_on=due))
    await declare_interest(replicator, thread["id"], Interest(note="Catatan kacapiring replikasi"))
    await hide_thread(moderator, thread["id"], "Melanggar aturan.", None)
    agency = await Agency.select(Agency.id, Agency.slug).where(Agency.id == author.agency_id).first()
    fill = {"thread_id": thread["id"], "post_id": reply["id"], "slug": agency["slug"], "agency_id": agency["id"],
            "agency_slug": agency["slug"], "user_id": author.id, "id": thread["id"]}  # fmt: skip
    paths = _get_paths(app, fill)
    assert len(paths) > 30  # the sweep really walks the app
    for who in (None, "pengamat@uji.go.id", "peniru@uji.go.id"):
        client.cookies.clear()
        if who:
            await login(client, who)
        for path in paths:
            response = await client.get(path, follow_redirects=False)
            assert response.status_code < 500, (who, path, response.status_code)
            seen = response.headers.get("location", "") + response.text
            assert "zamrudkelabu" not in seen and "kacapiring" not in seen, (who, path)


async def test_notifications_of_a_hidden_thread_are_not_shown(client: httpx.AsyncClient) -> None:
    from forum.core.tables import Notification
    from forum.notifications.service import unread_badge_count
    from forum.notifications.watches import watch

    author = await make_user("penulis@uji.go.id", agency="Dinas Rahasia Kota")
    moderator = await make_user("mod@uji.go.id", role="moderator", agency="Kementerian Uji")
    watcher = await make_user("pengamat@uji.go.id", agency="Dinas Pengamat")
    await watch(watcher, "sector", "administrasi-kependudukan-pencatatan-sipil")
    thread = await make_thread(author, title=SECRET_TITLE)
    await hide_thread(moderator, thread["id"], "Melanggar aturan.", None)
    await login(client, "pengamat@uji.go.id")
    for path in ("/notifikasi", "/api/notifications", "/api/notifications/unread-count"):
        response = await client.get(path)
        assert response.status_code == 200 and "zamrudkelabu" not in response.text, path
    assert (await client.get("/api/notifications/unread-count")).json()["unread"] == 0
    assert await unread_badge_count(watcher.id) == 0
    assert await Notification.count().where(Notification.user == watcher.id) == 1  # kept, for when it is shown again


async def test_the_migration_links_existing_notices_to_their_threads(client: httpx.AsyncClient) -> None:
    """Notices stored before the thread column: the migration reads the thread from the address (a thread's
    page or a reply's permalink) and leaves other addresses alone."""
    from forum.core.piccolo_migrations.forum_2026_12_07t05_30_01_000000 import fill_threads_from_addresses
    from forum.core.tables import Notification
    from forum.notifications.service import notify

    author = await make_user("penulis@uji.go.id")
    reader = await make_user("pembaca@uji.go.id")
    thread = await make_thread(author)
    reply = await add_reply(author, thread["id"], ReplyInput(body="Balasan lama."), limits=NO_LIMITS)
    for url in (thread["url"], f"/balasan/{reply['id']}", "/tindak-lanjut", "/topik/999999/hilang"):
        await notify([reader.id], "reply", f"Lama {url}", url, thread_id=None)
    await fill_threads_from_addresses()
    rows = await Notification.select(Notification.url, Notification.thread).order_by(Notification.id)
    assert [row["thread"] for row in rows] == [thread["id"], thread["id"], None, None]
