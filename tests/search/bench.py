"""Reindex throughput and search latency on a few thousand realistic threads (not part of the test run).

    SINERGI_TEST_DB=sqlite|postgres .venv/bin/python -m tests.search.bench --threads 5000

The demo threads (forum/demo/demo.json, with their case fields and replies) are loaded through the domain
functions, then copied with plain inserts until there are ``--threads`` of them. PostgreSQL uses its own
database (sinergi_bench) so a test run elsewhere is not disturbed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="sinergi-bench-"))
os.environ.update(
    {
        "SINERGI_ENV": "test",
        "SINERGI_DATA_DIR": str(_TMP),
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
    }
)
os.environ.pop("MEILI_URL", None)
if os.environ.get("SINERGI_TEST_DB", "sqlite") == "postgres":
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/sinergi_bench"
    )
else:
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(_TMP / "bench.sqlite3")

import anyio  # noqa: E402

from forum import db  # noqa: E402
from forum.core.tables import Post, Thread, ThreadValue  # noqa: E402
from forum.demo.seed import seed_demo  # noqa: E402
from search import server  # noqa: E402
from search.client import create_client  # noqa: E402
from search.query import SearchRequest, run_search  # noqa: E402
from search.reindex import reindex  # noqa: E402
from tests.search.conftest import MASTER_KEY, settings_for  # noqa: E402
from tests.support.database import create_database_and_migrate  # noqa: E402

QUERIES = [
    SearchRequest(q="KTP-el"),
    SearchRequest(q="melayani warga"),
    SearchRequest(q="kependudkan"),
    SearchRequest(q="MPP"),
    SearchRequest(q="antrean puskesmas", filters={"province": ("jawa-tengah", "jawa-timur")}),
    SearchRequest(q="stunting", filters={"value": ("kolaboratif",), "kind": ("inovasi",)}),
    SearchRequest(q="", sort="terbaru"),
    SearchRequest(q="pengaduan", sort="balasan", page=3),
]


async def _multiply(target: int) -> int:
    """Copy the demo threads (and their values and replies) until there are ``target`` threads."""
    threads = await Thread.select()
    values = await ThreadValue.select()
    posts = await Post.select()
    by_thread_values: dict[int, list[str]] = {}
    for row in values:
        by_thread_values.setdefault(row["thread"], []).append(row["value"])
    by_thread_posts: dict[int, list[dict]] = {}
    for row in posts:
        by_thread_posts.setdefault(row["thread"], []).append(row)
    count = len(threads)
    copy = 0
    while count < target:
        batch = []
        for _ in range(min(250, target - count)):
            base = threads[copy % len(threads)]
            copy += 1
            fields = {key: value for key, value in base.items() if key != "id"}
            fields["title"] = f"{base['title'][:180]} (salinan {copy})"
            fields["created_at"] = base["created_at"] - timedelta(minutes=copy)
            batch.append((base["id"], Thread(**fields)))
        inserted = await Thread.insert(*[thread for _, thread in batch]).returning(Thread.id)
        new_values, new_posts = [], []
        for (base_id, _), row in zip(batch, inserted, strict=True):
            new_values += [ThreadValue(thread=row["id"], value=v) for v in by_thread_values.get(base_id, [])]
            new_posts += [Post(**{**{k: v for k, v in p.items() if k not in ("id", "thread")}, "thread": row["id"]})
                          for p in by_thread_posts.get(base_id, [])]  # fmt: skip
        if new_values:
            await ThreadValue.insert(*new_values)
        if new_posts:
            await Post.insert(*new_posts)
        count += len(batch)
    return count


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def main(target: int) -> None:
    await create_database_and_migrate()
    await db.prepare_engine()
    instance = server.start(master_key=MASTER_KEY)
    try:
        await seed_demo()
        total = await _multiply(target)
        replies = await Post.count()
        print(f"engine: {'sqlite' if db.is_sqlite() else 'postgres'}; threads: {total}; replies: {replies}")
        settings = settings_for(instance.url)
        client = create_client(settings)
        assert client is not None
        async with client:
            started = time.perf_counter()
            indexed = await reindex(client, settings.meili_index)
            elapsed = time.perf_counter() - started
            print(f"reindex: {indexed} threads in {elapsed:.2f} s = {indexed / elapsed:,.0f} threads/s (end to end, "
                  "including Meilisearch indexing)")  # fmt: skip
            started = time.perf_counter()
            indexed = await reindex(client, settings.meili_index)
            elapsed = time.perf_counter() - started
            print(f"reindex again (swap with a live index): {indexed / elapsed:,.0f} threads/s")
            for request in QUERIES:  # warm up
                await run_search(client, settings.meili_index, request)
            samples: list[float] = []
            per_query: dict[str, list[float]] = {}
            for _ in range(30):
                for request in QUERIES:
                    t0 = time.perf_counter()
                    result = await run_search(client, settings.meili_index, request)
                    took = (time.perf_counter() - t0) * 1000
                    assert not result.degraded
                    samples.append(took)
                    per_query.setdefault(f"{request.q or '(kosong)'} {dict(request.active_filters())}", []).append(took)
            print(f"run_search (federated raw+stemmed, disjunctive facets, agency names): "
                  f"p50 {_percentile(samples, 0.5):.1f} ms, p95 {_percentile(samples, 0.95):.1f} ms")  # fmt: skip
            for name, values in per_query.items():
                result = await run_search(client, settings.meili_index,
                                          next(r for r in QUERIES if name.startswith(r.q or "(kosong)")))  # fmt: skip
                print(f"  {name:70} median {statistics.median(values):5.1f} ms  total {result.total}")
    finally:
        instance.stop()
        await db.release_engine()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=5000)
    anyio.run(main, parser.parse_args().threads)
