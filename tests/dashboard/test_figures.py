"""The dashboard's numbers on a small world whose right answers are counted by hand below."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import httpx

from forum.core.clock import now
from forum.core.tables import Commitment, Indicator
from forum.dashboard import tally
from forum.posting.service import ReplyInput, add_reply
from forum.replication.service import (
    Interest,
    ReplicationStep,
    declare_interest,
    move_replication,
)
from forum.web.flood import NO_LIMITS
from tests.support.factories import make_thread, make_user

ADMINDUK = "administrasi-kependudukan-pencatatan-sipil"


async def build_world() -> dict:
    a1 = await make_user("a1@sleman.go.id", agency="Disdukcapil Kabupaten Sleman")
    a2 = await make_user("a2@sleman.go.id", agency="Disdukcapil Kabupaten Sleman")
    b1 = await make_user("b1@bantul.go.id", agency="Dinkes Kabupaten Bantul")
    c1 = await make_user("c1@surabaya.go.id", agency="Dinkes Kota Surabaya")
    # Cases: Sleman 2 (adminduk; pelayanan + kolaboratif), Bantul 1 (kesehatan; adaptif). A discussion is no case.
    case1 = await make_thread(a1, title="Kasus pertama dari Sleman")
    case2 = await make_thread(a1, title="Kasus kedua dari Sleman")
    await make_thread(a2, kind="diskusi", title="Diskusi yang bukan kasus inovasi")
    case3 = await make_thread(b1, title="Kasus dari Bantul", sector="kesehatan", values=["adaptif"])
    # Replies from other agencies: Sleman's threads get 2 (Bantul, Surabaya), Bantul's gets 1 (Sleman).
    await add_reply(b1, case1["id"], ReplyInput(body="Dari Bantul"), limits=NO_LIMITS)
    await add_reply(a2, case1["id"], ReplyInput(body="Dari rekan satu instansi: tidak dihitung"), limits=NO_LIMITS)
    await add_reply(c1, case1["id"], ReplyInput(body="Dari Surabaya"), limits=NO_LIMITS)
    await add_reply(a1, case3["id"], ReplyInput(body="Dari Sleman"), limits=NO_LIMITS)
    # Replications of Sleman's cases: Bantul agreed (1), Surabaya implemented (1 done).
    r1 = await declare_interest(b1, case1["id"], Interest.pick({}))
    await move_replication(a2, r1["id"], "agree", ReplicationStep.pick({}))
    r2 = await declare_interest(c1, case2["id"], Interest.pick({}))
    await move_replication(a1, r2["id"], "agree", ReplicationStep.pick({}))
    await move_replication(c1, r2["id"], "implement", ReplicationStep.pick({"implemented_on": date.today().isoformat(),
                                                        "adaptation_note": "versi kota"}))  # fmt: skip
    # Commitments: Bantul's done on time (1); Sleman's open and overdue (1) and one done late (not on time).
    today = date.today()
    await Commitment.insert(
        Commitment(thread=case1["id"], what="Tepat waktu", owner=b1.id, owner_agency=b1.agency_id, created_by=a1.id,
                   due_on=today + timedelta(days=1), status="done", closed_at=now()),
        Commitment(thread=case1["id"], what="Terlambat dan masih terbuka", owner=a1.id, owner_agency=a1.agency_id,
                   created_by=a1.id, due_on=today - timedelta(days=2)),
        Commitment(thread=case2["id"], what="Selesai tetapi terlambat", owner=a1.id, owner_agency=a1.agency_id,
                   created_by=a1.id, due_on=today - timedelta(days=3), status="done", closed_at=now()),
    )  # fmt: skip
    # Verified indicators: one on Sleman's first case; an unverified one does not count.
    await Indicator.insert(
        Indicator(thread=case1["id"], name="Waktu layanan", unit="hari", baseline_value=14, result_value=3,
                  created_by=a1.id, verified_by=a2.id, verified_at=now()),
        Indicator(thread=case3["id"], name="Kunjungan", unit="orang", baseline_value=10, result_value=20,
                  created_by=b1.id),
    )  # fmt: skip
    # Those rows went in behind the services' back (to set past due dates): have the roll-up recount.
    await tally.mark_everything()
    await tally.bring_up_to_date()  # the background recount's round (views only read)
    return {"sleman": a1.agency_name, "bantul": b1.agency_name}


def by_label(body: dict) -> dict[str, dict]:
    return {row["label"]: row for row in body["rows"]}


async def test_numbers_per_agency(client: httpx.AsyncClient) -> None:
    world = await build_world()
    body = (await client.get("/api/dashboard?per=instansi")).json()
    rows = by_label(body)
    sleman, bantul = rows[world["sleman"]], rows[world["bantul"]]
    assert {k: sleman[k] for k in ("cases", "cross_replies", "replications", "replications_done",
                                   "commitments_on_time", "commitments_overdue", "indicators_verified")} == {
        "cases": 2, "cross_replies": 2, "replications": 2, "replications_done": 1,
        "commitments_on_time": 0, "commitments_overdue": 1, "indicators_verified": 1}  # fmt: skip
    assert {k: bantul[k] for k in ("cases", "cross_replies", "replications", "commitments_on_time")} == {
        "cases": 1, "cross_replies": 1, "replications": 0, "commitments_on_time": 1}  # fmt: skip
    assert sleman["by_state"] == {"agreed": 1, "implemented": 1}
    assert body["totals"]["cases"] == 3 and body["totals"]["cross_replies"] == 3


async def test_numbers_per_value_count_each_thread_once_in_totals(client: httpx.AsyncClient) -> None:
    await build_world()
    body = (await client.get("/api/dashboard?per=nilai")).json()
    cases = {row["key"]: row["cases"] for row in body["rows"]}
    assert cases == {"berorientasi-pelayanan": 2, "kolaboratif": 2, "adaptif": 1}
    assert body["totals"]["cases"] == 3
    sectors = {row["key"]: row["cases"] for row in (await client.get("/api/dashboard?per=sektor")).json()["rows"]}
    assert sectors == {ADMINDUK: 2, "kesehatan": 1}


async def test_period_filter_and_bad_input(client: httpx.AsyncClient) -> None:
    await build_world()
    past = (await client.get("/api/dashboard?dari=2020-01-01&sampai=2020-12-31")).json()
    assert past["rows"] == [] and past["totals"]["cases"] == 0
    bad = await client.get("/api/dashboard?dari=kemarin&per=planet")
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"dari", "per"}
    far = await client.get("/api/dashboard?dari=9999-12-15&sampai=9999-12-20")
    assert far.status_code == 422 and {e["field"] for e in far.json()["errors"]} == {"dari", "sampai"}
    page = await client.get("/dasbor?dari=2026-12-31&sampai=2026-01-01")
    assert page.status_code == 422 and "Tanggal awal harus sebelum tanggal akhir" in page.text


async def test_page_charts_and_csv(client: httpx.AsyncClient) -> None:
    world = await build_world()
    page = await client.get("/dasbor")
    assert page.status_code == 200
    assert "<svg" in page.text and world["sleman"] in page.text and "Unduh CSV" in page.text
    export = await client.get("/dasbor.csv?per=instansi")
    assert export.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(export.text)))
    assert table[0][0] == "Instansi" and table[-1][:2] == ["Total", "3"]
    assert next(row for row in table if row[0] == world["sleman"])[1:4] == ["2", "2", "2"]
