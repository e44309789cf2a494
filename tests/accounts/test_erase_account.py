"""'Hapus akun' (UU PDP): after it, a dump of every table holds none of the person's data, while what they
contributed stays, credited to "Mantan anggota"."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from forum.accounts.erasure import FORMER_MEMBER
from forum.accounts.profile import ProfileChange, update_profile
from forum.accounts.suspension import reinstate_member, suspend_member
from forum.collaboration.appreciation import appreciate
from forum.commitments.service import CommitmentInput, add_commitment
from forum.core.tables import ALL_TABLES, Post, SearchOutbox, Thread, User
from forum.notifications.watches import watch
from forum.posting.service import ReplyInput, add_reply
from forum.web.flood import NO_LIMITS
from tests.support.factories import PASSWORD, login, make_thread, make_user, post_form, token_for

NAME = "Ratna Kusumawardhani"
EMAIL = "ratna.kusuma@sleman.go.id"
NIP = "199001012015032001"
POSITION = "Kepala Seksi Inovasi Pelayanan Kecamatan"
BIO = "Senang bersepeda ke Kaliurang setiap Minggu pagi."


async def _dump() -> str:
    """Every row of every table, as text: what a backup of the database would hold."""
    parts = []
    for table in ALL_TABLES:
        parts.append(repr(await table.select()))
    return "\n".join(parts)


async def _a_person_with_a_full_history(client: httpx.AsyncClient, admin_client: httpx.AsyncClient) -> tuple[int, int]:
    ratna = await make_user(EMAIL, name="Ratna Awal", two_factor=True)
    await update_profile(ratna, ProfileChange(display_name=NAME, position=POSITION, nip=NIP, bio=BIO))
    ratna = await _reload(ratna.id)
    budi = await make_user("budi@bantul.go.id", agency="Dinkes Kabupaten Bantul", name="Budi Santoso")
    own = await make_thread(ratna, title="Layanan akta kelahiran di rumah sakit")
    budis = await make_thread(budi, title="Antrean puskesmas daring untuk warga desa")
    await add_reply(ratna, budis["id"], ReplyInput(body="Kami mencoba hal serupa di Sleman."), limits=NO_LIMITS)
    await add_reply(budi, own["id"], ReplyInput(body="Bagaimana dengan lansia?"), limits=NO_LIMITS)
    await appreciate(ratna, "thread", budis["id"])  # Budi's notification says her name
    await add_commitment(ratna, own["id"], CommitmentInput(what="Menyusun panduan replikasi",
                                                           due_on=(date.today() + timedelta(days=30)).isoformat()))  # fmt: skip
    await watch(ratna, "sector", "kesehatan")
    await token_for(ratna)
    admin = await make_user("admin@menpan.go.id", role="admin", agency="KemenPANRB")
    await suspend_member(admin, ratna.id, "Diperiksa karena laporan akun ganda.")  # the log's label is her name
    await reinstate_member(admin, ratna.id, "Pemeriksaan selesai, bukan akun ganda.")
    await post_form(admin_client, "/lupa-sandi", {"email": EMAIL})  # a link and a mail waiting for her
    await login(client, EMAIL)
    await client.get("/akun/data.zip")
    return ratna.id, own["id"]


async def _reload(user_id: int):
    from forum.accounts.service import load_current_user

    user = await load_current_user(user_id)
    assert user is not None
    return user


async def test_after_erasure_no_table_holds_the_persons_data(client: httpx.AsyncClient,
                                                             other_client: httpx.AsyncClient) -> None:  # fmt: skip
    ratna_id, thread_id = await _a_person_with_a_full_history(client, other_client)
    before = await _dump()
    for datum in (NAME, EMAIL, NIP, POSITION, BIO):
        assert datum in before, datum  # the check below can fail: each datum was really stored
    await SearchOutbox.delete(force=True)

    refused = await post_form(client, "/akun/hapus", {"password": PASSWORD, "confirm": "hapus saja"})
    assert refused.status_code == 422
    done = await post_form(client, "/akun/hapus", {"password": PASSWORD, "confirm": "HAPUS"})
    assert done.status_code == 303 and done.headers["location"] == "/?akun=dihapus"

    after = await _dump()
    for datum in (NAME, EMAIL, NIP, POSITION, BIO, "Ratna"):
        assert datum not in after, f"{datum!r} is still stored"
    # What she contributed stays, credited to a former member.
    assert await Thread.exists().where(Thread.author == ratna_id)
    assert await Post.count().where(Post.author == ratna_id) == 1
    page = await other_client.get(f"/topik/{thread_id}", follow_redirects=True)
    assert FORMER_MEMBER in page.text and "Ratna" not in page.text
    profile = await other_client.get(f"/pengguna/{ratna_id}")
    assert profile.status_code == 200 and FORMER_MEMBER in profile.text and "Akun sudah dihapus" in profile.text
    # Her thread's search document is re-made without her name.
    assert await SearchOutbox.exists().where(SearchOutbox.entity_id == thread_id)


async def test_an_erased_account_cannot_sign_in_or_be_reinstated(client: httpx.AsyncClient,
                                                                 other_client: httpx.AsyncClient) -> None:  # fmt: skip
    await make_user(EMAIL, name=NAME)
    admin = await make_user("admin@menpan.go.id", role="admin", agency="KemenPANRB")
    await login(client, EMAIL)
    assert (await post_form(client, "/akun/hapus", {"password": PASSWORD, "confirm": "hapus"})).status_code == 303
    assert (await post_form(other_client, "/masuk", {"email": EMAIL, "password": PASSWORD})).status_code == 422
    row = await User.select(User.id).where(User.display_name == FORMER_MEMBER).first()
    await login(other_client, admin.email)
    answer = await post_form(other_client, f"/pengguna/{row['id']}/tangguhkan", {"value": "0", "reason": "Salah hapus."})
    assert answer.status_code == 409
    # The address is free again: the person may register anew.
    assert not await User.exists().where(User.email == EMAIL)


async def test_the_password_is_needed(client: httpx.AsyncClient) -> None:
    await make_user(EMAIL, name=NAME)
    await login(client, EMAIL)
    wrong = await post_form(client, "/akun/hapus", {"password": "bukan-sandinya-sama-sekali", "confirm": "HAPUS"})
    assert wrong.status_code == 422 and await User.exists().where(User.email == EMAIL)


async def test_the_last_administrator_cannot_leave(client: httpx.AsyncClient) -> None:
    await make_user("admin@menpan.go.id", role="admin", agency="KemenPANRB")
    await login(client, "admin@menpan.go.id")
    answer = await post_form(client, "/akun/hapus", {"password": PASSWORD, "confirm": "HAPUS"})
    assert answer.status_code == 403 and await User.exists().where(User.email == "admin@menpan.go.id")
