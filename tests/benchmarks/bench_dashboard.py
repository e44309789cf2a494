"""Dashboard latency at 100k synthetic threads (target: every view answers within 200 ms).

    .venv/bin/python -m tests.benchmarks.bench_dashboard [--threads 100000] [--engine sqlite|postgres] [--runs 15]

Fills a fresh database with the synthetic generator, adds collaboration records in proportion (a
replication for every 20th case, a commitment for every 10th thread, an indicator for every 8th case,
a third of them verified), counts it all into the dashboard's daily roll-up (timed, like `sinergi
rebuild-dashboard`), times the recount of one marked day (what each new thread or reply costs the next
dashboard view), then starts uvicorn with one worker and times GET /api/dashboard and GET /dasbor for each
grouping over the default one-year period and over three years. Sequential requests, median and p95 of
--runs after a warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import httpx

from tests.benchmarks.common import ENGINE_NAMES, ROOT, Server, bench_env, dump, run_python, write_engine_section

FILL = """
import anyio, json, random, time
from datetime import timedelta
from forum.core import db
from forum.core.clock import now
from forum.core.tables import Agency, Commitment, Indicator, Replication, Thread, User
from tests.benchmarks.synthetic import generate

async def main():
    from piccolo.apps.migrations.commands.forwards import run_forwards
    await run_forwards(app_name="forum", migration_id="all")
    await db.prepare_engine()
    await generate({threads}, seed=7)
    rng = random.Random(7)
    cases = await Thread.select(Thread.id, Thread.agency, Thread.author, Thread.created_at).where(Thread.kind == "inovasi")
    threads = await Thread.select(Thread.id, Thread.author, Thread.agency, Thread.created_at)
    agencies = [row["id"] for row in await Agency.select(Agency.id)]
    owners = await User.select(User.id, User.agency)
    states = ["interest", "agreed", "implemented", "reported", "cancelled"]
    today = now()
    batch = []
    for case in cases[::20]:
        batch.append(Replication(source_thread=case["id"], agency=rng.choice(agencies), requested_by=case["author"],
                                 state=rng.choice(states), created_at=case["created_at"] + timedelta(days=rng.randint(1, 90))))
    for start in range(0, len(batch), 1000):
        await Replication.insert(*batch[start:start + 1000])
    batch = []
    for thread in threads[::10]:
        owner = rng.choice(owners)
        due = (thread["created_at"] + timedelta(days=rng.randint(7, 120))).date()
        done = rng.random() < 0.6
        batch.append(Commitment(thread=thread["id"], what="Tindak lanjut sintetis", owner=owner["id"],
                                owner_agency=owner["agency"], due_on=due, created_by=thread["author"],
                                status="done" if done else "open",
                                closed_at=thread["created_at"] + timedelta(days=rng.randint(1, 150)) if done else None))
    for start in range(0, len(batch), 1000):
        await Commitment.insert(*batch[start:start + 1000])
    batch = []
    for n, case in enumerate(cases[::8]):
        verified = n % 3 == 0
        batch.append(Indicator(thread=case["id"], name="Waktu layanan", unit="hari", baseline_value=10, result_value=4,
                               created_by=case["author"], verified_by=case["author"] if verified else None,
                               verified_at=case["created_at"] + timedelta(days=30) if verified else None))
    for start in range(0, len(batch), 1000):
        await Indicator.insert(*batch[start:start + 1000])
    # Those rows went in behind the services' back: count everything into the roll-up (timed), then time what
    # keeping it current costs: the recount of one marked day (what a new reply or thread marks), ten days.
    from forum.dashboard import tally
    from forum.core.tables import DashboardTally
    started = time.perf_counter()
    await tally.rebuild()
    rebuild_seconds = time.perf_counter() - started
    day_ms = []
    for k in range(10):
        await tally.mark_days(today.date() - timedelta(days=37 * k))
        started = time.perf_counter()
        await tally.bring_up_to_date()
        day_ms.append((time.perf_counter() - started) * 1000)
    tally_rows = await DashboardTally.count()
    await db.release_engine()
    print(json.dumps({"cases": len(cases), "rebuild_seconds": round(rebuild_seconds, 1), "tally_rows": tally_rows,
                      "recount_day_ms": sorted(round(ms, 1) for ms in day_ms)}))

anyio.run(main)
"""


def timed(client: httpx.Client, path: str, runs: int) -> dict[str, float]:
    client.get(path)  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text[:300]
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 1), "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 1),
            "max_ms": round(samples[-1], 1)}  # fmt: skip


SECTION = "## Dashboard (issue: Collaboration made measurable)"


def section_intro(threads: int) -> str:
    return f"""{SECTION}

Commands (one engine per run; about 4 minutes each):

```sh
.venv/bin/python -m tests.benchmarks.bench_dashboard --threads {threads} --runs 10
.venv/bin/python -m tests.benchmarks.bench_dashboard --engine postgres --threads {threads} --runs 10
```

