"""Real traffic on two workers: wrk drives a weighted mix of pages, searches, API reads and replies.

    .venv/bin/python -m tests.benchmarks.bench_load [--engine sqlite|postgres] [--seconds 15]
        [--connections 4,16,64] [--tree PATH]... [--write]

Each tree (``--tree`` for an older checkout, e.g. ``git worktree add /tmp/base <commit>``; this one always) gets
a fresh database with the demo data and a case with 200 replies, a local Meilisearch with the threads indexed,
Redis for sessions, and uvicorn serving ``create_app()`` with 2 workers and the production page cache
(anonymous pages shared for 2 s). Eight members sign in over HTTP, and one holds an API token. The mix, written
into wrk's Lua script as a table of weighted requests: thread pages 45% (a third of them signed in), lists 15%,
search 20% (API and page), home 5%, dashboard 3%, feeds 2%, replies posted with the bearer token 5%, API thread
reads 5%. Reported per connection count: requests per second, p50 and p99, errors (non-2xx/3xx answers, socket
errors and timeouts), and the CPU wrk itself used, since it shares the two cores with the server.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from search.server import start as start_meilisearch
from tests.benchmarks.common import (
    ENGINE_NAMES,
    ROOT,
    SEED_DEMO_AND_BIG_CASE,
    Server,
    bench_env,
    write_engine_section,
    wrk_percentile_ms,
)

MASTER_KEY = "bench-load-master-key-0123456789"
PASSWORD = "kata-sandi-uji-123"  # tests.support.factories' (the tree being measured makes the members)

SEED = """
import anyio, json
async def main():
""" + SEED_DEMO_AND_BIG_CASE + """
    from forum.core.tables import Thread
    from tests.support.factories import token_for
    threads = await Thread.select(Thread.id, Thread.slug).where(Thread.status == "published").order_by(Thread.id)
    token = await token_for(readers[0])
    await db.release_engine()
    print(json.dumps({"threads": [[t["id"], t["slug"]] for t in threads], "big": big["id"], "token": token,
                      "members": [f"pembaca{n}@bench.go.id" for n in range(8)]}))
anyio.run(main)
"""

SEARCHES = ["pelayanan publik", "ktp elektronik", "antrean daring", "puskesmas", "perizinan", "bantuan sosial",
            "akta kelahiran", "sampah", "stunting", "pajak daerah"]  # fmt: skip
LISTS = ["/topik", "/topik?sektor=kesehatan", "/praktik-baik", "/topik?jenis=inovasi", "/topik?nilai=kolaboratif"]
FEEDS = ["/sektor/kesehatan/feed.xml", "/nilai/kolaboratif/feed.xml"]


def _seed(tree: Path, env: dict[str, str]) -> dict:
    result = subprocess.run([sys.executable, "-c", SEED], env=env, cwd=tree, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-4000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def _sign_in(base: str, email: str) -> str:
    """A browser's sign-in over HTTP; returns its Cookie header."""
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        client.get("/masuk")
        token = client.cookies["csrftoken"]
        answer = client.post("/masuk", data={"email": email, "password": PASSWORD, "_csrf_token": token})
        if answer.status_code != 303:
            raise RuntimeError(f"sign-in of {email}: {answer.status_code} {answer.text[:300]}")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string for this ASCII content


def mix_script(seeded: dict, cookies: list[str], seed: int = 7) -> str:
    """wrk's Lua: 100 weighted slots, each a prepared request; request() picks one at random."""
    rng = random.Random(seed)
    threads = [f"/topik/{tid}/{slug}" for tid, slug in seeded["threads"]]
    big = next(path for path in threads if path.startswith(f"/topik/{seeded['big']}/"))
    token = seeded["token"]
    slots: list[tuple[str, str, dict[str, str], str]] = []

    def add(count: int, make) -> None:  # type: ignore[no-untyped-def]
        slots.extend(make(n) for n in range(count))

    add(30, lambda n: ("GET", big if n % 5 == 0 else rng.choice(threads), {}, ""))  # thread pages, anonymous
    add(15, lambda n: ("GET", big if n % 5 == 0 else rng.choice(threads), {"Cookie": cookies[n % len(cookies)]}, ""))
    add(15, lambda n: ("GET", LISTS[n % len(LISTS)], {"Cookie": cookies[n % len(cookies)]} if n % 3 == 0 else {}, ""))
    add(10, lambda n: ("GET", f"/api/search?q={SEARCHES[n % len(SEARCHES)].replace(' ', '+')}", {}, ""))
    add(10, lambda n: ("GET", f"/cari?q={SEARCHES[n % len(SEARCHES)].replace(' ', '+')}",
                       {"Cookie": cookies[n % len(cookies)]} if n % 3 == 0 else {}, ""))  # fmt: skip
    add(5, lambda n: ("GET", "/", {"Cookie": cookies[n % len(cookies)]} if n % 3 == 0 else {}, ""))
    add(3, lambda n: ("GET", "/dasbor", {}, ""))
    add(2, lambda n: ("GET", FEEDS[n % len(FEEDS)], {}, ""))
    add(5, lambda n: ("POST", f"/api/threads/{seeded['threads'][n][0]}/posts",
                      {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                      json.dumps({"body": f"Balasan uji beban ke-{n}: kami ikut mencoba di daerah kami."})))  # fmt: skip
    add(5, lambda n: ("GET", f"/api/threads/{rng.choice(seeded['threads'])[0]}", {}, ""))
    assert len(slots) == 100
    lines = ["local slots = {}", "init = function(args)"]
    for method, path, headers, body in slots:
        header_table = "{" + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()) + "}"
        lines.append(f"  slots[#slots + 1] = wrk.format({_lua_string(method)}, {_lua_string(path)}, {header_table}, "
                     f"{_lua_string(body) if body else 'nil'})")  # fmt: skip
    lines += ["end", "request = function() return slots[math.random(#slots)] end", ""]
    return "\n".join(lines)


