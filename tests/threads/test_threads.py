from __future__ import annotations

import httpx

from forum.core.tables import SearchOutbox, Thread, ThreadValue
from forum.posting.service import ReplyInput
from forum.web.flood import NO_LIMITS
from tests.support.factories import (
    VALID_THREAD,
    api_headers,
    field_errors,
    login,
    make_thread,
    make_user,
    post_form,
    token_for,
)


def as_form(thread: dict) -> dict:
    form = {key: value for key, value in thread.items() if value is not None}
    form["start_year"] = str(form["start_year"])
    form["is_digital"] = "true" if thread["is_digital"] else "false"
    return form


async def test_create_innovation_case_through_the_page(client: httpx.AsyncClient) -> None:
    await make_user("ani@x.go.id")
    await login(client, "ani@x.go.id")
    response = await post_form(client, "/topik/baru", as_form(VALID_THREAD))
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/topik/1/layanan-ktp-el-antar-ke-rumah")
    page = await client.get(location)
    assert page.status_code == 200
    for text in ("Latar belakang", "Inti inovasi", "Hasil dan dampak", "Penerapan", "2023", "Non-digital",
                 "Berorientasi Pelayanan", "Kolaboratif", "Administrasi Kependudukan", "<strong>KTP-el</strong>"):  # fmt: skip
        assert text in page.text, text
    values = await ThreadValue.select(ThreadValue.value).order_by(ThreadValue.value)
    assert [row["value"] for row in values] == ["berorientasi-pelayanan", "kolaboratif"]
    # The outbox row was written with the thread, for the search index.
    assert await SearchOutbox.count().where((SearchOutbox.entity == "thread") & (SearchOutbox.entity_id == 1)) == 1


async def test_create_through_the_api_with_a_token(client: httpx.AsyncClient) -> None:
    user = await make_user("ani@x.go.id")
    token = await token_for(user)
    response = await client.post("/api/threads", json=VALID_THREAD, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["url"] == f"/topik/{body['id']}/layanan-ktp-el-antar-ke-rumah-untuk-lansia"
    assert body["values"] == ["berorientasi-pelayanan", "kolaboratif"]
    assert body["case"]["stage"] == "penerapan" and body["case"]["start_year"] == 2023
    assert body["agency"]["name"] == user.agency_name and body["province"] == "di-yogyakarta"
    assert body["version"] == 1
    fetched = await client.get(f"/api/threads/{body['id']}")
    assert fetched.json()["body_html"].startswith("<p>Kami mengantar <strong>KTP-el</strong>")


async def test_create_through_the_api_with_a_browser_session(client: httpx.AsyncClient) -> None:
    await make_user("ani@x.go.id")
    await login(client, "ani@x.go.id")
    thread = {**VALID_THREAD, "kind": "diskusi", "title": "Bagaimana tindak lanjut rapat koordinasi?"}
    response = await client.post("/api/threads", json=thread, headers=api_headers(client))
    assert response.status_code == 201
    assert response.json()["case"] is None


async def test_invalid_tags_are_rejected_and_nothing_is_stored(client: httpx.AsyncClient) -> None:
    user = await make_user("ani@x.go.id")
    auth = {"Authorization": f"Bearer {await token_for(user)}"}
    cases = [
        {"values": ["berorientasi-pelayanan", "rajin"]},
        {"values": []},
        {"sector": "perbankan-luar-angkasa"},
        {"kind": "gosip"},
        {"stage": "selesai"},
        {"title": "   "},
        {"body": "x" * 50_001},
    ]
    for change in cases:
        response = await client.post("/api/threads", json={**VALID_THREAD, **change}, headers=auth)
        assert response.status_code == 422, (change, response.text)
        problem = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert problem["status"] == 422 and problem["detail"] and problem["errors"], problem
    # the same through the page
    await login(client, "ani@x.go.id")
    response = await post_form(client, "/topik/baru", as_form({**VALID_THREAD, "values": ["rajin"], "sector": "x"}))
    assert response.status_code == 422
    errors = " ".join(field_errors(response.text))
    assert "Nilai BerAKHLAK tidak dikenal: rajin" in errors and "Sektor 'x' tidak dikenal" in errors
    assert await Thread.count() == 0 and await ThreadValue.count() == 0 and await SearchOutbox.count() == 0


async def test_innovation_needs_its_case_fields(client: httpx.AsyncClient) -> None:
    user = await make_user("ani@x.go.id")
    auth = {"Authorization": f"Bearer {await token_for(user)}"}
    response = await client.post("/api/threads", json={**VALID_THREAD, "problem": None, "stage": None}, headers=auth)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"problem", "stage"} <= fields


