"""Appreciation end to end: give and withdraw through the API and the page buttons (htmx and plain forms), every
refusal (own writing, twice, unseen content, signed out) leaving nothing behind, the receiver's notification,
the counts on the thread page in one query, and what profiles and agency pages show as received."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from litestar import Litestar

from forum.collaboration.appreciation import (
    appreciation_counts,
    page_appreciations,
    received_by_agency,
    received_by_user,
)
from forum.core.db import engine
from forum.core.tables import Appreciation, Notification, Thread
from forum.posting.service import ReplyInput, add_reply
from forum.threads.service import delete_thread
from forum.web.flood import NO_LIMITS
from tests.support.factories import login, make_thread, make_user, post_form, token_for

SLEMAN = "Disdukcapil Kabupaten Sleman"
SURABAYA = "Dinas Kominfo Kota Surabaya"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def wired(app: Litestar) -> Litestar:
    """The app as create_app wires it (the name is kept for the tests below)."""
    return app


async def _world() -> dict[str, Any]:
    author = await make_user("ani@sleman.go.id", agency=SLEMAN, name="Ani Lestari")
    replier = await make_user("budi@surabaya.go.id", agency=SURABAYA, name="Budi Santoso")
    colleague = await make_user("citra@sleman.go.id", agency=SLEMAN, name="Citra Dewi")
    thread = await make_thread(author)
    reply = await add_reply(replier, thread["id"], ReplyInput(body="Kami menerapkan jemput bola serupa di Surabaya."), limits=NO_LIMITS)
    return {"author": author, "replier": replier, "colleague": colleague, "thread": thread, "reply": reply}


async def test_give_withdraw_and_give_again_through_the_api(wired: Litestar, client: httpx.AsyncClient) -> None:
    world = await _world()
    reply_id = world["reply"]["id"]
    ani = bearer(await token_for(world["author"]))

    given = await client.post(f"/api/posts/{reply_id}/appreciation", headers=ani)
    assert given.status_code == 201
    assert given.json() == {"count": 1, "appreciated": True}
    row = await Appreciation.select().first()
    assert row["giver"] == world["author"].id and row["receiver"] == world["replier"].id
    assert row["giver_agency"] == world["author"].agency_id and row["receiver_agency"] == world["replier"].agency_id
    notices = await Notification.select().where((Notification.user == world["replier"].id) & (Notification.kind == "appreciation"))
    assert [n["kind"] for n in notices] == ["appreciation"]
    assert "Ani Lestari" in notices[0]["text"] and notices[0]["url"] == f"/balasan/{reply_id}"

    twice = await client.post(f"/api/posts/{reply_id}/appreciation", headers=ani)
    assert twice.status_code == 409
    assert twice.headers["content-type"].startswith("application/problem+json")
    assert "sudah memberi apresiasi" in twice.json()["detail"]
    assert await Appreciation.count() == 1

    withdrawn = await client.delete(f"/api/posts/{reply_id}/appreciation", headers=ani)
    assert withdrawn.status_code == 200 and withdrawn.json() == {"count": 0, "appreciated": False}
    again = await client.delete(f"/api/posts/{reply_id}/appreciation", headers=ani)
    assert again.status_code == 409 and "belum memberi apresiasi" in again.json()["detail"]
    assert await Appreciation.count() == 0

    regiven = await client.post(f"/api/posts/{reply_id}/appreciation", headers=ani)
    assert regiven.status_code == 201 and regiven.json() == {"count": 1, "appreciated": True}
    # Toggling does not pile up unread notifications.
    assert await Notification.count().where((Notification.user == world["replier"].id) & (Notification.kind == "appreciation")) == 1

    # The opening post is appreciated the same way, by anyone but its author.
    budi = bearer(await token_for(world["replier"]))
    citra = bearer(await token_for(world["colleague"]))
    assert (await client.post(f"/api/threads/{world['thread']['id']}/appreciation", headers=budi)).json() == {
        "count": 1, "appreciated": True}  # fmt: skip
    assert (await client.post(f"/api/threads/{world['thread']['id']}/appreciation", headers=citra)).json() == {
        "count": 2, "appreciated": True}  # fmt: skip
    assert (await client.delete(f"/api/threads/{world['thread']['id']}/appreciation", headers=budi)).json() == {
        "count": 1, "appreciated": False}  # fmt: skip
    assert await Notification.count().where((Notification.user == world["author"].id) & (Notification.kind == "appreciation")) == 2


async def test_refusals_change_nothing(wired: Litestar, client: httpx.AsyncClient) -> None:
    world = await _world()
    thread_id, reply_id = world["thread"]["id"], world["reply"]["id"]
    ani = bearer(await token_for(world["author"]))
    budi = bearer(await token_for(world["replier"]))
    newbie = await make_user("baru@klaten.go.id", agency="Dinkes Kabupaten Klaten", verified=False)
    pending_reply = await add_reply(newbie, thread_id, ReplyInput(body="Balasan anggota baru yang masih ditinjau."), limits=NO_LIMITS)
    assert pending_reply["status"] == "pending"
    hidden_thread = await make_thread(world["replier"], title="Topik yang disembunyikan moderator")
    hidden_reply = await add_reply(world["replier"], hidden_thread["id"], ReplyInput(body="Balasan di topik tersembunyi"), limits=NO_LIMITS)
    await Thread.update({Thread.status: "hidden"}).where(Thread.id == hidden_thread["id"])

    own_reply = await client.post(f"/api/posts/{reply_id}/appreciation", headers=budi)
    assert own_reply.status_code == 422 and "sendiri" in own_reply.json()["detail"]
    own_thread = await client.post(f"/api/threads/{thread_id}/appreciation", headers=ani)
    assert own_thread.status_code == 422
    # Unseen content is "not found": a reply in the review queue, a hidden thread, a reply inside it, nothing.
    for path in (
        f"/api/posts/{pending_reply['id']}/appreciation",
        f"/api/threads/{hidden_thread['id']}/appreciation",
        f"/api/posts/{hidden_reply['id']}/appreciation",
        "/api/posts/999999/appreciation",
        "/api/threads/999999/appreciation",
    ):
        refused = await client.post(path, headers=ani)
        assert refused.status_code == 404, path
        assert refused.headers["content-type"].startswith("application/problem+json")
    signed_out = await client.post(f"/api/posts/{reply_id}/appreciation")
    assert signed_out.status_code in (401, 403)  # signed out (or, with a stray cookie, no CSRF token)
    expired = await client.post(f"/api/posts/{reply_id}/appreciation", headers=bearer("sng_kedaluwarsa"))
    assert expired.status_code == 401
    assert await Appreciation.count() == 0
    assert await Notification.count().where(Notification.kind == "appreciation") == 0


async def test_page_buttons_with_and_without_htmx(
    wired: Litestar, client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    world = await _world()
    thread, reply_id = world["thread"], world["reply"]["id"]
    await login(client, "ani@sleman.go.id")

    # The page shows a button on the reply (not on her own opening post) and the counts.
    before = (await client.get(thread["url"])).text
    assert f'action="/balasan/{reply_id}/apresiasi"' in before
    assert f'action="/topik/{thread["id"]}/apresiasi"' not in before
    assert 'id="apresiasi-thread-' in before  # the count alone
    # The form works without JavaScript: it carries its own CSRF token (htmx sends the header as well).
    form = re.search(rf'<form method="post" action="/balasan/{reply_id}/apresiasi".*?</form>', before, re.S)
    assert form is not None and 'name="_csrf_token" value="' in form.group(0)

    # Without htmx: the form posts and comes back to the reply.
    plain = await post_form(client, f"/balasan/{reply_id}/apresiasi", {"aksi": "beri"})
    assert plain.status_code == 303 and plain.headers["location"].endswith(f"#balasan-{reply_id}")
    page = (await client.get(thread["url"])).text
    assert 'aria-pressed="true"' in page and "1 apresiasi" in page and 'value="tarik"' in page
    # The same button posted twice from a stale page is a 409, as in the API; nothing changes.
    stale = await post_form(client, f"/balasan/{reply_id}/apresiasi", {"aksi": "beri"})
    assert stale.status_code == 409 and "sudah memberi apresiasi" in stale.text
    assert await Appreciation.count() == 1

    # With htmx: the answer is the updated button alone.
    htmx = {"HX-Request": "true", "x-csrftoken": client.cookies["csrftoken"]}
    withdrawn = await client.post(f"/balasan/{reply_id}/apresiasi", data={"aksi": "tarik"}, headers=htmx)
    assert withdrawn.status_code == 200 and "<html" not in withdrawn.text
    assert 'aria-pressed="false"' in withdrawn.text and "0 apresiasi" in withdrawn.text
    assert 'value="beri"' in withdrawn.text and 'name="_csrf_token"' in withdrawn.text
    assert await Appreciation.count() == 0
    # A stale htmx click is answered with the real state and why (htmx does not swap error answers).
    stale_htmx = await client.post(f"/balasan/{reply_id}/apresiasi", data={"aksi": "tarik"}, headers=htmx)
    assert stale_htmx.status_code == 200 and "belum memberi apresiasi" in stale_htmx.text
    assert 'value="beri"' in stale_htmx.text

    # Her own opening post: refused (422), also from a hand-made form.
    own = await post_form(client, f"/topik/{thread['id']}/apresiasi", {"aksi": "beri"})
    assert own.status_code == 422 and "sendiri" in own.text
    unknown = await post_form(client, f"/balasan/{reply_id}/apresiasi", {"aksi": "dua-kali"})
    assert unknown.status_code == 422

    # Budi appreciates the opening post from the page; the anonymous reader sees the count, no button.
    await login(other_client, "budi@surabaya.go.id")
    given = await post_form(other_client, f"/topik/{thread['id']}/apresiasi", {})
    assert given.status_code == 303 and given.headers["location"] == thread["url"]
    anonymous = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with anonymous:
        public = (await anonymous.get(thread["url"])).text
        signed_out = await anonymous.post(f"/topik/{thread['id']}/apresiasi", data={"aksi": "beri"})
    assert 'hx-post="/topik/' not in public and "1 apresiasi" in public
    assert signed_out.status_code == 403  # no CSRF token without a session
    assert await Appreciation.count() == 1


async def test_thread_page_counts_come_from_one_query(wired: Litestar, monkeypatch: pytest.MonkeyPatch) -> None:
    world = await _world()
    thread_id = world["thread"]["id"]
    givers = [await make_user(f"p{n}@instansi{n}.go.id", agency=f"Dinas Uji {n}") for n in range(3)]
    replies = [world["reply"]["id"]]
    for n in range(5):
        replies.append((await add_reply(world["author"], thread_id, ReplyInput(body=f"Balasan nomor {n}"), limits=NO_LIMITS))["id"])
    from forum.collaboration.appreciation import appreciate

    for giver in givers:
        for reply_id in replies[1:4]:
            await appreciate(giver, "post", reply_id)
    await appreciate(givers[0], "thread", thread_id)

    calls = 0
    engine_class = type(engine())
    original = engine_class.run_querystring

    async def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(engine_class, "run_querystring", counting)
    tallies = await page_appreciations(givers[0], thread_id, replies)
    counts = await appreciation_counts(replies)
    monkeypatch.setattr(engine_class, "run_querystring", original)
    assert calls == 2  # one for the page's tallies, one for the plain counts
    assert tallies.thread.count == 1 and tallies.thread.mine
    assert [tallies.post(r).count for r in replies] == [0, 3, 3, 3, 0, 0]
    assert tallies.post(replies[1]).mine and not tallies.post(replies[0]).mine
    assert counts == {replies[1]: 3, replies[2]: 3, replies[3]: 3}


async def test_received_totals_on_profiles_and_agency_pages(wired: Litestar, client: httpx.AsyncClient) -> None:
    world = await _world()
    author, colleague, replier = world["author"], world["colleague"], world["replier"]
    thread_id = world["thread"]["id"]
    other_thread = await make_thread(author, title="Inovasi kedua dari Sleman yang akan dihapus")
    for giver in (replier, colleague):  # one from another agency, one from her own
        await client.post(f"/api/threads/{thread_id}/appreciation", headers=bearer(await token_for(giver)))
    await client.post(f"/api/threads/{other_thread['id']}/appreciation", headers=bearer(await token_for(replier)))
    await client.post(f"/api/posts/{world['reply']['id']}/appreciation", headers=bearer(await token_for(colleague)))

    assert await received_by_user(author.id) == {"total": 3, "from_other_agencies": 2}
    assert await received_by_user(replier.id) == {"total": 1, "from_other_agencies": 1}
    assert await received_by_agency(author.agency_id) == {"total": 3, "from_other_agencies": 2}
    # Appreciation of deleted writing is no longer counted.
    await delete_thread(author, other_thread["id"])
    assert await received_by_user(author.id) == {"total": 2, "from_other_agencies": 1}
    assert await received_by_agency(author.agency_id) == {"total": 2, "from_other_agencies": 1}

    profile = (await client.get(f"/pengguna/{author.id}")).text
    assert "<strong>2</strong> apresiasi diterima" in profile
    assert "<strong>1</strong> di antaranya dari instansi lain" in profile
    slug = author.agency_slug
    agency_page = (await client.get(f"/instansi/{slug}")).text
    assert "menerima <strong>2</strong> apresiasi" in agency_page and "<strong>1</strong> di antaranya" in agency_page
    nobody = (await client.get(f"/pengguna/{world['colleague'].id}")).text
    assert "<strong>0</strong> apresiasi diterima." in nobody


async def test_concurrent_double_clicks_store_one(wired: Litestar) -> None:
    import anyio

    from forum.collaboration.appreciation import appreciate
    from forum.core.errors import Conflict

    world = await _world()
    outcomes: list[str] = []

    async def click() -> None:
        try:
            await appreciate(world["author"], "post", world["reply"]["id"])
            outcomes.append("given")
        except Conflict:
            outcomes.append("conflict")

    async with anyio.create_task_group() as group:
        for _ in range(4):
            group.start_soon(click)
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "given"]
    assert await Appreciation.count() == 1