What it does (`tests/benchmarks/bench_dashboard.py`): {threads:,} synthetic threads (`tests/benchmarks/synthetic.py`,
~65% of them innovation cases, ~2 replies a thread over three years, 500 agencies), plus a replication for
every 20th case, a commitment for every 10th thread and an indicator for every 8th case; then the dashboard's
roll-up is counted from scratch (what `sinergi rebuild-dashboard` does, timed), the recount of one marked day
is timed ten times (what a new thread or reply costs the next view, or the background recount), and uvicorn
with one worker, no page cache, answers sequential requests after a warm-up: `/api/dashboard?per=X` over the
default last 12 months and over three years, the page `/dasbor` and `/dasbor.csv`.

How the dashboard answers (`forum/dashboard/tally.py`): every change that can move a figure marks the days
it touches in the same transaction; the marked days are recounted from the source tables (one INSERT … SELECT
per kind of event, summed for every grouping) into a daily roll-up (day × grouping × member × metric), and
their months change by the difference in a monthly roll-up. A view sums whole past months from the monthly
rows and the loose days around them from the daily rows: one aggregate query, plus one for agency names.
The app recounts marked days in the background every 5 s (`DASHBOARD_RECOUNT_SECONDS`), and a view first
recounts whatever is still marked, so figures are never stale.
"""


def engine_block(result: dict) -> str:
    rows = "\n".join(f"| `{view}` | {r['p50_ms']:,.0f} / {r['p95_ms']:,.0f} ms | "
                      f"{'met' if r['p95_ms'] <= result['target_ms'] else '**not met**'} |"
                      for view, r in result["results"].items())  # fmt: skip
    load = result["load_average_1min"]
    recount = result["recount_one_day_ms"]
    worst = result["worst_p95_ms"]
    verdict = "every view meets" if worst <= result["target_ms"] else "not every view meets"
    return f"""### {ENGINE_NAMES[result["engine"]]}, {result["threads"]:,} threads — run of {result["date"]}

1-minute load average {load["start"]} at the start and {load["end"]} at the end (2 cores, shared with other
jobs when above ~1). {result["cases"]:,} innovation cases; the roll-up holds {result["tally_rows"]:,} daily rows,
counted from scratch in {result["rebuild_seconds"]} s; recounting one marked day (and its month) takes
{recount["p50"]:.0f} ms at the median, {recount["max"]:.0f} ms at most.

| view | p50 / p95 | ≤ {result["target_ms"]} ms |
| --- | ---: | --- |
{rows}

Worst p95 {worst:,.0f} ms: {verdict} the {result["target_ms"]} ms target. The per-agency views cost most (about
500 agencies × months × metrics to sum); a view that comes right after a change, before the background recount
ran, also pays for recounting the touched day ({recount["p50"]:.0f} ms at the median).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print the JSON only, leave BENCHMARKS.md alone")
    args = parser.parse_args()
    env = bench_env(args.engine)
    if args.engine == "postgres":
        env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + "/sinergi_bench_dashboard"
        run_python("import asyncio, asyncpg\nasync def m():\n c = await asyncpg.connect('postgresql://postgres@127.0.0.1:5432/postgres')\n"
                   " await c.execute('DROP DATABASE IF EXISTS sinergi_bench_dashboard WITH (FORCE)')\n"
                   " await c.execute('CREATE DATABASE sinergi_bench_dashboard')\n await c.close()\nasyncio.run(m())", env)  # fmt: skip
    load_at_start = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    filled = json.loads(run_python(FILL.replace("{threads}", str(args.threads)), env).strip().splitlines()[-1])
    fill_seconds = round(time.perf_counter() - started, 1)
    server = Server({**env, "PAGE_CACHE_SECONDS": "0"})
    results: dict[str, dict[str, float]] = {}
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            for per in ("instansi", "sektor", "nilai", "provinsi"):
                results[f"api per={per}"] = timed(client, f"/api/dashboard?per={per}", args.runs)
                results[f"api per={per}, 3 years"] = timed(
                    client, f"/api/dashboard?per={per}&dari={time.strftime('%Y')}-01-01".replace(
                        time.strftime("%Y"), str(int(time.strftime("%Y")) - 2)), args.runs)  # fmt: skip
            results["page /dasbor"] = timed(client, "/dasbor", args.runs)
            results["csv /dasbor.csv"] = timed(client, "/dasbor.csv", args.runs)
    finally:
        server.stop()
    worst = max(r["p95_ms"] for r in results.values())
    recount = filled.pop("recount_day_ms")
    result = {"engine": args.engine, "threads": args.threads, "date": time.strftime("%Y-%m-%d"), **filled,
              "fill_seconds": fill_seconds, "recount_one_day_ms": {"p50": recount[len(recount) // 2], "max": recount[-1]},
              "load_average_1min": {"start": load_at_start, "end": round(os.getloadavg()[0], 2)},
              "target_ms": 200, "worst_p95_ms": worst, "results": results}  # fmt: skip
    print(dump(result))
    if not args.no_write:
        write_engine_section(ROOT / "BENCHMARKS.md", SECTION, section_intro(args.threads), "bench_dashboard",
                             args.engine, engine_block(result))  # fmt: skip


if __name__ == "__main__":
    main()
