"""Moderation and curation end to end: each action through the pages or the API, its effect on what people
see, and its line in the moderation log."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import httpx
import pytest

from forum.core.tables import FeaturedPractice, ModerationLog, Post, SearchOutbox, Thread, ThreadValue, User
from forum.posting.service import ReplyInput, add_reply
from forum.threads.service import ThreadInput, edit_thread
from forum.web.flood import NO_LIMITS
from tests.support.apps import client_with
from tests.support.factories import VALID_THREAD, login, make_thread, make_user, post_form, token_for


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def titles(client: httpx.AsyncClient, query: str = "") -> set[str]:
    return {item["title"] for item in (await client.get(f"/api/threads{query}")).json()["items"]}


async def test_new_members_first_thread_waits_in_the_review_queue(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    newbie = await make_user("baru@x.go.id", verified=False, name="Anggota Baru")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    await login(client, "baru@x.go.id")
    created = await post_form(client, "/topik/baru", {**{k: str(v) for k, v in VALID_THREAD.items() if k != "values"},
                                                       "values": VALID_THREAD["values"]})  # fmt: skip
    assert created.status_code == 303
    url = created.headers["location"]
    own_view = await client.get(url)
    assert own_view.status_code == 200 and "menunggu tinjauan moderator" in own_view.text
    # Nobody else sees it: not the public, not the lists, not the API.
    assert (await other_client.get(url)).status_code == 404
    assert await titles(other_client) == set()
    thread_id = int(url.split("/")[2])
    assert (await other_client.get(f"/api/threads/{thread_id}")).status_code == 404
    # The moderator finds it in the queue, approves it, and it is public.
    mod = bearer(await token_for(moderator))
    queue = (await client.get("/api/moderation/queue", headers=mod)).json()
    assert [item["type"] for item in queue] == ["pending_thread"]
    approved = await client.post(f"/api/threads/{thread_id}/moderation", json={"action": "approve"}, headers=mod)
    assert approved.status_code == 200
    assert (await other_client.get(url)).status_code == 200
    assert await titles(other_client) == {VALID_THREAD["title"]}
    assert (await ModerationLog.select(ModerationLog.action).first())["action"] == "approve_thread"
    # A reply of the still-new member is queued too (one approved post is not yet two).
    reply = await add_reply(newbie, thread_id, ReplyInput(body="Balasan anggota baru"), limits=NO_LIMITS)
    assert reply["status"] == "pending"
    assert (await Thread.select(Thread.reply_count).first())["reply_count"] == 0


async def test_hide_and_restore_a_reply_with_a_public_reason(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    author = await make_user("ani@x.go.id")
    replier = await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    thread = await make_thread(author)
    reply = await add_reply(replier, thread["id"], ReplyInput(body="Promosi produk tidak relevan"), limits=NO_LIMITS)
    await login(client, "mod@x.go.id")
    hidden = await post_form(client, f"/balasan/{reply['id']}/moderasi",
                             {"action": "hide", "reason": "Iklan di luar topik", "private_note": "akun spam?"})  # fmt: skip
    assert hidden.status_code == 303
    assert "Promosi produk" not in (await other_client.get(thread["url"])).text
    api = (await other_client.get(f"/api/threads/{thread['id']}/posts")).json()
    assert api["items"] == []
    assert (await Thread.select(Thread.reply_count).first())["reply_count"] == 0
    # The author still sees it, with the reason.
    await login(other_client, "budi@y.go.id")
    own = await other_client.get(thread["url"])
    assert "Promosi produk" in own.text and "Iklan di luar topik" in own.text
    # The public modlog shows the action and reason, never the private note; moderators see both.
    anonymous = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with anonymous:
        public = await anonymous.get("/modlog")
    assert "menyembunyikan balasan" in public.text and "Iklan di luar topik" in public.text
    assert "akun spam?" not in public.text
    assert "akun spam?" in (await client.get("/modlog")).text
    restored = await client.post(f"/api/posts/{reply['id']}/moderation", json={"action": "restore"},
                                 headers=bearer(await token_for(moderator)))  # fmt: skip
    assert restored.status_code == 200
    assert (await Thread.select(Thread.reply_count).first())["reply_count"] == 1


async def test_three_flags_hide_a_reply_until_reviewed(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    spammer = await make_user("spam@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    thread = await make_thread(author)
    reply = await add_reply(spammer, thread["id"], ReplyInput(body="Jual pulsa murah hubungi kami"), limits=NO_LIMITS)
    reporters = [await make_user(f"r{n}@z.go.id", agency=f"Dinas Pelapor {n}") for n in range(3)]
    for n, reporter in enumerate(reporters):
        response = await client.post(f"/api/posts/{reply['id']}/flags", json={"reason": "spam"},
                                     headers=bearer(await token_for(reporter)))  # fmt: skip
        assert response.status_code == 201
        assert response.json()["hidden"] is (n == 2)
        if n == 0:  # one flag per member
            again = await client.post(f"/api/posts/{reply['id']}/flags", json={"reason": "spam"},
                                      headers=bearer(await token_for(reporter)))  # fmt: skip
            assert again.status_code == 409
    assert (await Post.select(Post.status).first())["status"] == "hidden"
    mod = bearer(await token_for(moderator))
    queue = (await client.get("/api/moderation/queue", headers=mod)).json()
    assert queue[0]["type"] == "flags" and len(queue[0]["flags"]) == 3
    # Dismissing the flags brings the reply back; the log says so.
    dismissed = await client.post(f"/api/moderation/flags/post/{reply['id']}",
                                  json={"resolution": "dismiss", "note": "bukan spam"}, headers=mod)  # fmt: skip
    assert dismissed.status_code == 200
    assert (await Post.select(Post.status).first())["status"] == "published"
    assert (await client.get("/api/moderation/queue", headers=mod)).json() == []
    actions = [row["action"] for row in await ModerationLog.select(ModerationLog.action).order_by(ModerationLog.id)]
    assert actions == ["auto_hide_post", "dismiss_flag"]


async def test_a_pinned_topic_is_listed_once_in_its_own_block(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    pinned = await make_thread(author, title="Topik yang disematkan moderator")
    await make_thread(author, title="Topik biasa yang lebih baru")
    pin = await client.post(f"/api/threads/{pinned['id']}/moderation", json={"action": "pin"},
                            headers=bearer(await token_for(moderator)))  # fmt: skip
    assert pin.status_code == 200
    listing = (await client.get("/topik")).text
    assert listing.count("Topik yang disematkan moderator") == 1
    block, rest = listing.split("Topik lainnya", 1)
    assert "Topik yang disematkan moderator" in block and "Topik biasa yang lebih baru" in rest
    # A filtered list has no pinned block: the topic stands where the filter puts it.
    filtered = (await client.get("/topik?sektor=administrasi-kependudukan-pencatatan-sipil")).text
    assert filtered.count("Topik yang disematkan moderator") == 1 and "Disematkan" not in filtered


async def test_the_queue_names_a_flagged_topics_status_in_indonesian(client: httpx.AsyncClient) -> None:
    from forum.moderation.flags import FlagReport, flag_content

    author = await make_user("ani@x.go.id")
    await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    flagger = await make_user("pelapor@y.go.id", agency="Dinas Uji")
    thread = await make_thread(author, title="Topik yang dilaporkan")
    await flag_content(flagger, "thread", thread["id"], FlagReport.pick({"reason": "spam", "text": "Iklan"}))
    await login(client, "mod@x.go.id")
    queue = (await client.get("/moderasi")).text
    assert "Topik yang dilaporkan" in queue and "Tayang" in queue and "status: published" not in queue


async def test_lock_pin_move_and_merge(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    mod = bearer(await token_for(moderator))
    ani = bearer(await token_for(author))
    thread = await make_thread(author)
    duplicate = await make_thread(author, title="Layanan KTP-el antar ke rumah (duplikat)")
    await add_reply(author, duplicate["id"], ReplyInput(body="Balasan di topik duplikat"), limits=NO_LIMITS)

    locked = await client.post(f"/api/threads/{thread['id']}/moderation", json={"action": "lock"}, headers=mod)
    assert locked.status_code == 422  # a lock needs a public reason
    queued = await SearchOutbox.count()
    locked = await client.post(f"/api/threads/{thread['id']}/moderation",
                               json={"action": "lock", "reason": "Sudah selesai dibahas"}, headers=mod)  # fmt: skip
    assert locked.status_code == 200
    assert await SearchOutbox.count() == queued  # search documents hold no lock (nor pin): nothing to re-index
    refused = await client.post(f"/api/threads/{thread['id']}/posts", json={"body": "Masih mau membalas"}, headers=ani)
    assert refused.status_code == 403 and "dikunci" in refused.json()["detail"]
    assert (await client.post(f"/api/threads/{thread['id']}/posts", json={"body": "Catatan moderator"},
                              headers=mod)).status_code == 201  # fmt: skip

    await client.post(f"/api/threads/{thread['id']}/moderation", json={"action": "pin"}, headers=mod)
    listing = await client.get("/topik")
    assert "Disematkan" in listing.text

    moved = await client.post(f"/api/threads/{thread['id']}/moderation",
                              json={"action": "move", "sector": "kesehatan", "values": ["adaptif"]}, headers=mod)  # fmt: skip
    assert moved.status_code == 200
    assert (await Thread.select(Thread.sector).where(Thread.id == thread["id"]).first())["sector"] == "kesehatan"
    assert [r["value"] for r in await ThreadValue.select(ThreadValue.value).where(ThreadValue.thread == thread["id"])] == ["adaptif"]

    merged = await client.post(f"/api/threads/{duplicate['id']}/moderation",
                               json={"action": "merge", "target_id": thread["id"], "reason": "duplikat"}, headers=mod)  # fmt: skip
    assert merged.status_code == 200
    assert await Post.count().where(Post.thread == thread["id"]) == 2
    redirect = await client.get(duplicate["url"])
    assert redirect.status_code == 301 and redirect.headers["location"] == thread["url"]
    assert {r["action"] for r in await ModerationLog.select(ModerationLog.action)} >= {
        "lock_thread", "pin_thread", "move_thread", "merge_thread"}  # fmt: skip


async def test_an_edit_opened_before_a_move_does_not_undo_it(client: httpx.AsyncClient) -> None:
    """The author opens the edit form (version 1), a moderator moves the thread, the author saves: a conflict,
    and the moderator's sector and values stay."""
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    thread = await make_thread(author)
    moved = await client.post(f"/api/threads/{thread['id']}/moderation", headers=bearer(await token_for(moderator)),
                              json={"action": "move", "sector": "kesehatan", "values": ["adaptif"]})  # fmt: skip
    assert moved.status_code == 200
    stale = await client.patch(f"/api/threads/{thread['id']}", headers=bearer(await token_for(author)),
                               json={"version": 1, "title": "Judul baru dari formulir lama",
                                     "sector": VALID_THREAD["sector"], "values": VALID_THREAD["values"]})  # fmt: skip
    assert stale.status_code == 409, stale.text
    row = await Thread.select(Thread.sector, Thread.title, Thread.version).where(Thread.id == thread["id"]).first()
    assert (row["sector"], row["title"], row["version"]) == ("kesehatan", VALID_THREAD["title"], 2)
    assert [r["value"] for r in await ThreadValue.select(ThreadValue.value).where(ThreadValue.thread == thread["id"])] == ["adaptif"]
    history = await client.get(f"/topik/{thread['id']}/riwayat")
    assert history.status_code == 200 and "Kesehatan" in history.text  # the move is a version in the history


