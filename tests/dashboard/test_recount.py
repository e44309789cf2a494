"""The dashboard's roll-up is kept current by marking the days a change touches. These tests change an
older world (threads, replies and events spread over past days) through the real services, one action at
a time, and after each compare the incrementally maintained roll-up with a full recount of the database.
A service that forgot to mark a day (or marked it after the evidence was gone) leaves a difference."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import anyio
import httpx
import pytest

from forum.collaboration.indicators import IndicatorInput, add_indicator, delete_indicator, set_indicator_verification
from forum.commitments.service import (
    CommitmentCancellation,
    CommitmentCompletion,
    CommitmentInput,
    add_commitment,
    cancel_commitment,
    complete_commitment,
)
from forum.core.clock import now
from forum.core.tables import (
    Commitment,
    DashboardMonthTally,
    DashboardStaleDay,
    DashboardTally,
    Indicator,
    Post,
    Replication,
    Thread,
)
from forum.dashboard import tally
from forum.moderation.flags import (
    FlagReport,
    FlagResolution,
    flag_content,
    resolve_flags,
)
from forum.moderation.hide import hide_post, hide_thread, restore_post, restore_thread
from forum.moderation.merge import merge_thread
from forum.moderation.move import move_thread
from forum.moderation.review import approve_thread
from forum.posting.service import ReplyInput, add_reply
from forum.replication.service import (
    Interest,
    ReplicationStep,
    declare_interest,
    move_replication,
)
from forum.threads.service import ThreadInput, delete_thread, edit_thread, get_thread
from forum.web.flood import NO_LIMITS
from tests.support.apps import client_with
from tests.support.factories import VALID_THREAD, make_thread, make_user

pytestmark = pytest.mark.anyio


async def snapshot() -> list[tuple[str, str, str, str, str, int]]:
    """Both roll-ups, daily and monthly, as sorted tuples."""
    days = await DashboardTally.select(
        DashboardTally.day, DashboardTally.per, DashboardTally.member, DashboardTally.metric, DashboardTally.n
    )
    months = await DashboardMonthTally.select(
        DashboardMonthTally.month.as_alias("day"), DashboardMonthTally.per, DashboardMonthTally.member,
        DashboardMonthTally.metric, DashboardMonthTally.n,
    )  # fmt: skip
    return sorted((kind, str(r["day"])[:10], r["per"], r["member"], r["metric"], r["n"])
                  for kind, rows in (("day", days), ("month", months)) for r in rows)  # fmt: skip


async def assert_roll_up_matches_recount(action: str) -> None:
    await tally.bring_up_to_date()
    incremental = await snapshot()
    await tally.rebuild()
    recounted = await snapshot()
    missing = sorted(set(recounted) - set(incremental))
    extra = sorted(set(incremental) - set(recounted))
    assert incremental == recounted, f"after {action}: missing {missing[:5]}, stale {extra[:5]}"


async def backdate(table: Any, column: Any, row_id: int, days_ago: int) -> None:
    await table.update({column: now() - timedelta(days=days_ago)}).where(table.id == row_id)


@pytest.fixture
async def world(app: object) -> dict[str, Any]:
    sleman = await make_user("ani@sleman.go.id", agency="Disdukcapil Kabupaten Sleman", agency_admin=True)
    bantul = await make_user("budi@bantul.go.id", agency="Dinkes Kabupaten Bantul")
    klaten = await make_user("sari@klaten.go.id", agency="Disdukcapil Kabupaten Klaten")
    mod = await make_user("mod@kemenpan.go.id", agency="Kementerian PANRB", role="moderator")
    cases = [await make_thread(sleman, title=f"Kasus lama nomor {n} dari Sleman") for n in range(3)]
    other = await make_thread(bantul, title="Kasus Bantul yang lebih baru", sector="kesehatan", values=["adaptif"])
    replies = []
    for n, case in enumerate(cases):
        replies.append(await add_reply(bantul, case["id"], ReplyInput(body=f"Balasan Bantul untuk kasus {n}"), limits=NO_LIMITS))
        replies.append(await add_reply(klaten, case["id"], ReplyInput(body=f"Balasan Klaten untuk kasus {n}"), limits=NO_LIMITS))
    replication = await declare_interest(bantul, cases[0]["id"], Interest.pick({}))
    indicator_id = await add_indicator(sleman, cases[1]["id"], IndicatorInput.pick({"name": "Waktu layanan", "unit": "hari",
                                                                "baseline_value": "14", "result_value": "3"}))  # fmt: skip
    await set_indicator_verification(sleman, indicator_id, True)
    commitment = await add_commitment(sleman, cases[2]["id"], CommitmentInput.pick({"what": "Menyusun SOP bersama",
                                                               "due_on": (date.today() + timedelta(days=3)).isoformat()}))  # fmt: skip
    # Spread everything over past days, as a real forum would be (each thread and its replies on its own days).
    for n, case in enumerate(cases):
        await backdate(Thread, Thread.created_at, case["id"], 40 + 10 * n)
    for n, reply in enumerate(replies):
        await backdate(Post, Post.created_at, reply["id"], 30 + 3 * n)
    await backdate(Replication, Replication.created_at, replication["id"], 20)
    await backdate(Indicator, Indicator.verified_at, indicator_id, 15)
    await Commitment.update({Commitment.due_on: date.today() - timedelta(days=5)}).where(
        Commitment.id == commitment["id"]
    )
    await tally.rebuild()
    return {"sleman": sleman, "bantul": bantul, "klaten": klaten, "mod": mod, "cases": cases, "other": other,
            "replies": replies, "replication": replication, "indicator": indicator_id,
            "commitment": commitment}  # fmt: skip


async def test_world_is_spread_over_past_days(world: dict[str, Any]) -> None:
    rows = await snapshot()
    days = {row[1] for row in rows if row[0] == "day"}
    assert len(days) >= 8 and date.today().isoformat() in days
    assert len({row[1] for row in rows if row[0] == "month"}) >= 2


async def test_thread_level_moderation_keeps_the_roll_up_exact(world: dict[str, Any]) -> None:
    mod, case = world["mod"], world["cases"][0]["id"]
    await hide_thread(mod, case, "Uji sembunyikan")
    await assert_roll_up_matches_recount("hide_thread")
    await restore_thread(mod, case)
    await assert_roll_up_matches_recount("restore_thread")
    await move_thread(mod, case, "kesehatan", ["harmonis", "loyal"])
    await assert_roll_up_matches_recount("move_thread")
    await merge_thread(mod, world["cases"][1]["id"], world["other"]["id"])
    await assert_roll_up_matches_recount("merge_thread")
    await Thread.update({Thread.status: "pending"}).where(Thread.id == world["cases"][2]["id"])
    await tally.rebuild()  # set up by hand: a thread waiting for review
    await approve_thread(mod, world["cases"][2]["id"])
    await assert_roll_up_matches_recount("approve_thread")
    await delete_thread(mod, case)
    await assert_roll_up_matches_recount("delete_thread")


async def test_edits_and_replies_keep_the_roll_up_exact(world: dict[str, Any]) -> None:
    sleman, case = world["sleman"], world["cases"][2]["id"]
    current = await get_thread(case)
    await edit_thread(sleman, case, ThreadInput.pick({"kind": "diskusi"}), current["version"])
    await assert_roll_up_matches_recount("edit_thread (kind)")
    current = await get_thread(case)
    case_fields = {name: VALID_THREAD[name] for name in ("problem", "solution", "results", "stage", "start_year")}
    await edit_thread(sleman, case, ThreadInput.pick({**case_fields, "kind": "inovasi", "sector": "kesehatan", "values": ["kompeten"]}),
                      current["version"])  # fmt: skip
    await assert_roll_up_matches_recount("edit_thread (sector, values)")
    await add_reply(world["klaten"], case, ReplyInput(body="Balasan baru dari Klaten hari ini"), limits=NO_LIMITS)
    await assert_roll_up_matches_recount("add_reply")
    reply = world["replies"][0]["id"]
    await hide_post(world["mod"], reply, "Uji sembunyikan balasan")
    await assert_roll_up_matches_recount("hide_post")
    await restore_post(world["mod"], reply)
    await assert_roll_up_matches_recount("restore_post")


async def test_flags_keep_the_roll_up_exact(world: dict[str, Any]) -> None:
    case = world["cases"][1]["id"]
    for n in range(3):
        flagger = await make_user(f"pelapor{n}@jogja.go.id", agency=f"Dinas Uji {n}")
        await flag_content(flagger, "thread", case, FlagReport.pick({"reason": "spam", "text": "Iklan"}))
    assert (await Thread.select(Thread.status).where(Thread.id == case).first())["status"] == "hidden"
    await assert_roll_up_matches_recount("automatic hide by flags")
    await resolve_flags(world["mod"], "thread", case, FlagResolution.pick({"resolution": "dismiss"}))
    await assert_roll_up_matches_recount("resolve_flags dismiss")


async def test_collaboration_records_keep_the_roll_up_exact(world: dict[str, Any]) -> None:
    sleman, bantul = world["sleman"], world["bantul"]
    replication = world["replication"]["id"]
    await move_replication(sleman, replication, "agree", ReplicationStep.pick({}))
    await assert_roll_up_matches_recount("agree replication")
    await move_replication(bantul, replication, "implement", ReplicationStep.pick({"implemented_on": date.today().isoformat(),
                                                              "adaptation_note": "Disesuaikan"}))  # fmt: skip
    await assert_roll_up_matches_recount("implement replication")
    await declare_interest(world["klaten"], world["cases"][1]["id"], Interest.pick({}))
    await assert_roll_up_matches_recount("declare_interest")
    await complete_commitment(sleman, world["commitment"]["id"], CommitmentCompletion.pick({"evidence": "SOP sudah terbit"}))
    await assert_roll_up_matches_recount("complete overdue commitment")
    fresh = await add_commitment(sleman, world["cases"][0]["id"], CommitmentInput.pick({"what": "Rapat evaluasi bersama",
                                                                   "due_on": date.today().isoformat()}))  # fmt: skip
    await assert_roll_up_matches_recount("add_commitment")
    await cancel_commitment(sleman, fresh["id"], CommitmentCancellation.pick({"reason": "Digabung dengan rapat lain"}))
    await assert_roll_up_matches_recount("cancel_commitment")
    indicator = world["indicator"]
    await set_indicator_verification(sleman, indicator, False)
    await assert_roll_up_matches_recount("unverify indicator")
    await set_indicator_verification(sleman, indicator, True)
    await backdate(Indicator, Indicator.verified_at, indicator, 12)
    await tally.rebuild()
    await delete_indicator(sleman, indicator)
    await assert_roll_up_matches_recount("delete verified indicator")


async def test_reading_without_marks_writes_nothing(world: dict[str, Any]) -> None:
    assert await tally.bring_up_to_date() == 0
    await tally.mark_days(date.today() - timedelta(days=40), date.today() - timedelta(days=39), date.today())
    assert await tally.bring_up_to_date() == 2  # two runs of consecutive days
    await tally.mark_everything()
    assert await tally.bring_up_to_date() == -1


async def test_many_marked_days_are_recounted_in_several_short_transactions(world: dict[str, Any]) -> None:
    many = tally.DAYS_PER_TRANSACTION + 9
    await tally.mark_days(*(date.today() - timedelta(days=2 * k) for k in range(many)))  # none consecutive
    assert await tally.bring_up_to_date() == many
    assert not await DashboardStaleDay.exists()
    await assert_roll_up_matches_recount("recount of many marked days")


async def test_months_and_days_add_up_to_the_daily_sum(world: dict[str, Any]) -> None:
    """A period read from whole months plus loose days gives what summing every daily row gives."""
    today = date.today()
    first = today - timedelta(days=75)  # at least one whole month, loose days on both sides
    assert tally.split_period(first, today, today)[0] < tally.split_period(first, today, today)[1]
    read = {(r["per"], r["member"], r["metric"]): int(r["n"])
            for r in await tally.read_tally("instansi", first, today, today)}  # fmt: skip
    summed: dict[tuple[str, str, str], int] = {}
    for kind, day, per, member, metric, n in await snapshot():
        in_period = first.isoformat() <= day <= today.isoformat()
        overdue_only = metric != tally.OPEN_COMMITMENTS or day < today.isoformat()
        if kind == "day" and per in ("instansi", "semua") and in_period and overdue_only:
            summed[(per, member, metric)] = summed.get((per, member, metric), 0) + n
    assert read == summed and read


async def test_background_recount_empties_the_marks_without_a_view() -> None:
    async with client_with(dashboard_recount_seconds=1):  # its own app: one pool, one background recounter
        await make_thread(await make_user("ani@sleman.go.id"))  # marks today; nobody views the dashboard
        with anyio.fail_after(10):
            while await DashboardStaleDay.exists():
                await anyio.sleep(0.1)
        rows = await snapshot()
    assert ("day", date.today().isoformat(), "semua", "", "cases", 1) in rows


async def test_a_view_only_reads_and_says_a_recount_is_due(client: httpx.AsyncClient) -> None:
    await make_thread(await make_user("ani@sleman.go.id"))  # marks today
    page = await client.get("/dasbor")
    api = (await client.get("/api/dashboard")).json()
    assert page.status_code == 200 and "Angka sedang diperbarui" in page.text
    assert api["recounting"] is True and api["totals"]["cases"] == 0  # the view did not recount
    assert await DashboardStaleDay.exists()
    await tally.bring_up_to_date()  # the background recount's round
    api = (await client.get("/api/dashboard")).json()
    assert api["recounting"] is False and api["totals"]["cases"] == 1
    assert "Angka sedang diperbarui" not in (await client.get("/dasbor")).text


def test_split_period() -> None:
    d = date
    assert tally.split_period(d(2026, 1, 15), d(2026, 5, 10), d(2026, 11, 28)) == (d(2026, 2, 1), d(2026, 5, 1))
    assert tally.split_period(d(2026, 1, 1), d(2026, 1, 31), d(2026, 11, 28)) == (d(2026, 1, 1), d(2026, 2, 1))
    # The month holding today is never read whole (its open commitments are not all overdue yet).
    assert tally.split_period(d(2026, 10, 1), d(2026, 11, 30), d(2026, 11, 28)) == (d(2026, 10, 1), d(2026, 11, 1))
    assert tally.split_period(d(2026, 11, 2), d(2026, 11, 28), d(2026, 11, 28)) == (d(2026, 11, 2), d(2026, 11, 2))


def test_consecutive_runs() -> None:
    d = date(2026, 1, 10)
    days = [d, d + timedelta(days=1), d + timedelta(days=3), d, d - timedelta(days=1)]
    assert tally.consecutive_runs(days) == [(d - timedelta(days=1), d + timedelta(days=1)),
                                            (d + timedelta(days=3), d + timedelta(days=3))]  # fmt: skip


def test_rebuild_dashboard_command() -> None:
    """`sinergi rebuild-dashboard` recounts a roll-up that lost everything (as after a bulk import)."""
    from click.testing import CliRunner

    from forum.cli import main
    from forum.core.db import run_with_engine as run
    from tests.support import database

    async def world_without_roll_up() -> None:
        await database.wipe()
        await make_thread(await make_user("ani@sleman.go.id"))
        await DashboardTally.delete(force=True)
        await DashboardStaleDay.delete(force=True)

    run(world_without_roll_up)
    result = CliRunner().invoke(main, ["rebuild-dashboard"])
    assert result.exit_code == 0 and "Rekap dasbor dihitung ulang" in result.output
    rows = run(snapshot)
    assert ("day", date.today().isoformat(), "semua", "", "cases", 1) in rows
    run(database.wipe)


async def _replications_counted() -> int:
    rows = await DashboardTally.select(DashboardTally.n).where(
        (DashboardTally.per == tally.ALL) & (DashboardTally.metric.like(f"{tally.REPLICATION_PREFIX}%"))
    )
    return sum(row["n"] for row in rows)


async def test_an_unverified_members_collaboration_counts_once_they_are_verified(world: dict[str, Any]) -> None:
    """Issue "Identity": an unverified account's replication interest and commitment do not move the public
    figures; verification (here by their agency's admin) brings them in, and withdrawing it takes them out."""
    from forum.accounts.roles import verify_member

    newcomer = await make_user("baru@sleman.go.id", agency="Disdukcapil Kabupaten Sleman", verified=False)
    before = await _replications_counted()
    replication = await declare_interest(newcomer, world["other"]["id"], Interest.pick({}))
    await backdate(Replication, Replication.created_at, replication["id"], 12)
    await add_commitment(newcomer, world["other"]["id"], CommitmentInput.pick(
        {"what": "Uji coba di kecamatan kami", "due_on": (date.today() + timedelta(days=9)).isoformat()}))  # fmt: skip
    await assert_roll_up_matches_recount("an unverified member's interest and commitment")
    assert await _replications_counted() == before
    await verify_member(world["sleman"], newcomer.id)
    await assert_roll_up_matches_recount("verifying them")
    assert await _replications_counted() == before + 1
    await verify_member(world["sleman"], newcomer.id, verified=False)
    await assert_roll_up_matches_recount("withdrawing the verification")
    assert await _replications_counted() == before
