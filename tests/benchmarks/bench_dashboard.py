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

from tests.benchmarks.common import Server, bench_env, dump, run_python

FILL = """
import anyio, json, random, time
from datetime import timedelta
from forum import db
from forum.clock import now
from forum.tables import Agency, Commitment, Indicator, Replication, Thread, User
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
    states = ["minat", "disepakati", "diterapkan", "hasil", "dibatalkan"]
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
                                status="selesai" if done else "open",
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
    from forum.tables import DashboardTally
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=15)
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
    print(dump({"engine": args.engine, "threads": args.threads, **filled, "fill_seconds": fill_seconds,
                "recount_one_day_ms": {"p50": recount[len(recount) // 2], "max": recount[-1]},
                "load_average_1min": {"start": load_at_start, "end": round(os.getloadavg()[0], 2)},
                "target_ms": 200, "worst_p95_ms": worst, "results": results}))  # fmt: skip


if __name__ == "__main__":
    main()
