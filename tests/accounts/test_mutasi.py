"""Mutasi: a member asks to move agency; the destination's admin approves (verifying them there); the history
stays; what they wrote before stays credited to the agency they wrote it for."""

from __future__ import annotations

import httpx

from forum.accounts.service import load_current_user
from forum.agencies.service import find_agency_by_name
from forum.core.tables import AgencyMove, ModerationLog, Post, User
from forum.posting.service import ReplyInput, add_reply, get_post
from forum.web.flood import NO_LIMITS
from tests.support.factories import login, make_thread, make_user, post_form

SLEMAN, BANTUL = "Disdukcapil Kabupaten Sleman", "Dinkes Kabupaten Bantul"


async def test_a_move_approved_by_the_destinations_admin(client: httpx.AsyncClient,
                                                         other_client: httpx.AsyncClient) -> None:  # fmt: skip
    ani = await make_user("ani@sleman.go.id", agency=SLEMAN, name="Ani Uji")
    await make_user("admin@bantul.go.id", agency=BANTUL, agency_admin=True, name="Admin Bantul")
    await make_user("admin@sleman.go.id", agency=SLEMAN, agency_admin=True, name="Admin Sleman")
    thread = await make_thread(ani)
    reply = await add_reply(ani, thread["id"], ReplyInput(body="Ditulis saat masih di Sleman."), limits=NO_LIMITS)
    bantul = await find_agency_by_name(BANTUL)
    await login(client, ani.email)
    asked = await post_form(client, "/akun/mutasi", {"to_agency_id": str(bantul["id"]), "note": "SK 821/123/2026"})
    assert asked.status_code == 303
    assert "menunggu persetujuan" in (await client.get("/akun/mutasi")).text
    again = await post_form(client, "/akun/mutasi", {"to_agency_id": str(bantul["id"])})
    assert again.status_code == 409  # one pending request at a time
    move = await AgencyMove.select(AgencyMove.id).first()

    await login(other_client, "admin@sleman.go.id")  # the agency she leaves does not decide
    assert "SK 821/123/2026" not in (await other_client.get("/verifikasi-anggota")).text
    refused = await post_form(other_client, f"/mutasi/{move['id']}/putuskan", {"decision": "setujui"})
    assert refused.status_code == 403
    await post_form(other_client, "/keluar", {})
    await login(other_client, "admin@bantul.go.id")
    queue = await other_client.get("/verifikasi-anggota")
    assert "Ani Uji" in queue.text and "SK 821/123/2026" in queue.text
    approved = await post_form(other_client, f"/mutasi/{move['id']}/putuskan", {"decision": "setujui",
                                                                               "decision_note": "Sesuai SK."})  # fmt: skip
    assert approved.status_code == 303

    row = await User.select(User.agency, User.verified_by).where(User.id == ani.id).first()
    assert row is not None and row["agency"] == bantul["id"]
    assert (await get_post(reply["id"]))["agency_name"] == SLEMAN  # credited to where it was written
    moved = await load_current_user(ani.id)  # as her next request sees her
    assert moved is not None and moved.is_verified
    later = await add_reply(moved, thread["id"], ReplyInput(body="Sekarang di Bantul."), limits=NO_LIMITS)
    assert (await get_post(later["id"]))["agency_name"] == BANTUL
    history = (await client.get("/akun/mutasi")).text
    assert "disetujui" in history and f"{SLEMAN} → {BANTUL}" in history
    assert await ModerationLog.exists().where(ModerationLog.action == "approve_agency_move")
    assert await Post.count() == 2


async def test_a_refused_or_withdrawn_move_changes_nothing(client: httpx.AsyncClient,
                                                           other_client: httpx.AsyncClient) -> None:  # fmt: skip
    ani = await make_user("ani@sleman.go.id", agency=SLEMAN)
    await make_user("mod@menpan.go.id", role="moderator", agency="KemenPANRB")
    await make_user("budi@bantul.go.id", agency=BANTUL)
    bantul = await find_agency_by_name(BANTUL)
    await login(client, ani.email)
    await post_form(client, "/akun/mutasi", {"to_agency_id": str(bantul["id"])})
    first = await AgencyMove.select(AgencyMove.id).first()
    assert (await post_form(client, f"/akun/mutasi/{first['id']}/batal", {})).status_code == 303
    await post_form(client, "/akun/mutasi", {"to_agency_id": str(bantul["id"])})
    second = await AgencyMove.select(AgencyMove.id).where(AgencyMove.status == "pending").first()
    await login(other_client, "mod@menpan.go.id")
    assert (await post_form(other_client, f"/mutasi/{second['id']}/putuskan", {"decision": "tolak"})).status_code == 303
    row = await User.select(User.agency).where(User.id == ani.id).first()
    assert row is not None and row["agency"] == ani.agency_id
    assert sorted(r["status"] for r in await AgencyMove.select(AgencyMove.status)) == ["refused", "withdrawn"]


async def test_bad_requests_are_refused_clearly(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@sleman.go.id", agency=SLEMAN)
    await login(client, ani.email)
    for value in ("", "abc", "999999", str(ani.agency_id)):
        answer = await post_form(client, "/akun/mutasi", {"to_agency_id": value})
        assert answer.status_code == 422, value
    assert await AgencyMove.count() == 0


async def test_nobody_approves_their_own_move(client: httpx.AsyncClient) -> None:
    mod = await make_user("mod@menpan.go.id", role="moderator", agency="KemenPANRB")
    await make_user("budi@bantul.go.id", agency=BANTUL)
    bantul = await find_agency_by_name(BANTUL)
    await login(client, mod.email)
    assert (await post_form(client, "/akun/mutasi", {"to_agency_id": str(bantul["id"])})).status_code == 303
    move = await AgencyMove.select(AgencyMove.id).first()
    assert (await post_form(client, f"/mutasi/{move['id']}/putuskan", {"decision": "setujui"})).status_code == 403
    assert await AgencyMove.count().where(AgencyMove.status == "pending") == 1
