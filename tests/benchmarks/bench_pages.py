"""Thread page throughput against a hello-world route, same app, same server, one uvicorn worker.

    .venv/bin/python -m tests.benchmarks.bench_pages [--engine sqlite|postgres] [--seconds 10] [--rounds 3]

The thread has 200 replies; its page shows the case card and the first page of replies (50), with the
session, CSRF, auth and security-header middleware all running. The hello-world route is /healthz (plain
JSON, no database). Rounds alternate between the two URLs and the median of each is reported.

Two configurations are measured, each on its own server: the production default (anonymous pages
micro-cached for 2 s, see forum/web/caching.py) and no page cache at all (what a signed-in reader gets).
"""

from __future__ import annotations

import argparse

from tests.benchmarks.common import Server, bench_env, dump, load, median_of, run_python

SEED = """
import anyio
from forum.core import db
from forum.posting.service import add_reply
from tests.support.database import create_database_and_migrate
from tests.support.factories import make_thread, make_user
from forum.web.flood import NO_LIMITS
from forum.posting.service import ReplyInput

async def main():
    await create_database_and_migrate()
    await db.prepare_engine()
    author = await make_user("penulis@bench.go.id")
    other = await make_user("pembalas@bench.go.id", agency="Dinas Kominfo Kota Bench")
    thread = await make_thread(author, body="Isi **kasus** " + "uraian inovasi pelayanan publik. " * 40)
    for n in range(200):
        await add_reply(other if n % 2 else author, thread["id"],
                        ReplyInput(body=f"Balasan ke-{n}: kami mencoba **replikasi** di kabupaten kami. " * 3), limits=NO_LIMITS)
    await db.release_engine()
    print(thread["url"])

anyio.run(main)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()

    env = bench_env(args.engine)
    thread_path = run_python(SEED, env).strip().splitlines()[-1]
    result: dict = {"engine": args.engine, "seconds": args.seconds, "rounds": args.rounds,
                    "connections": args.connections, "target_ratio": 0.3}  # fmt: skip
    for label, cache_seconds in (("page_cache_2s", "2"), ("no_page_cache", "0")):
        server = Server({**env, "PAGE_CACHE_SECONDS": cache_seconds})
        try:
            hello, thread = [], []
            load(f"{server.url}/healthz", 2, args.connections)  # warm-up
            load(f"{server.url}{thread_path}", 2, args.connections)
            for _ in range(args.rounds):
                hello.append(load(f"{server.url}/healthz", args.seconds, args.connections))
                thread.append(load(f"{server.url}{thread_path}", args.seconds, args.connections))
        finally:
            server.stop()
        hello_median, thread_median = median_of(hello), median_of(thread)
        result[label] = {
            "hello_world": hello_median,
            "thread_page_200_replies": thread_median,
            "ratio_thread_to_hello": round(thread_median["rps"] / hello_median["rps"], 3),
        }
    print(dump(result))


if __name__ == "__main__":
    main()