async def test_malformed_json_and_wrong_types_are_4xx_problems(client: httpx.AsyncClient) -> None:
    user = await make_user("ani@x.go.id")
    auth = {"Authorization": f"Bearer {await token_for(user)}", "Content-Type": "application/json"}
    malformed = await client.post("/api/threads", content=b'{"title": "oops"', headers=auth)
    assert malformed.status_code == 400
    assert malformed.headers["content-type"].startswith("application/problem+json")
    assert "JSON" in malformed.json()["detail"]
    wrong_type = await client.post("/api/threads", json={**VALID_THREAD, "values": "kolaboratif", "title": 5},
                                   headers=auth)  # fmt: skip
    assert wrong_type.status_code in (400, 422)
    assert wrong_type.headers["content-type"].startswith("application/problem+json")
    assert await Thread.count() == 0


async def test_edit_by_author_other_member_and_anonymous(client: httpx.AsyncClient, other_client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    thread = await make_thread(author)
    await login(client, "ani@x.go.id")
    await login(other_client, "budi@y.go.id")

    edit = {**VALID_THREAD, "title": "Layanan KTP-el antar ke rumah (versi 2)", "version": "1"}
    forbidden = await post_form(other_client, f"/topik/{thread['id']}/ubah", {**VALID_THREAD, "version": "1"})
    assert forbidden.status_code == 403
    assert "Hanya penulis" in forbidden.text
    assert (await other_client.get(f"/topik/{thread['id']}/ubah")).status_code == 403

    anonymous = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with anonymous:
        await anonymous.get("/")
        response = await post_form(anonymous, f"/topik/{thread['id']}/ubah", edit)
        assert response.status_code == 302 and response.headers["location"].startswith("/masuk")
        api = await anonymous.patch(f"/api/threads/{thread['id']}", json={"version": 1, "title": "Judul baru sekali"},
                                    headers=api_headers(anonymous))  # fmt: skip
        assert api.status_code == 401

    ok = await post_form(client, f"/topik/{thread['id']}/ubah", {**as_form(VALID_THREAD), **edit})
    assert ok.status_code == 303
    row = await Thread.select(Thread.title, Thread.version, Thread.slug).first()
    assert row == {"title": "Layanan KTP-el antar ke rumah (versi 2)", "version": 2,
                   "slug": "layanan-ktp-el-antar-ke-rumah-versi-2"}  # fmt: skip


async def test_stale_version_conflicts(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    thread = await make_thread(author)
    auth = {"Authorization": f"Bearer {await token_for(author)}"}
    first = await client.patch(f"/api/threads/{thread['id']}", json={"version": 1, "title": "Judul yang pertama menang"},
                               headers=auth)  # fmt: skip
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = await client.patch(f"/api/threads/{thread['id']}", json={"version": 1, "title": "Judul yang kalah cepat"},
                               headers=auth)  # fmt: skip
    assert stale.status_code == 409
    assert stale.json()["title"] == "Konflik perubahan"
    assert (await Thread.select(Thread.title).first())["title"] == "Judul yang pertama menang"
    # The page shows the same conflict as a friendly page.
    await login(client, "ani@x.go.id")
    page = await post_form(client, f"/topik/{thread['id']}/ubah", {**as_form(VALID_THREAD), "version": "1"})
    assert page.status_code == 409 and "sudah diubah" in page.text


async def test_moderator_may_edit_any_thread(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    thread = await make_thread(author)
    response = await client.patch(
        f"/api/threads/{thread['id']}",
        json={"version": 1, "sector": "tata-kelola-reformasi-birokrasi"},
        headers={"Authorization": f"Bearer {await token_for(moderator)}"},
    )
    assert response.status_code == 200 and response.json()["sector"] == "tata-kelola-reformasi-birokrasi"


async def test_unknown_thread_is_a_friendly_404(client: httpx.AsyncClient) -> None:
    page = await client.get("/topik/424242/apa-saja")
    assert page.status_code == 404 and "Tidak ditemukan" in page.text and 'lang="id"' in page.text
    api = await client.get("/api/threads/424242")
    assert api.status_code == 404 and api.json()["detail"] == "Topik tidak ditemukan."


async def test_wrong_slug_redirects_to_canonical_url(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    thread = await make_thread(author)
    response = await client.get(f"/topik/{thread['id']}/judul-lama")
    assert response.status_code == 301 and response.headers["location"] == thread["url"]


async def test_lists_filter_by_value_sector_province_agency_kind(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@x.go.id")
    budi = await make_user("budi@y.go.id", agency="Dinas Kesehatan Kota Surabaya")
    await make_thread(ani, title="Inovasi adminduk untuk semua")
    await make_thread(budi, title="Antrean puskesmas tanpa kertas", sector="kesehatan", values=["adaptif"])
    await make_thread(budi, title="Masalah stunting di desa kami", kind="permasalahan", sector="kesehatan",
                      values=["kolaboratif"])  # fmt: skip

    async def titles(query: str) -> set[str]:
        response = await client.get(f"/api/threads?{query}")
        assert response.status_code == 200, response.text
        return {item["title"] for item in response.json()["items"]}

    assert await titles("sector=kesehatan") == {"Antrean puskesmas tanpa kertas", "Masalah stunting di desa kami"}
    assert await titles("value=adaptif&value=berorientasi-pelayanan") == {
        "Antrean puskesmas tanpa kertas", "Inovasi adminduk untuk semua"}  # fmt: skip
    assert await titles("kind=permasalahan") == {"Masalah stunting di desa kami"}
    assert await titles("agency=disdukcapil-kabupaten-sleman") == {"Inovasi adminduk untuk semua"}
    assert await titles("province=di-yogyakarta&sector=kesehatan") == {
        "Antrean puskesmas tanpa kertas", "Masalah stunting di desa kami"}  # fmt: skip
    bad = await client.get("/api/threads?value=rajin")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "value"
    page = await client.get("/topik?sektor=kesehatan&jenis=permasalahan")
    assert "Masalah stunting di desa kami" in page.text and "Antrean puskesmas" not in page.text
    assert (await client.get("/topik?sektor=tidak-ada")).status_code == 422
    for path in ("/nilai/adaptif", "/sektor/kesehatan", "/instansi/dinas-kesehatan-kota-surabaya"):
        response = await client.get(path)
        assert response.status_code == 200 and "Antrean puskesmas tanpa kertas" in response.text, path
    assert (await client.get("/nilai/rajin")).status_code == 404
    assert (await client.get("/sektor/tidak-ada")).status_code == 404


async def test_markdown_preview(client: httpx.AsyncClient) -> None:
    await make_user("penulis@x.go.id")
    await login(client, "penulis@x.go.id")
    response = await client.post(
        "/pratinjau", data={"body": "**tebal** <script>alert(1)</script>"}, headers=api_headers(client)
    )
    assert response.status_code == 200
    assert "<strong>tebal</strong>" in response.text and "<script>" not in response.text


async def test_the_preview_renders_the_editor_it_names_not_another_field(client: httpx.AsyncClient) -> None:
    """A case form sends its kind, title and four editors: the preview is of the editor that asked."""
    await make_user("penulis@x.go.id")
    await login(client, "penulis@x.go.id")
    form = {"kind": "diskusi", "title": "Judul", "body": "isi **utama**", "solution": "solusi _inti_"}
    for named, expected in (("body", "<strong>utama</strong>"), ("solution", "<em>inti</em>")):
        response = await client.post("/pratinjau", data={**form, "preview_of": named}, headers=api_headers(client))
        assert response.status_code == 200 and expected in response.text and "diskusi" not in response.text
    unnamed = await client.post("/pratinjau", data=form, headers=api_headers(client))
    assert "diskusi" not in unnamed.text and "Belum ada isi" in unnamed.text


async def test_delete_thread_by_author_only(client: httpx.AsyncClient, other_client: httpx.AsyncClient) -> None:
    from forum.core.tables import Post
    from forum.posting.service import add_reply

    author = await make_user("ani@x.go.id")
    other = await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    thread = await make_thread(author)
    await add_reply(other, thread["id"], ReplyInput(body="Balasan yang ikut terhapus"), limits=NO_LIMITS)
    refused = await client.delete(f"/api/threads/{thread['id']}", headers={"Authorization": f"Bearer {await token_for(other)}"})
    assert refused.status_code == 403 and await Thread.count() == 1
    await login(client, "ani@x.go.id")
    confirm = await client.get(f"/topik/{thread['id']}/hapus")
    assert confirm.status_code == 200 and "Hapus topik?" in confirm.text
    response = await post_form(client, f"/topik/{thread['id']}/hapus", {})
    assert response.status_code == 303
    assert "Topik telah dihapus" in (await client.get(response.headers["location"])).text
    assert await Thread.count() == 0 and await Post.count() == 0 and await ThreadValue.count() == 0
    deleted = await SearchOutbox.select(SearchOutbox.operation).where(SearchOutbox.entity_id == thread["id"]).order_by(
        SearchOutbox.id
    )
    assert deleted[-1]["operation"] == "delete"
    assert (await client.get(thread["url"])).status_code == 404


async def test_someone_elses_delete_page_says_what_is_refused(client: httpx.AsyncClient) -> None:
    thread = await make_thread(await make_user("ani@x.go.id"))
    await make_user("budi@x.go.id")
    await login(client, "budi@x.go.id")
    refused = await client.get(f"/topik/{thread['id']}/hapus")
    assert refused.status_code == 403 and "dapat menghapus topik ini" in refused.text
    refused = await client.get(f"/topik/{thread['id']}/ubah")
    assert refused.status_code == 403 and "dapat menyunting topik ini" in refused.text
