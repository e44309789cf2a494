"""What one page costs in process: the app called through httpx's ASGI transport, no network, no page cache.

    .venv/bin/python -m tests.benchmarks.bench_page_cost [--engine sqlite|postgres] [--rounds 5] [--per-round 40]
        [--tree PATH]... [--profile PAGE] [--write]

A fresh database gets the demo data, one innovation case with 200 replies and a local Meilisearch with the
threads indexed. Then each page is requested sequentially (rounds interleave the pages, so a slow moment of the
machine touches all of them), anonymous and signed in as a verified member, with the anonymous page cache off:
what every signed-in request and every cache miss costs. ``/healthz`` runs in the same rounds as the yardstick.
Reported per page: median and p90 wall time of one request and the SQL statements it ran.

``--tree`` runs the very same measurement against another checkout (``git worktree add /tmp/base <commit>``), so
today's main and the new code are compared in one run on one machine. ``--profile thread`` prints a cProfile of
the signed-in thread page instead. ``--write`` puts the table in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from search.server import start as start_meilisearch
from tests.benchmarks.common import ENGINE_NAMES, ROOT, SEED_DEMO_AND_BIG_CASE, bench_env, write_engine_section

MASTER_KEY = "bench-page-cost-master-key-0123456789"

MEASURE = r"""
import anyio, cProfile, io, json, pstats, statistics, sys, time
import httpx

ROUNDS, PER_ROUND, PROFILE = {rounds}, {per_round}, {profile!r}

async def main():
""" + SEED_DEMO_AND_BIG_CASE.replace("{", "{{").replace("}", "}}") + """
    await db.release_engine()

    from forum.app import create_app
    from tests.support.factories import login
    app = create_app()
    statements = [0]
    async with app.lifespan():
        engine_class = type(db.engine())
        run_querystring = engine_class.run_querystring
        async def counted(self, *args, **kwargs):
            statements[0] += 1
            return await run_querystring(self, *args, **kwargs)
        engine_class.run_querystring = counted

        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        anonymous = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        member = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        await login(member, "pembaca0@bench.go.id")
        pages = {{
            "healthz": (anonymous, "/healthz"),
            "thread, 50 of 200 replies, anonymous": (anonymous, big["url"]),
            "thread, 50 of 200 replies, signed in": (member, big["url"]),
            "thread list /topik, signed in": (member, "/topik"),
            "thread list /topik, anonymous": (anonymous, "/topik"),
            "home /, signed in": (member, "/"),
            "search page /cari, signed in": (member, "/cari?q=pelayanan+publik"),
            "search API /api/search": (anonymous, "/api/search?q=pelayanan+publik"),
            "dashboard /dasbor": (anonymous, "/dasbor"),
            "API thread /api/threads/id": (anonymous, f"/api/threads/{{big['id']}}"),
        }}
        for name, (client, path) in pages.items():
            answer = await client.get(path)
            if answer.status_code != 200:
                raise SystemExit(f"{{name}} {{path}}: {{answer.status_code}}")
        if PROFILE:
            client, path = pages[PROFILE]
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(PER_ROUND * ROUNDS):
                await client.get(path)
            profiler.disable()
            profiler.dump_stats("/tmp/sinergi-page.prof")
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("tottime").print_stats(40)
            stats.sort_stats("cumulative").print_stats("forum|search|jinja|piccolo", 60)
            print(out.getvalue(), file=sys.stderr)
            return
        times = {{name: [] for name in pages}}
        queries = {{}}
        for _ in range(ROUNDS):
            for name, (client, path) in pages.items():
                for _ in range(PER_ROUND):
                    statements[0] = 0
                    started = time.perf_counter()
                    answer = await client.get(path)
                    times[name].append((time.perf_counter() - started) * 1000)
                    queries[name] = statements[0]
                    assert answer.status_code == 200, (name, answer.status_code)
        result = {{}}
        for name, values in times.items():
            values.sort()
            result[name] = {{"median_ms": round(statistics.median(values), 2),
                            "p90_ms": round(values[int(len(values) * 0.9)], 2), "queries": queries[name]}}
        print(json.dumps(result))

anyio.run(main)
"""


def measure(tree: Path, env: dict[str, str], rounds: int, per_round: int, profile: str | None) -> dict:
    code = MEASURE.format(rounds=rounds, per_round=per_round, profile=profile)
    child_env = {**env, "PYTHONPATH": str(tree), "PAGE_CACHE_SECONDS": "0"}
    result = subprocess.run([sys.executable, "-c", code], env=child_env, cwd=tree, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-4000:])
    if profile:
        print(result.stderr)
        return {}
    return json.loads(result.stdout.strip().splitlines()[-1])


def git_head(tree: Path) -> str:
    return subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip() or tree.name  # fmt: skip


def table(results: dict[str, dict]) -> str:
    labels = list(results)
    header = "| page | " + " | ".join(f"{label}: median / p90 ms, queries" for label in labels) + " |"
    lines = [header, "|---|" + "---:|" * len(labels)]
    pages = next(iter(results.values()))
    for page in pages:
        cells = []
        for label in labels:
            row = results[label][page]
            cells.append(f"{row['median_ms']} / {row['p90_ms']}, {row['queries']}")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=40)
    parser.add_argument("--tree", action="append", type=Path, default=[], help="another checkout to measure too")
    parser.add_argument("--profile", help="a page name to profile (e.g. 'thread, 50 of 200 replies, signed in')")
    parser.add_argument("--write", action="store_true", help="record the table in BENCHMARKS.md")
    args = parser.parse_args()

    meili = start_meilisearch(master_key=MASTER_KEY)
    try:
        results: dict[str, dict] = {}
        for tree in [*args.tree, ROOT]:
            env = {**bench_env(args.engine), "MEILI_URL": meili.url, "MEILI_MASTER_KEY": MASTER_KEY,
                   "MEILI_INDEX": f"bench_{os.getpid()}_{len(results)}"}  # fmt: skip
            label = "this tree" if tree == ROOT else f"{git_head(tree)}"
            results[label] = measure(tree.resolve(), env, args.rounds, args.per_round, args.profile)
    finally:
        meili.stop()
    if args.profile:
        return
    text = table(results)
    print(text)
    if args.write:
        block = (f"### {ENGINE_NAMES[args.engine]}\n\nCommand: `.venv/bin/python -m tests.benchmarks.bench_page_cost "
                 f"--engine {args.engine}" + "".join(f" --tree {t}" for t in args.tree) + "`\n\n" + text + "\n")  # fmt: skip
        write_engine_section(ROOT / "BENCHMARKS.md", "## Cost of one page, in process", INTRO, "page_cost",
                             args.engine, block)  # fmt: skip


INTRO = """## Cost of one page, in process (issue: Capacity)

`tests/benchmarks/bench_page_cost.py`: demo data plus a case with 200 replies, Meilisearch beside it, the app
called through httpx's ASGI transport with the anonymous page cache off (what every signed-in request costs).
Sequential requests, rounds interleaving the pages; median and p90 of one request, and the SQL statements it
ran. The older tree is measured in the same run, on the same machine, by the same script.
"""


if __name__ == "__main__":
    main()
