"""UU PDP: a privacy notice agreed to at registration (its version and time kept), and "Unduh data saya": every
row that names the person, nothing of anyone else's account, no secrets."""

from __future__ import annotations

import io
import json
import zipfile

import httpx
from piccolo.columns import ForeignKey

from forum.accounts.data_export import USER_ID_COLUMNS, person_columns
from forum.accounts.privacy import PRIVACY_NOTICE_VERSION
from forum.collaboration.appreciation import appreciate
from forum.core.tables import ALL_TABLES, User
from forum.posting.service import ReplyInput, add_reply
from forum.web.flood import NO_LIMITS
from tests.accounts.test_accounts import REGISTRATION
from tests.support.factories import PASSWORD, login, make_thread, make_user, post_form, token_for


async def test_registration_needs_the_privacy_notice_agreed_and_records_it(client: httpx.AsyncClient) -> None:
    notice = await client.get("/privasi")
    assert notice.status_code == 200 and PRIVACY_NOTICE_VERSION in notice.text
    assert 'href="/privasi"' in (await client.get("/daftar")).text
    refused = await post_form(client, "/daftar", {**REGISTRATION, "consent": ""})
    assert refused.status_code == 422 and "pemberitahuan privasi" in refused.text and await User.count() == 0
    assert (await post_form(client, "/daftar", REGISTRATION)).status_code == 303
    row = await User.select(User.consent_version, User.consented_at).first()
    assert row["consent_version"] == PRIVACY_NOTICE_VERSION and row["consented_at"] is not None


def test_every_column_that_can_hold_a_user_id_is_searched() -> None:
    """A new table that names a user (a foreign key to User, or an integer ``*_by`` column) is exported without
    anyone remembering to add it."""
    searched = {(table._meta.tablename, name) for table, names in person_columns().items() for name in names}
    for table in ALL_TABLES:
        if table is User:
            continue
        for column in table._meta.columns:
            names_a_user = (isinstance(column, ForeignKey) and column._foreign_key_meta.resolved_references is User)
            if names_a_user or column._meta.name.endswith("_by"):
                assert (table._meta.tablename, column._meta.name) in searched, (table, column._meta.name)
    assert "created_by" in USER_ID_COLUMNS


async def test_the_export_holds_every_row_about_the_person_and_nothing_of_anyone_else(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@sleman.go.id", name="Ani Wulandari")
    budi = await make_user("budi@bantul.go.id", agency="Dinkes Kabupaten Bantul", name="Budi Santoso")
    ani_thread = await make_thread(ani)
    budi_thread = await make_thread(budi, title="Antrean puskesmas daring untuk warga desa")
    await add_reply(ani, budi_thread["id"], ReplyInput(body="Kami mencoba hal serupa di Sleman."), limits=NO_LIMITS)
    await add_reply(budi, ani_thread["id"], ReplyInput(body="Bagaimana dengan lansia tanpa ponsel?"), limits=NO_LIMITS)
    await appreciate(ani, "thread", budi_thread["id"])
    await token_for(ani)
    await login(client, ani.email)

    response = await client.get("/akun/data.zip")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = {name: json.loads(archive.read(name)) for name in archive.namelist() if name.endswith(".json")}
    assert [row["email"] for row in files["forum_user.json"]] == ["ani@sleman.go.id"]
    assert files["forum_user.json"][0]["password_hash"].startswith("(tidak diekspor")
    assert [row["id"] for row in files["thread.json"]] == [ani_thread["id"]]
    assert [row["body_source"] for row in files["post.json"]] == ["Kami mencoba hal serupa di Sleman."]
    assert len(files["appreciation.json"]) == 1 and len(files["api_token.json"]) == 1
    assert len(files["user_session.json"]) == 1 and files["user_session.json"][0]["key_hash"].startswith("(tidak")
    assert files["api_token.json"][0]["token_hash"].startswith("(tidak diekspor")
    everything = json.dumps(files, ensure_ascii=False)
    assert "budi@bantul.go.id" not in everything and "Bagaimana dengan lansia" not in everything
    assert PASSWORD not in everything
    assert "BACA-SAYA.txt" in archive.namelist()