async def test_featured_practices(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    mod = bearer(await token_for(moderator))
    case = await make_thread(author)
    talk = await make_thread(author, kind="diskusi", title="Sekadar diskusi tentang antrean")
    note = "Mudah direplikasi: biaya rendah, tanpa aplikasi baru."
    assert (await client.post(f"/api/threads/{talk['id']}/feature", json={"note": note}, headers=mod)).status_code == 422
    assert (await client.post(f"/api/threads/{case['id']}/feature", json={"note": note}, headers=mod)).status_code == 200
    collection = await client.get("/praktik-baik")
    title = VALID_THREAD["title"]
    assert title in collection.text and note in collection.text
    assert title in (await client.get("/")).text
    assert "Praktik Baik Pilihan" in (await client.get(case["url"])).text
    filtered = await client.get("/praktik-baik?sektor=kesehatan")
    assert title not in filtered.text
    assert (await client.get("/api/threads?featured=1")).json()["items"][0]["id"] == case["id"]
    assert (await client.delete(f"/api/threads/{case['id']}/feature", headers=mod)).status_code == 200
    assert title not in (await client.get("/praktik-baik")).text
    history = await FeaturedPractice.select(FeaturedPractice.unfeatured_at, FeaturedPractice.note)
    assert len(history) == 1 and history[0]["unfeatured_at"] is not None and history[0]["note"] == note


async def test_edit_history_diff_and_exact_revert(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    original_body = VALID_THREAD["body"]
    thread = await make_thread(author)
    await edit_thread(author, thread["id"], ThreadInput.pick({"body": "Isi yang diubah pertama kali, cukup panjang."}), 1)
    await edit_thread(author, thread["id"], ThreadInput.pick({"body": "Isi yang diubah kedua kali, cukup panjang juga.",
                                             "sector": "kesehatan"}), 2)  # fmt: skip
    history = await client.get(f"/topik/{thread['id']}/riwayat?dari=1&ke=3")
    assert history.status_code == 200
    assert "Kami mengantar **KTP-el**" in history.text and "diubah kedua kali" in history.text
    assert "diff-removed" in history.text and "diff-added" in history.text and "Sektor" in history.text
    revisions = (await client.get(f"/api/threads/{thread['id']}/revisions")).json()
    assert [r["version"] for r in revisions] == [1, 2, 3]
    reverted = await client.post(f"/api/threads/{thread['id']}/revisions/1/revert",
                                 headers=bearer(await token_for(moderator)))  # fmt: skip
    assert reverted.status_code == 200
    row = await Thread.select(Thread.body_source, Thread.sector, Thread.version).first()
    assert row == {"body_source": original_body, "sector": VALID_THREAD["sector"], "version": 4}
    assert "revert_thread" in {r["action"] for r in await ModerationLog.select(ModerationLog.action)}


async def test_reply_revert(client: httpx.AsyncClient) -> None:
    from forum.posting.service import edit_post

    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    thread = await make_thread(author)
    reply = await add_reply(author, thread["id"], ReplyInput(body="Teks asli balasan."), limits=NO_LIMITS)
    await edit_post(author, reply["id"], ReplyInput(body="Teks yang dirusak."), 1)
    response = await client.post(f"/api/posts/{reply['id']}/revisions/1/revert",
                                 headers=bearer(await token_for(moderator)))  # fmt: skip
    assert response.status_code == 200
    assert (await Post.select(Post.body_source).first())["body_source"] == "Teks asli balasan."


async def test_accepted_solution(client: httpx.AsyncClient) -> None:
    asker = await make_user("ani@x.go.id")
    helper = await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    problem = await make_thread(asker, kind="permasalahan", title="Antrean panjang di loket Dukcapil")
    await add_reply(asker, problem["id"], ReplyInput(body="Ada yang punya pengalaman?"), limits=NO_LIMITS)
    answer = await add_reply(helper, problem["id"], ReplyInput(body="Kami pakai **antrean daring** dan jemput bola."), limits=NO_LIMITS)
    await login(client, "ani@x.go.id")
    marked = await post_form(client, f"/topik/{problem['id']}/solusi", {"post_id": str(answer["id"])})
    assert marked.status_code == 303
    page = (await client.get(problem["url"])).text
    assert page.index("Solusi yang diterima") < page.index("Ada yang punya pengalaman?")
    assert (await client.get("/api/threads?answered=1")).json()["items"][0]["id"] == problem["id"]
    assert (await client.get("/api/threads?answered=0")).json()["items"] == []
    case = await make_thread(asker)
    wrong = await post_form(client, f"/topik/{case['id']}/solusi", {"post_id": str(answer["id"])})
    assert wrong.status_code == 422


async def test_agency_admin_verifies_members_of_their_own_agency(client: httpx.AsyncClient) -> None:
    newbie = await make_user("baru@x.go.id", verified=False)
    await make_user("admin.instansi@x.go.id", agency_admin=True)
    await login(client, "admin.instansi@x.go.id")
    response = await post_form(client, f"/pengguna/{newbie.id}/verifikasi", {"value": "1"})
    assert response.status_code == 303
    profile = await client.get(f"/pengguna/{newbie.id}")
    assert "terverifikasi" in profile.text
    assert "verify_member" in {r["action"] for r in await ModerationLog.select(ModerationLog.action)}


async def test_admin_grants_roles(client: httpx.AsyncClient) -> None:
    member = await make_user("ani@x.go.id")
    await make_user("admin@x.go.id", role="admin", agency="Kementerian PANRB")
    await login(client, "admin@x.go.id")
    response = await post_form(client, f"/pengguna/{member.id}/peran", {"role": "moderator"})
    assert response.status_code == 303
    from forum.accounts.service import load_current_user

    promoted = await load_current_user(member.id)
    assert promoted is not None and promoted.held_powers == "moderator"  # until they enrol in two-step sign-in
    assert not promoted.is_moderator
    assert await User.select(User.role).where(User.id == member.id).first() == {"role": "moderator"}
    log = await ModerationLog.select(ModerationLog.action, ModerationLog.reason).first()
    assert log == {"action": "set_role", "reason": "member → moderator"}


def test_set_role_command_acts_as_the_admin_it_names() -> None:
    """`sinergi set-role` goes through the same rule as the page: done by an admin (--by), in one transaction,
    with its moderation-log row; a member named with --by is refused and changes nothing."""
    from click.testing import CliRunner

    from forum.accounts.service import load_current_user
    from forum.cli import main
    from forum.core.db import run_with_engine as run
    from tests.support import database

    async def world() -> dict[str, int]:
        await database.wipe()
        member = await make_user("ani@x.go.id")
        other = await make_user("budi@x.go.id")
        admin = await make_user("admin@x.go.id", role="admin", agency="Kementerian PANRB")
        return {"member": member.id, "other": other.id, "admin": admin.id}

    ids = run(world)
    refused = CliRunner().invoke(main, ["set-role", "--email", "ani@x.go.id", "--role", "admin", "--by", "budi@x.go.id"])
    assert refused.exit_code == 1 and "Hanya admin" in refused.output
    done = CliRunner().invoke(main, ["set-role", "--email", "ani@x.go.id", "--role", "moderator", "--by", "admin@x.go.id"])
    assert done.exit_code == 0, done.output
    unknown = CliRunner().invoke(main, ["set-role", "--email", "nobody@x.go.id", "--role", "member", "--by", "admin@x.go.id"])
    assert unknown.exit_code == 1 and "tidak ditemukan" in unknown.output

    async def outcome() -> tuple[str, list[dict]]:
        user = await load_current_user(ids["member"], operator=True)  # stored powers, held or not
        assert user is not None
        log = await ModerationLog.select(ModerationLog.actor, ModerationLog.action, ModerationLog.target_id,
                                         ModerationLog.reason)  # fmt: skip
        return user.role, log

    role, log = run(outcome)
    assert role == "moderator"
    assert log == [{"actor": ids["admin"], "action": "set_role", "target_id": ids["member"], "reason": "member → moderator"}]
    run(database.wipe)


@pytest.fixture
async def strict_client() -> AsyncIterator[httpx.AsyncClient]:
    """An app with flood control switched on (the suite's default app has it off)."""
    async with client_with("127.0.0.9", post_min_interval_seconds=1, new_member_daily_posts=2,
                           register_max_per_ip=2) as client:  # fmt: skip
        yield client


async def test_posting_too_fast_is_429_and_recovers(strict_client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    thread = await make_thread(author)
    await anyio.sleep(1.05)
    ani = bearer(await token_for(author))
    first = await strict_client.post(f"/api/threads/{thread['id']}/posts", json={"body": "Pertama"}, headers=ani)
    assert first.status_code == 201
    second = await strict_client.post(f"/api/threads/{thread['id']}/posts", json={"body": "Kedua"}, headers=ani)
    assert second.status_code == 429 and second.headers["retry-after"] == "1"
    assert "Tunggu 1 detik" in second.json()["detail"]
    await login(strict_client, "ani@x.go.id")
    page = await post_form(strict_client, f"/topik/{thread['id']}/balas", {"body": "Ketiga lewat halaman"})
    assert page.status_code == 429 and "Tunggu 1 detik" in page.text
    await anyio.sleep(1.05)
    assert (await strict_client.post(f"/api/threads/{thread['id']}/posts", json={"body": "Sesudah jeda"},
                                     headers=ani)).status_code == 201  # fmt: skip
    # Moderators are exempt from posting limits.
    mod = bearer(await token_for(moderator))
    for n in range(3):
        assert (await strict_client.post(f"/api/threads/{thread['id']}/posts", json={"body": f"Mod {n}"},
                                         headers=mod)).status_code == 201  # fmt: skip


async def test_new_members_have_a_daily_cap(strict_client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    newbie = await make_user("baru@x.go.id", verified=False)
    thread = await make_thread(author)
    auth = bearer(await token_for(newbie))
    for n in range(2):
        await anyio.sleep(1.05)
        assert (await strict_client.post(f"/api/threads/{thread['id']}/posts", json={"body": f"Balasan {n}"},
                                         headers=auth)).status_code == 201  # fmt: skip
    await anyio.sleep(1.05)
    capped = await strict_client.post(f"/api/threads/{thread['id']}/posts", json={"body": "Ketiga"}, headers=auth)
    assert capped.status_code == 429 and "per hari" in capped.json()["detail"]


async def test_registrations_per_address_are_limited(strict_client: httpx.AsyncClient) -> None:
    def form(n: int) -> dict[str, str]:
        return {"display_name": f"Pendaftar {n}", "email": f"p{n}@x.go.id", "password": "kata-sandi-panjang",
                "agency_id": "baru", "agency_name": "Dinas Uji Pendaftaran", "agency_kind": "pemkab",
                "agency_province": "bali", "consent": "1"}  # fmt: skip

    def new_visitor() -> None:  # the same address, a browser with no cookies (the CSRF token is per session)
        strict_client.cookies.clear()

    for n in range(2):
        new_visitor()
        assert (await post_form(strict_client, "/daftar", form(n))).status_code == 303
    new_visitor()
    blocked = await post_form(strict_client, "/daftar", form(9))
    assert blocked.status_code == 429 and "Terlalu banyak pendaftaran" in blocked.text


async def test_moderators_see_searches_that_found_nothing(client: httpx.AsyncClient) -> None:
    from forum.core.tables import SearchMiss

    await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    await make_user("ani@x.go.id")
    await SearchMiss.insert(SearchMiss(query="ktp digital desa"), SearchMiss(query="ktp digital desa"),
                            SearchMiss(query="parkir pintar"))  # fmt: skip
    await login(client, "ani@x.go.id")
    assert (await client.get("/moderasi/pencarian-kosong")).status_code == 403
    await post_form(client, "/keluar", {})
    await login(client, "mod@x.go.id")
    page = await client.get("/moderasi/pencarian-kosong")
    assert page.status_code == 200
    assert page.text.index("ktp digital desa") < page.text.index("parkir pintar")
    assert "WIB" in page.text  # the last time each was searched, in Western Indonesia Time like every other page
