"""Fixes from a black-box review: formulas in the dashboard CSV, commitments assigned across agencies, and
control or invisible characters in text (NUL that PostgreSQL refuses, titles made of zero-width spaces)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from forum.core.tables import Agency, Commitment, Notification, Post, Thread, User
from forum.core.validation import clean_text, optional_text, require_text
from forum.dashboard import tally
from forum.dashboard.routes import _csv_cell
from forum.posting.service import ReplyInput, add_reply
from forum.web.flood import NO_LIMITS
from tests.support.factories import VALID_THREAD, login, make_thread, make_user, post_form, token_for

EVIL = '=HYPERLINK("http://evil.example","klik")'


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _due(days: int = 10) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


# --- 1. /dasbor.csv ------------------------------------------------------------------------------------------


async def test_csv_export_defuses_formulas_and_names_one_charset(client: httpx.AsyncClient) -> None:
    member = await make_user("ani@sleman.go.id")
    auth = bearer(await token_for(member))
    names = [EVIL, "+62 Dinas Telepon", "-Dinas Minus", "@SUM(A1:A9) Dinas"]
    for name in names:
        created = await client.post("/api/agencies", json={"name": name, "kind": "pemkab",
                                                           "province": "di-yogyakarta"}, headers=auth)  # fmt: skip
        assert created.status_code == 201, created.text
    for n, name in enumerate(names):
        person = await make_user(f"orang{n}@contoh.go.id", agency=name)
        await make_thread(person, title=f"Praktik baik nomor {n} dari instansi uji")
    await make_thread(member)
    await tally.bring_up_to_date()  # the background recount's round (the dashboard only reads)
    export = await client.get("/dasbor.csv?per=instansi")
    assert export.status_code == 200
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    table = list(csv.reader(io.StringIO(export.text)))
    labels = {row[0] for row in table[1:-1]}
    assert {f"'{name}" for name in names} <= labels
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)
    evil_row = next(row for row in table if row[0] == f"'{EVIL}")
    assert evil_row[1] == "1" and all(cell.isdigit() for cell in evil_row[1:])  # numbers stay numbers
    assert table[-1][:2] == ["Total", str(len(names) + 1)]
    assert "Disdukcapil Kabupaten Sleman" in labels  # ordinary names are untouched


def test_csv_cell_rules() -> None:
    for text in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert _csv_cell(text) == f"'{text}"
    assert _csv_cell("Dinas Kesehatan") == "Dinas Kesehatan"
    assert _csv_cell("") == ""
    assert _csv_cell(-3) == -3 and _csv_cell(0) == 0  # a number is never text, even a negative one


# --- 2. Commitments: whom a member may assign -------------------------------------------------------------------

OWNER_REFUSED = "Penanggung jawab harus Anda sendiri, rekan dari instansi Anda, atau peserta diskusi topik ini."


@pytest.fixture
async def people(app: object) -> dict[str, Any]:
    ani = await make_user("ani@sleman.go.id", agency="Disdukcapil Kabupaten Sleman")
    rekan = await make_user("rekan@sleman.go.id", agency="Disdukcapil Kabupaten Sleman", name="Rekan Sleman")
    budi = await make_user("budi@bantul.go.id", agency="Bappeda Kabupaten Bantul", name="Budi Santoso")
    mod = await make_user("mod@kemenpan.go.id", agency="Kementerian PANRB", role="moderator")
    thread = await make_thread(ani, kind="diskusi", title="Tindak lanjut rapat koordinasi antrean")
    return {"ani": ani, "rekan": rekan, "budi": budi, "mod": mod, "thread": thread}


async def test_member_cannot_assign_a_commitment_to_another_agency(client: httpx.AsyncClient,
                                                                    people: dict[str, Any]) -> None:  # fmt: skip
    ani, budi, thread = people["ani"], people["budi"], people["thread"]
    refused = await client.post(f"/api/threads/{thread['id']}/commitments",
                                json={"what": "Menyusun SOP antrean bersama", "due_on": _due(), "owner_id": budi.id},
                                headers=bearer(await token_for(ani)))  # fmt: skip
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"] == [
        {"field": "owner_id", "message": OWNER_REFUSED}
    ]
    assert await Commitment.count() == 0
    assert await Notification.count().where(Notification.user == budi.id) == 0


async def test_a_member_may_assign_someone_who_takes_part_in_the_thread(client: httpx.AsyncClient,
                                                                         people: dict[str, Any]) -> None:  # fmt: skip
    ani, budi, thread = people["ani"], people["budi"], people["thread"]
    await add_reply(budi, thread["id"], ReplyInput(body="Bappeda Bantul siap menyusun draf SOP bersama."), limits=NO_LIMITS)
    assigned = await client.post(f"/api/threads/{thread['id']}/commitments",
                                 json={"what": "Menyusun draf SOP antrean", "due_on": _due(), "owner_id": budi.id},
                                 headers=bearer(await token_for(ani)))  # fmt: skip
    assert assigned.status_code == 201, assigned.text
    assert (await Commitment.select(Commitment.owner_agency).first())["owner_agency"] == budi.agency_id


async def test_self_colleague_and_moderator_assignments_are_allowed(client: httpx.AsyncClient,
                                                                     people: dict[str, Any]) -> None:  # fmt: skip
    ani, rekan, budi, mod, thread = (people[k] for k in ("ani", "rekan", "budi", "mod", "thread"))
    url = f"/api/threads/{thread['id']}/commitments"
    mine = await client.post(url, json={"what": "Menyusun laporan rapat", "due_on": _due()},
                             headers=bearer(await token_for(ani)))  # fmt: skip
    colleague = await client.post(url, json={"what": "Mengirim undangan rapat", "due_on": _due(), "owner_id": rekan.id},
                                  headers=bearer(await token_for(ani)))  # fmt: skip
    assigned = await client.post(url, json={"what": "Menyusun SOP antrean bersama", "due_on": _due(),
                                            "owner_id": budi.id}, headers=bearer(await token_for(mod)))  # fmt: skip
    assert (mine.status_code, colleague.status_code, assigned.status_code) == (201, 201, 201)
    rows = await Commitment.select(Commitment.owner, Commitment.owner_agency)
    owners = {row["owner"]: row["owner_agency"] for row in rows}
    assert owners == {ani.id: ani.agency_id, rekan.id: ani.agency_id, budi.id: budi.agency_id}
    assert await Notification.count().where(Notification.user == budi.id) == 1


async def test_huge_owner_id_is_a_field_error_not_a_missing_page(client: httpx.AsyncClient,
                                                                  people: dict[str, Any]) -> None:  # fmt: skip
    thread = people["thread"]
    response = await client.post(f"/api/threads/{thread['id']}/commitments",
                                 json={"what": "Menyusun laporan rapat", "due_on": _due(), "owner_id": 2**40},
                                 headers=bearer(await token_for(people["ani"])))  # fmt: skip
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [{"field": "owner_id", "message": "Penanggung jawab tidak dikenal."}]
    # Beyond 64 bits the JSON decoder itself refuses the number: a 400 naming the field, never a 404 or 500.
    huge = await client.post(f"/api/threads/{thread['id']}/commitments",
                             json={"what": "Menyusun laporan rapat", "due_on": _due(), "owner_id": 10**25},
                             headers=bearer(await token_for(people["ani"])))  # fmt: skip
    assert huge.status_code in {400, 422}, huge.text
    assert "owner_id" in huge.text
    assert await Commitment.count() == 0


async def test_commitment_form_shows_the_owner_error(client: httpx.AsyncClient, people: dict[str, Any]) -> None:
    thread, budi = people["thread"], people["budi"]
    await login(client, "ani@sleman.go.id")
    url = f"/topik/{thread['id']}/tindak-lanjut"
    other_agency = await post_form(client, url, {"what": "Menyusun SOP antrean", "due_on": _due(),
                                                 "owner_id": str(budi.id)})  # fmt: skip
    assert other_agency.status_code == 422
    assert OWNER_REFUSED in other_agency.text
    # The thread page again, the form open with what was typed and the reason beside the field.
    assert 'id="thread-title"' in other_agency.text and 'value="Menyusun SOP antrean"' in other_agency.text
    assert 'id="owner_id-error"' in other_agency.text and 'aria-invalid="true"' in other_agency.text
    for bad in (str(10**25), "-3", "bukan-angka"):
        response = await post_form(client, url, {"what": "Menyusun SOP antrean", "due_on": _due(), "owner_id": bad})
        assert response.status_code == 422, (bad, response.status_code)
        assert "Penanggung jawab tidak dikenal." in response.text
    colleague = await post_form(client, url, {"what": "Menyusun SOP antrean", "due_on": _due(),
                                              "owner_id": str(people["rekan"].id)})  # fmt: skip
    assert colleague.status_code == 303
    assert await Commitment.count() == 1


# --- 3. Control and invisible characters ----------------------------------------------------------------------


def test_clean_text_removes_controls_and_zero_width() -> None:
    assert clean_text("a\x00b\x07c\x7f\x85d") == "abcd"
    assert clean_text("baris satu\r\nbaris\tdua\rtiga") == "baris satu\nbaris\tdua\ntiga"
    assert clean_text("ba\u200bris\ufeff \u2060x") == "baris x"
    assert clean_text("judul\nbaru\tdi sini", multiline=False) == "judul baru di sini"
    assert clean_text("Din\u200dkes\u200c", multiline=False) == "Dinkes"  # no look-alike names
    assert clean_text("tim \U0001f469\u200d\U0001f4bb kami") == "tim \U0001f469\u200d\U0001f4bb kami"  # emoji kept
    assert clean_text("\u200d\u200d teks \u200d") == "teks"
    assert clean_text(None) == "" and clean_text(12) == ""


@pytest.mark.parametrize("invisible", ["\u200b" * 12, "\x00" * 12, "\u200b\u200c\u200d\u2060\ufeff" * 3,
                                       "\u3164" * 12, " \x00\u200b\t\n "])  # fmt: skip
def test_invisible_text_is_empty(invisible: str) -> None:
    errors: dict[str, str] = {}
    assert require_text(errors, "title", invisible, "Judul", max_len=200, min_len=8) == ""
    assert errors == {"title": "Judul wajib diisi."}
    errors = {}
    assert require_text(errors, "body", invisible, "Isi", max_len=50_000, min_len=20) == ""
    assert errors == {"body": "Isi wajib diisi."}
    assert optional_text(errors, "unit", invisible, "Satuan", max_len=50) == ""


async def test_nul_in_a_thread_is_stored_without_it(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@sleman.go.id")
    auth = bearer(await token_for(ani))
    title = "Layanan\x00 KTP-el\u200b antar ke rumah"
    body = "Kami mengantar KTP-el\x00 langsung\r\nke rumah warga lansia.\x00"
    fields = {**VALID_THREAD, "title": title, "body": body, "problem": "Warga\x00 lansia sulit datang."}
    response = await client.post("/api/threads", json=fields, headers=auth)
    assert response.status_code == 201, response.text
    row = await Thread.select(Thread.title, Thread.body_source, Thread.problem_source).first()
    assert row == {"title": "Layanan KTP-el antar ke rumah", "body_source": "Kami mengantar KTP-el langsung\nke rumah "
                   "warga lansia.", "problem_source": "Warga lansia sulit datang."}  # fmt: skip
    reply = await client.post(f"/api/threads/{response.json()['id']}/posts", json={"body": "Setuju\x00, bagus!"},
                              headers=auth)  # fmt: skip
    assert reply.status_code == 201, reply.text
    assert (await Post.select(Post.body_source).where(Post.id == reply.json()["id"]).first())["body_source"] == (
        "Setuju, bagus!"
    )


async def test_invisible_title_or_body_is_rejected_as_empty(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@sleman.go.id")
    auth = bearer(await token_for(ani))
    cases = [("\u200b" * 20, VALID_THREAD["body"]), ("\x00" * 20, VALID_THREAD["body"]),
             (VALID_THREAD["title"], "\x00" * 30), (VALID_THREAD["title"], "\u200b\ufeff" * 15)]  # fmt: skip
    for title, body in cases:
        response = await client.post("/api/threads", json={**VALID_THREAD, "title": title, "body": body}, headers=auth)
        assert response.status_code == 422, response.text
        field, label = ("title", "Judul") if title != VALID_THREAD["title"] else ("body", "Isi")
        assert {"field": field, "message": f"{label} wajib diisi."} in response.json()["errors"]
    reply_to = await make_thread(ani)
    reply = await client.post(f"/api/threads/{reply_to['id']}/posts", json={"body": "\x00\u200b\x00"}, headers=auth)
    assert reply.status_code == 422 and reply.json()["errors"][0]["field"] == "body"
    assert await Thread.count() == 1


async def test_invisible_agency_and_display_names_are_rejected(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@sleman.go.id")
    auth = bearer(await token_for(ani))
    agency = await client.post("/api/agencies", json={"name": "\u200b\u200b\u200b\u200b", "kind": "pemkab",
                                                      "province": "di-yogyakarta"}, headers=auth)  # fmt: skip
    assert agency.status_code == 422
    assert agency.json()["errors"] == [{"field": "name", "message": "Nama instansi wajib diisi."}]
    lookalike = await client.post("/api/agencies", json={"name": "Disdukcapil Kabupaten\u200b Sleman\x00",
                                                         "kind": "pemkab", "province": "di-yogyakarta"},
                                  headers=auth)  # fmt: skip
    assert lookalike.status_code == 422  # the same name as an existing agency once the invisible part is gone
    assert await Agency.count() == 1
    page = await post_form(client, "/daftar", {"email": "hantu@contoh.go.id", "password": "kata-sandi-uji-123",
                                               "display_name": "\u200b\x00\u200b",
                                               "agency_id": str(ani.agency_id)})  # fmt: skip
    assert page.status_code == 422
    assert "Nama tampilan wajib diisi." in page.text
    assert not await User.exists().where(User.email == "hantu@contoh.go.id")