def run_wrk(url: str, script: Path, connections: int, seconds: int) -> dict[str, float]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is needed for this benchmark: apt-get install wrk")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency",
                          "-s", str(script), url], capture_output=True, text=True, check=True).stdout  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    errors += sum(int(n) for n in socket.groups()) if socket else 0
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
            "p50_ms": wrk_percentile_ms(out, 50), "p99_ms": wrk_percentile_ms(out, 99), "errors": errors,
            "wrk_cpu_cores": round(cpu / seconds, 2)}  # fmt: skip


def measure(tree: Path, engine: str, meili_url: str, connections: list[int], seconds: int, label: str) -> dict:
    env = {**bench_env(engine), "MEILI_URL": meili_url, "MEILI_MASTER_KEY": MASTER_KEY,
           "MEILI_INDEX": f"load_{os.getpid()}_{label}", "PYTHONPATH": str(tree), "PAGE_CACHE_SECONDS": "2",
           "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
           "POST_MIN_INTERVAL_SECONDS": "0", "SINERGI_FAST_HASHING": "1"}  # fmt: skip
    seeded = _seed(tree, env)
    server = Server(env, workers=2, tree=tree)
    try:
        cookies = [_sign_in(server.url, email) for email in seeded["members"]]
        script = Path(tempfile.mkdtemp(prefix="sinergi-wrk-")) / "mix.lua"
        script.write_text(mix_script(seeded, cookies), encoding="utf-8")
        run_wrk(server.url, script, 4, 3)  # warm-up: both workers, templates, connections
        return {str(c): run_wrk(server.url, script, c, seconds) for c in connections}
    finally:
        server.stop()


def table(results: dict[str, dict]) -> str:
    lines = ["| tree | wrk connections | req/s | p50 | p99 | errors | wrk's own CPU |", "|---|---:|---:|---:|---:|---:|---:|"]
    for label, rows in results.items():
        for connections, row in rows.items():
            lines.append(f"| {label} | {connections} | {row['rps']:,.0f} | {row['p50_ms']:.1f} ms | "
                         f"{row['p99_ms']:.1f} ms | {row['errors']} | {row['wrk_cpu_cores']} cores |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", default="4,16,64")
    parser.add_argument("--tree", action="append", type=Path, default=[])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    connections = [int(c) for c in args.connections.split(",")]

    meili = start_meilisearch(master_key=MASTER_KEY)
    try:
        results: dict[str, dict] = {}
        for n, tree in enumerate([*args.tree, ROOT]):
            tree = tree.resolve()
            label = "this tree" if tree == ROOT else subprocess.run(
                ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
            results[label] = measure(tree, args.engine, meili.url, connections, args.seconds, str(n))
            print(label, json.dumps(results[label]), flush=True)
    finally:
        meili.stop()
    text = table(results)
    print(text)
    if args.write:
        command = (f".venv/bin/python -m tests.benchmarks.bench_load --engine {args.engine} --seconds {args.seconds}"
                   + "".join(f" --tree {t}" for t in args.tree))  # fmt: skip
        block = f"### {ENGINE_NAMES[args.engine]}\n\nCommand: `{command}`\n\n{text}\n"
        write_engine_section(ROOT / "BENCHMARKS.md", "## Load: the traffic mix on two workers", INTRO, "load",
                             args.engine, block)  # fmt: skip


INTRO = """## Load: the traffic mix on two workers (issue: Capacity)

`tests/benchmarks/bench_load.py`: demo data plus a case with 200 replies; uvicorn with 2 workers, Redis sessions,
Meilisearch, the production page cache (anonymous pages 2 s); wrk (`-t2`, 5 s timeout) on the same two cores
with a Lua mix: thread pages 45% (a third signed in), lists 15%, search 20% (API and page), home 5%, dashboard
3%, feeds 2%, replies posted with a bearer token 5%, API thread reads 5%. Both trees in one run; wrk's own CPU
is what the client took from the server's two cores.
"""


if __name__ == "__main__":
    main()
