"""Impact indicators end to end: add, edit, delete and verify through the API and the thread page's forms; every
refusal (invalid input, not an innovation case, not the author, another agency's admin, unseen case) leaving
the indicators and the search outbox untouched; before → after with the change; best_improvement for search."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from litestar import Litestar

from forum.collaboration.indicators import (
    IndicatorInput,
    best_improvement,
    describe_change,
    format_number,
)
from forum.core.tables import Indicator, ModerationLog, SearchOutbox, Thread
from tests.support.factories import login, make_thread, make_user, post_form, token_for

SLEMAN = "Disdukcapil Kabupaten Sleman"
SURABAYA = "Dinas Kominfo Kota Surabaya"

WAITING_TIME = {
    "name": "Waktu tunggu penerbitan KTP-el",
    "unit": "hari",
    "baseline_value": 14,
    "baseline_on": "2023-01-31",
    "result_value": 3,
    "result_on": "2024-01-31",
    "source": "https://dukcapil.slemankab.go.id/laporan-2024",
    "higher_is_better": False,
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def wired(app: Litestar) -> Litestar:
    """The app as create_app wires it (the name is kept for the tests below)."""
    return app


async def _world() -> dict[str, Any]:
    author = await make_user("ani@sleman.go.id", agency=SLEMAN, name="Ani Lestari")
    admin = await make_user("admin@sleman.go.id", agency=SLEMAN, name="Admin Sleman", agency_admin=True)
    other_admin = await make_user("admin@surabaya.go.id", agency=SURABAYA, name="Admin Surabaya", agency_admin=True)
    member = await make_user("budi@sleman.go.id", agency=SLEMAN, name="Budi Santoso")
    moderator = await make_user("mod@panrb.go.id", role="moderator", agency="Kementerian PANRB")
    case = await make_thread(author)
    return {"author": author, "admin": admin, "other_admin": other_admin, "member": member,
            "moderator": moderator, "case": case}  # fmt: skip


async def _outbox(thread_id: int) -> int:
    return await SearchOutbox.count().where(SearchOutbox.entity_id == thread_id)


async def _snapshot() -> list[dict[str, Any]]:
    return await Indicator.select().order_by(Indicator.id)


def test_change_respects_the_direction_of_improvement() -> None:
    fewer_days = describe_change(14, 3, higher_is_better=False)
    assert fewer_days is not None and fewer_days["trend"] == "membaik"
    assert fewer_days["absolute"] == -11 and round(fewer_days["percent"], 2) == -78.57
    assert round(fewer_days["improvement_percent"], 2) == 78.57
    more_complaints = describe_change(40, 50, higher_is_better=False)
    assert more_complaints is not None and more_complaints["trend"] == "memburuk"
    assert more_complaints["improvement_percent"] == -25
    coverage = describe_change(60, 90, higher_is_better=True)
    assert coverage is not None and coverage["trend"] == "membaik" and coverage["improvement_percent"] == 50
    from_zero = describe_change(0, 120, higher_is_better=True)
    assert from_zero is not None and from_zero["percent"] is None and from_zero["trend"] == "membaik"
    assert describe_change(0.1 + 0.2, 0.3, True)["trend"] == "tetap"  # type: ignore[index]
    assert describe_change(5, None, True) is None
    assert format_number(1234.5) == "1.234,5" and format_number(-11) == "−11" and format_number(78.571, 1) == "78,6"


async def test_author_adds_edits_and_deletes_through_the_api(wired: Litestar, client: httpx.AsyncClient) -> None:
    world = await _world()
    case_id = world["case"]["id"]
    ani = bearer(await token_for(world["author"]))
    queued = await _outbox(case_id)

    created = await client.post(f"/api/threads/{case_id}/indicators", json=WAITING_TIME, headers=ani)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["baseline_value"] == 14 and body["result_value"] == 3 and body["baseline_on"] == "2023-01-31"
    assert body["change"] == -11 and round(body["change_percent"], 2) == -78.57
    assert round(body["improvement_percent"], 2) == 78.57 and body["trend"] == "membaik"
    assert body["verified"] is False and body["verified_by"] is None
    assert await _outbox(case_id) == queued + 1
    # Numbers written the Indonesian way are understood; the result may come later.
    coverage = {"name": "Cakupan perekaman KTP-el", "unit": "%", "baseline_value": "62,5"}
    later = await client.post(f"/api/threads/{case_id}/indicators", headers=ani, json=coverage)
    assert later.status_code == 201 and later.json()["baseline_value"] == 62.5 and later.json()["trend"] is None

    listed = (await client.get(f"/api/threads/{case_id}/indicators")).json()
    assert [item["name"] for item in listed] == [WAITING_TIME["name"], "Cakupan perekaman KTP-el"]

    indicator_id = body["id"]
    patched = await client.patch(f"/api/indicators/{indicator_id}", json={"result_value": 2, "result_on": "2024-06-30"},
                                 headers=ani)  # fmt: skip
    assert patched.status_code == 200 and patched.json()["result_value"] == 2
    assert patched.json()["name"] == WAITING_TIME["name"]
    cleared = await client.patch(f"/api/indicators/{indicator_id}", json={"result_value": None, "result_on": None},
                                 headers=ani)  # fmt: skip
    assert cleared.status_code == 200 and cleared.json()["change"] is None
    assert await _outbox(case_id) == queued + 4

    removed = await client.delete(f"/api/indicators/{indicator_id}", headers=ani)
    assert removed.status_code == 204
    assert await Indicator.count() == 1 and await _outbox(case_id) == queued + 5
    gone = await client.patch(f"/api/indicators/{indicator_id}", json={"name": "Lagi"}, headers=ani)
    assert gone.status_code == 404


async def test_invalid_input_is_422_in_indonesian_and_stores_nothing(
    wired: Litestar, client: httpx.AsyncClient
) -> None:
    world = await _world()
    case_id = world["case"]["id"]
    ani = bearer(await token_for(world["author"]))
    queued = await _outbox(case_id)
    tomorrow = (date.today() + timedelta(days=3)).isoformat()
    cases = [
        ({}, {"name", "baseline_value"}),
        ({**WAITING_TIME, "name": "ab"}, {"name"}),
        ({**WAITING_TIME, "baseline_value": "empat belas"}, {"baseline_value"}),
        ({**WAITING_TIME, "result_value": "NaN"}, {"result_value"}),
        ({**WAITING_TIME, "baseline_value": 1e16}, {"baseline_value"}),
        ({**WAITING_TIME, "baseline_on": "2024-02-30"}, {"baseline_on"}),
        ({**WAITING_TIME, "result_on": tomorrow}, {"result_on"}),
        ({**WAITING_TIME, "result_on": "2022-01-01"}, {"result_on"}),
        ({**WAITING_TIME, "result_value": None}, {"result_value"}),
        ({**WAITING_TIME, "unit": "x" * 51, "source": "y" * 1001}, {"unit", "source"}),
    ]
    for payload, fields in cases:
        response = await client.post(f"/api/threads/{case_id}/indicators", json=payload, headers=ani)
        assert response.status_code == 422, (payload, response.text)
        problem = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert {error["field"] for error in problem["errors"]} == fields, payload
        assert all(error["message"] != "Nilai tidak valid atau tidak lengkap." for error in problem["errors"])
    messages = (await client.post(f"/api/threads/{case_id}/indicators", json={}, headers=ani)).json()["errors"]
    assert {e["field"]: e["message"] for e in messages} == {
        "name": "Nama indikator wajib diisi.", "baseline_value": "Nilai awal wajib diisi."}  # fmt: skip
    assert await Indicator.count() == 0 and await _outbox(case_id) == queued

    # A bad edit leaves the stored indicator exactly as it was.
    created = (await client.post(f"/api/threads/{case_id}/indicators", json=WAITING_TIME, headers=ani)).json()
    before, queued = await _snapshot(), await _outbox(case_id)
    bad = await client.patch(f"/api/indicators/{created['id']}", json={"result_on": "2020-01-01"}, headers=ani)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "result_on"
    assert await _snapshot() == before and await _outbox(case_id) == queued


async def test_who_may_manage_indicators(wired: Litestar, client: httpx.AsyncClient) -> None:
    world = await _world()
    case_id = world["case"]["id"]
    ani = bearer(await token_for(world["author"]))
    discussion = await make_thread(world["author"], kind="diskusi", title="Diskusi antrean layanan Dukcapil")
    queued_case, queued_discussion = await _outbox(case_id), await _outbox(discussion["id"])

    not_a_case = await client.post(f"/api/threads/{discussion['id']}/indicators", json=WAITING_TIME, headers=ani)
    assert not_a_case.status_code == 422 and "kasus Inovasi" in not_a_case.json()["detail"]
    for person in ("member", "admin", "other_admin"):  # not the author: not even the agency's admin
        refused = await client.post(f"/api/threads/{case_id}/indicators", json=WAITING_TIME,
                                    headers=bearer(await token_for(world[person])))  # fmt: skip
        assert refused.status_code == 403, person
        assert "penulis kasus atau moderator" in refused.json()["detail"]
    # An unseen case (in the review queue) is "not found", even to add to.
    newbie = await make_user("baru@klaten.go.id", agency="Dinkes Kabupaten Klaten", verified=False)
    pending = await make_thread(newbie, title="Kasus anggota baru menunggu tinjauan")
    assert (await client.post(f"/api/threads/{pending['id']}/indicators", json=WAITING_TIME,
                              headers=ani)).status_code == 404  # fmt: skip
    assert (await client.get(f"/api/threads/{pending['id']}/indicators")).status_code == 404
    signed_out = await client.post(f"/api/threads/{case_id}/indicators", json=WAITING_TIME)
    assert signed_out.status_code in (401, 403)
    assert await Indicator.count() == 0
    assert await _outbox(case_id) == queued_case and await _outbox(discussion["id"]) == queued_discussion

    by_moderator = await client.post(f"/api/threads/{case_id}/indicators", json=WAITING_TIME,
                                     headers=bearer(await token_for(world["moderator"])))  # fmt: skip
    assert by_moderator.status_code == 201
    indicator_id = by_moderator.json()["id"]
    before = await _snapshot()
    member = bearer(await token_for(world["member"]))
    change = {"result_value": 1}
    assert (await client.patch(f"/api/indicators/{indicator_id}", json=change, headers=member)).status_code == 403
    assert (await client.delete(f"/api/indicators/{indicator_id}", headers=member)).status_code == 403
    assert await _snapshot() == before
    assert (await client.patch(f"/api/indicators/{indicator_id}", json=change, headers=ani)).status_code == 200


async def test_verification_by_the_agency_admin_and_its_loss_on_edit(
    wired: Litestar, client: httpx.AsyncClient
) -> None:
    world = await _world()
    case_id = world["case"]["id"]
    ani = bearer(await token_for(world["author"]))
    created = await client.post(f"/api/threads/{case_id}/indicators", json=WAITING_TIME, headers=ani)
    indicator_id = created.json()["id"]
    before, queued = await _snapshot(), await _outbox(case_id)

    # Another agency's admin, a plain member of the same agency, the author herself: 403, nothing changed.
    for person in ("other_admin", "member", "author"):
        refused = await client.post(f"/api/indicators/{indicator_id}/verification", json={"value": True},
                                    headers=bearer(await token_for(world[person])))  # fmt: skip
        assert refused.status_code == 403, person
        assert "admin instansi pemilik kasus" in refused.json()["detail"]
    assert await _snapshot() == before and await _outbox(case_id) == queued
    assert await ModerationLog.count() == 0

    admin = bearer(await token_for(world["admin"]))
    verified = await client.post(f"/api/indicators/{indicator_id}/verification", json={"value": True}, headers=admin)
    assert verified.status_code == 200
    assert verified.json()["verified"] is True and verified.json()["verified_by"] == world["admin"].id
    assert verified.json()["verified_by_name"] == "Admin Sleman"
    assert await _outbox(case_id) == queued + 1
    log = await ModerationLog.select(ModerationLog.action, ModerationLog.target_id, ModerationLog.reason).first()
    assert log == {"action": "verify_indicator", "target_id": case_id, "reason": WAITING_TIME["name"]}

    # Saving the same values keeps the verification; changing a value clears it.
    same = await client.patch(f"/api/indicators/{indicator_id}", json={"result_value": 3, "unit": "hari"}, headers=ani)
    assert same.status_code == 200 and same.json()["verified"] is True
    changed = await client.patch(f"/api/indicators/{indicator_id}", json={"result_value": 1}, headers=ani)
    assert changed.status_code == 200
    assert changed.json()["verified"] is False and changed.json()["verified_at"] is None
    row = await Indicator.select(Indicator.verified_by, Indicator.verified_at).first()
    assert row == {"verified_by": None, "verified_at": None}

    # A moderator may verify and unverify too.
    mod = bearer(await token_for(world["moderator"]))
    again = await client.post(f"/api/indicators/{indicator_id}/verification", json={"value": True}, headers=mod)
    assert again.json()["verified"] is True
    undone = await client.post(f"/api/indicators/{indicator_id}/verification", json={"value": False}, headers=mod)
    assert undone.status_code == 200 and undone.json()["verified"] is False
    actions = [r["action"] for r in await ModerationLog.select(ModerationLog.action).order_by(ModerationLog.id)]
    assert actions == ["verify_indicator", "verify_indicator", "unverify_indicator"]
    bad = await client.post(f"/api/indicators/{indicator_id}/verification", json={"value": "ya"}, headers=mod)
    assert bad.status_code == 400


async def test_best_improvement_for_search(wired: Litestar) -> None:
    from forum.collaboration.indicators import add_indicator, set_indicator_verification

    world = await _world()
    author, admin = world["author"], world["admin"]
    case = world["case"]["id"]
    other = (await make_thread(author, title="Inovasi kedua: antrean daring puskesmas"))["id"]
    worse = (await make_thread(author, title="Inovasi ketiga yang justru memburuk"))["id"]
    empty = (await make_thread(author, title="Inovasi keempat tanpa hasil terukur"))["id"]
    discussion = (await make_thread(author, kind="diskusi", title="Diskusi tanpa indikator sama sekali"))["id"]

    waiting = await add_indicator(author, case, IndicatorInput.pick(WAITING_TIME))  # 78.6 % better
    await add_indicator(author, case, IndicatorInput.pick({"name": "Cakupan layanan", "baseline_value": 60, "result_value": 90}))  # 50 %
    await set_indicator_verification(admin, waiting, False)
    await add_indicator(author, other, IndicatorInput.pick({"name": "Cakupan", "baseline_value": 40, "result_value": 60}))
    await add_indicator(author, worse, IndicatorInput.pick({"name": "Aduan", "baseline_value": 40, "result_value": 50,
                                        "higher_is_better": False}))  # fmt: skip
    await add_indicator(author, empty, IndicatorInput.pick({"name": "Tanpa hasil", "baseline_value": 10}))
    await add_indicator(author, empty, IndicatorInput.pick({"name": "Dari nol", "baseline_value": 0, "result_value": 5}))
    # A case turned into a discussion later keeps its rows but is no longer an innovation case.
    await Thread.update({Thread.kind: "diskusi"}).where(Thread.id == other)

    assert await best_improvement([case, other, worse, empty, discussion]) == {case: 78.6, worse: -25.0}
    assert await best_improvement([case, worse], verified_only=True) == {}
    await set_indicator_verification(admin, waiting, True)
    assert await best_improvement([case, worse], verified_only=True) == {case: 78.6}
    assert await best_improvement([]) == {}


async def test_thread_page_forms(wired: Litestar, client: httpx.AsyncClient, other_client: httpx.AsyncClient) -> None:
    world = await _world()
    case = world["case"]
    await login(client, "ani@sleman.go.id")
    page = (await client.get(case["url"])).text
    assert "Indikator dampak" in page and f'action="/topik/{case["id"]}/indikator"' in page

    form = {k: ("0" if v is False else str(v)) for k, v in WAITING_TIME.items()}
    created = await post_form(client, f"/topik/{case['id']}/indikator", form)
    assert created.status_code == 303 and "#indikator-" in created.headers["location"]
    indicator_id = int(created.headers["location"].rsplit("-", 1)[1])
    shown = (await client.get(case["url"])).text
    assert "14 hari" in shown and "3 hari" in shown and "Membaik: −11 hari (−78,6%)" in shown
    assert "31 Jan 2023" in shown and "Belum diverifikasi" in shown
    assert 'rel="nofollow noopener noreferrer"' in shown

    # Invalid input: the thread page again (422) with the form open, filled in, and the errors in Indonesian.
    invalid = await post_form(client, f"/topik/{case['id']}/indikator", {**form, "name": "", "baseline_value": "abc"})
    assert invalid.status_code == 422
    assert "Nama indikator wajib diisi." in invalid.text and "Nilai awal harus berupa angka" in invalid.text
    assert 'value="abc"' in invalid.text and "Tambah indikator dampak" in invalid.text
    bad_edit = await post_form(client, f"/indikator/{indicator_id}/ubah", {**form, "result_on": "2000-01-01"})
    assert bad_edit.status_code == 422 and "Tanggal hasil tidak boleh sebelum tanggal nilai awal." in bad_edit.text
    assert await Indicator.count() == 1

    # The agency admin verifies from the page; another agency's admin is refused (403), nothing changed.
    await login(other_client, "admin@surabaya.go.id")
    assert f"/indikator/{indicator_id}/verifikasi" not in (await other_client.get(case["url"])).text
    refused = await post_form(other_client, f"/indikator/{indicator_id}/verifikasi", {"value": "1"})
    assert refused.status_code == 403 and "admin instansi pemilik kasus" in refused.text
    assert (await Indicator.select(Indicator.verified_at).first())["verified_at"] is None
    admin_client = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with admin_client:
        await login(admin_client, "admin@sleman.go.id")
        verified = await post_form(admin_client, f"/indikator/{indicator_id}/verifikasi", {"value": "1"})
        assert verified.status_code == 303
        assert "Terverifikasi" in (await admin_client.get(case["url"])).text
        assert "Diverifikasi oleh Admin Sleman" in (await admin_client.get(case["url"])).text

    # The author edits a value from the page: the verification goes.
    edited = await post_form(client, f"/indikator/{indicator_id}/ubah", {**form, "result_value": "2"})
    assert edited.status_code == 303
    after = (await client.get(case["url"])).text
    assert "Belum diverifikasi" in after and "2 hari" in after
    deleted = await post_form(client, f"/indikator/{indicator_id}/hapus", {})
    assert deleted.status_code == 303 and deleted.headers["location"].endswith("#indikator-dampak")
    assert await Indicator.count() == 0
    # A change of a percentage is in points, its relative change in brackets: never "+27,5 %, +44%".
    coverage = {"name": "Cakupan perekaman KTP-el", "unit": "%", "higher_is_better": "1", "baseline_value": "62,5",
                "baseline_on": "2023-01-31", "result_value": "90", "result_on": "2024-01-31"}  # fmt: skip
    assert (await post_form(client, f"/topik/{case['id']}/indikator", coverage)).status_code == 303
    assert "Membaik: +27,5 poin (+44%)" in (await client.get(case["url"])).text
    # A discussion thread has no indicator section, and its form route refuses.
    discussion = await make_thread(world["author"], kind="diskusi", title="Diskusi antrean layanan Dukcapil")
    assert "Indikator dampak" not in (await client.get(discussion["url"])).text
    refused_kind = await post_form(client, f"/topik/{discussion['id']}/indikator", form)
    assert refused_kind.status_code == 422 and "kasus Inovasi" in refused_kind.text
