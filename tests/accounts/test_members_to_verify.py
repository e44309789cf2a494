"""Agency admins get a queue of members to verify: their own agency's unverified, confirmed accounts (moderators
see every agency's), verified from the queue in one click."""

from __future__ import annotations

import httpx

from forum.core.tables import User
from tests.support.factories import login, make_user, post_form


async def test_an_agency_admin_sees_and_verifies_their_own_agencys_members(client: httpx.AsyncClient) -> None:
    waiting = await make_user("sari.gmail@sleman.go.id", name="Sari Menunggu", verified=False)
    await make_user("belum.konfirmasi@sleman.go.id", name="Belum Konfirmasi", verified=False, confirmed=False)
    await make_user("elsewhere@bantul.go.id", agency="Dinkes Kabupaten Bantul", name="Bantul Menunggu", verified=False)
    await make_user("sudah@sleman.go.id", name="Sudah Terverifikasi")
    await make_user("admin-instansi@sleman.go.id", agency_admin=True, name="Admin Sleman")
    await login(client, "admin-instansi@sleman.go.id")
    queue = await client.get("/verifikasi-anggota")
    assert queue.status_code == 200
    assert "Sari Menunggu" in queue.text
    for absent in ("Belum Konfirmasi", "Bantul Menunggu", "Sudah Terverifikasi"):
        assert absent not in queue.text, absent
    assert 'href="/verifikasi-anggota"' in (await client.get("/")).text
    done = await post_form(client, f"/pengguna/{waiting.id}/verifikasi", {"value": "1", "from": "antrean"})
    assert done.status_code == 303 and done.headers["location"] == "/verifikasi-anggota"
    row = await User.select(User.verified_at).where(User.id == waiting.id).first()
    assert row is not None and row["verified_at"] is not None
    assert "Sari Menunggu" not in (await client.get("/verifikasi-anggota")).text


async def test_a_moderator_sees_every_agency_and_a_member_none(client: httpx.AsyncClient,
                                                               other_client: httpx.AsyncClient) -> None:  # fmt: skip
    await make_user("sari@sleman.go.id", name="Sari Menunggu", verified=False)
    await make_user("budi@bantul.go.id", agency="Dinkes Kabupaten Bantul", name="Budi Menunggu", verified=False)
    await make_user("mod@menpan.go.id", role="moderator", agency="KemenPANRB")
    await login(client, "mod@menpan.go.id")
    queue = (await client.get("/verifikasi-anggota")).text
    assert "Sari Menunggu" in queue and "Budi Menunggu" in queue
    await make_user("anggota@sleman.go.id")
    await login(other_client, "anggota@sleman.go.id")
    assert (await other_client.get("/verifikasi-anggota")).status_code == 403
    assert 'href="/verifikasi-anggota"' not in (await other_client.get("/")).text


async def test_an_unverified_members_collaboration_is_marked_until_verified(client: httpx.AsyncClient) -> None:
    """Shown, marked "belum terverifikasi" (the dashboard leaves it out: tests/dashboard/test_recount.py)."""
    from datetime import date, timedelta

    from forum.accounts.roles import verify_member
    from forum.commitments.service import CommitmentInput, add_commitment
    from forum.replication.service import Interest, declare_interest
    from tests.support.factories import make_thread

    author = await make_user("penulis@bantul.go.id", agency="Dinkes Kabupaten Bantul")
    thread = await make_thread(author)
    newcomer = await make_user("baru@sleman.go.id", name="Baru Menunggu", verified=False)
    await declare_interest(newcomer, thread["id"], Interest.pick({}))
    await add_commitment(newcomer, thread["id"], CommitmentInput.pick(
        {"what": "Uji coba di kecamatan", "due_on": (date.today() + timedelta(days=9)).isoformat()}))  # fmt: skip
    page = (await client.get(thread["url"])).text
    assert page.count("belum terverifikasi") == 2
    assert "belum terverifikasi" in (await client.get("/tindak-lanjut")).text
    admin = await make_user("admin-instansi@sleman.go.id", agency_admin=True)
    await verify_member(admin, newcomer.id)
    assert "belum terverifikasi" not in (await client.get(thread["url"])).text
