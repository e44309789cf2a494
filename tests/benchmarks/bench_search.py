"""Search at 100k threads, side by side in one run: reindex throughput, search latency (ours against raw
Meilisearch), an SQL LIKE baseline, and how long a new thread takes to become findable.

    .venv/bin/python -m tests.benchmarks.bench_search --threads 100000 [--engine sqlite|postgres] [--queries N]

Steps, all against 127.0.0.1:

1. A fresh database (SQLite file, or the PostgreSQL database ``sinergi_bench_search``, created and dropped here)
   filled by ``tests.benchmarks.synthetic.generate``.
2. ``search.reindex.reindex`` over the whole database, once per Meilisearch configuration (the default, then
   ``--max-indexing-threads 2``; each on a fresh Meilisearch 1.21 started by ``search.server.start`` with its
   ``--max-indexing-memory 256MiB``). Document building (``build_documents``) and sending (``add_documents``)
   are timed inside the run; Meilisearch's own side comes from its batches (``GET /batches``: durations and
   the progress trace of every document batch) and from the CPU time of its process.
3. uvicorn with one worker serving ``forum.app:create_app`` (search configured through MEILI_URL,
   MEILI_MASTER_KEY, MEILI_INDEX). ~40 fixed queries (``QUERIES``) are timed one at a time after a warm-up,
   interleaved query by query: ``GET /api/search`` through uvicorn ("ours"), the same search in-process
   (``search.query.run_search``), and the exact multi-search bodies the app's builder produces
   (``search.query.search_threads``, recorded) POSTed raw to Meilisearch with httpx, concurrently when the
   app sends several (disjunctive facets), with ``Accept-Encoding: identity`` and keep-alive ("raw"). In the
   first round(s) the same query also runs as plain SQL: every word ``ILIKE '%word%'`` (LIKE on SQLite)
   against the title, body and case fields, ANDed, with the same filters and order, LIMIT 20, plus a COUNT.
   Interleaving keeps the comparisons fair on a machine whose other jobs come and go.
4. ~30 threads created through ``POST /api/threads`` with a bearer token (flood control off), each with a
   unique nonsense word in its title; ``/api/search?q=<word>`` is polled every 20 ms until the thread is a hit
   (the app's outbox worker does the indexing).
5. SQLite only, last: building 10k documents as the database is (SQLite gathers no planner statistics by
   itself), then after ANALYZE.

Prints the results as JSON and writes this engine's part of the "## Search (issue: Discovery)" section in
BENCHMARKS.md (the other engine's part is kept). Every process started here is stopped here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import string
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from tests.benchmarks.common import ENGINE_NAMES, ROOT, Server, bench_env, dump, write_engine_section

MASTER_KEY = "sinergi-bench-search-master-key-0123456789"
INDEX_UID = "threads"
PG_DATABASE = "sinergi_bench_search"
PG_URL = f"postgresql://postgres@127.0.0.1:5432/{PG_DATABASE}"
SEED = 7
FINDABLE_THREADS = 30
POLL_SECONDS = 0.02
FINDABLE_TIMEOUT_SECONDS = 15.0
TARGETS = {
    "reindex_threads_per_s": 2000,
    "ratio_ours_to_raw": 1.5,
    "ours_p95_ms": 30.0,
    "sql_to_ours": 20.0,
    "findable_p95_s": 1.0,
}
# Meilisearch configurations tried for the reindex (label, max indexing threads or None for Meilisearch's default,
# half the cores); the last one stays up for the latency measurements. search.server.start passes no
# --max-indexing-threads, so the MEILI_MAX_INDEXING_THREADS variable (which Meilisearch reads) sets it.
REINDEX_VARIANTS: list[tuple[str, int | None]] = [
    ("default", None),
    ("max_indexing_threads_2", 2),
]

# ~40 searches people would type, from the synthetic vocabulary (tests/benchmarks/synthetic_words.py):
# plain words, acronyms and their long forms, inflected forms (found through stems), typos, filters, sorts,
# a deep page, and filter-only browsing. "{agency}" is replaced by the slug of the agency with most threads.
QUERIES: list[dict[str, Any]] = [
    {"q": "KTP-el"},
    {"q": "akta kelahiran"},
    {"q": "antrean puskesmas"},
    {"q": "stunting balita"},
    {"q": "imunisasi dasar lengkap"},
    {"q": "MPP"},
    {"q": "mal pelayanan publik"},
    {"q": "kartu tanda penduduk elektronik"},
    {"q": "BPJS rujukan"},
    {"q": "IKD"},
    {"q": "UMKM sertifikasi halal"},
    {"q": "NIB OSS"},
    {"q": "Disdukcapil"},
    {"q": "bank sampah"},
    {"q": "dana desa BUMDes"},
    {"q": "parkir liar"},
    {"q": "melayani lansia"},
    {"q": "pengaduan masyarakat"},
    {"q": "mendaftar pasien"},
    {"q": "dilayani petugas jemput bola"},
    {"q": "pemantauan tumbuh kembang"},
    {"q": "penerbitan akta kematian"},
    {"q": "kependudkan"},
    {"q": "puskesmaas"},
    {"q": "imunisai"},
    {"q": "posyandhu kader"},
    {"q": "aplikasi berbasis android"},
    {"q": "sistem antrean online"},
    {"q": "antrean", "province": ["jawa-tengah"]},
    {"q": "stunting", "value": ["kolaboratif"], "kind": ["inovasi"]},
    {"q": "KTP-el", "province": ["jawa-barat", "jawa-timur"]},
    {"q": "pelayanan", "sector": ["kesehatan"], "stage": ["penerapan"]},
    {"q": "bantuan sosial", "sector": ["sosial"], "sort": "terbaru"},
    {"q": "perizinan", "sort": "balasan"},
    {"q": "pengaduan", "sort": "aktif", "page": "3"},
    {"q": "literasi siswa", "kind": ["permasalahan"]},
    {"q": "layanan", "agency": ["{agency}"]},
    {"q": "", "sector": ["pendidikan"], "sort": "terbaru"},
    {"q": "", "province": ["di-yogyakarta"], "kind": ["inovasi"]},
    {"q": "", "value": ["berorientasi-pelayanan", "adaptif"], "sort": "balasan"},
]

SQL_TEXT_COLUMNS = ("title", "body_source", "problem_source", "solution_source", "results_source")
SQL_ORDER = {
    "relevan": '"last_activity_at" DESC',
    "aktif": '"last_activity_at" DESC',
    "terbaru": '"created_at" DESC',
    "balasan": '"reply_count" DESC, "last_activity_at" DESC',
}
SQL_FILTER_COLUMNS = {"sector": "sector", "province": "province", "kind": "kind", "stage": "stage"}


# --- small helpers ------------------------------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))]


def summary(samples: list[float], digits: int = 2) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50": round(percentile(samples, 0.50), digits),
        "p95": round(percentile(samples, 0.95), digits),
        "mean": round(statistics.fmean(samples), digits),
        "max": round(max(samples), digits),
    }


_ISO_DURATION = re.compile(r"P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?")
_TRACE_DURATION = re.compile(r"([\d.]+)\s*(ns|µs|us|ms|s|m|h)")
_TRACE_UNITS = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def iso_seconds(value: str | None) -> float:
    match = _ISO_DURATION.fullmatch(value or "")
    if not match:
        return 0.0
    days, hours, minutes, seconds = match.groups()
    return int(days or 0) * 86400 + int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)


def trace_seconds(value: str) -> float:
    return sum(float(number) * _TRACE_UNITS[unit] for number, unit in _TRACE_DURATION.findall(value))


def machine_busy_seconds() -> float:
    """CPU seconds spent by everything on the machine (Linux /proc/stat: all but idle and iowait)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """user + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def nonsense_word(rng: random.Random) -> str:
    """A word no text contains and no typo of another such word: 'qx' and ten random letters."""
    return "qx" + "".join(rng.choice(string.ascii_lowercase) for _ in range(10))


def api_params(query: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in query.items() if value not in ("", [], None)}


def as_lists(query: dict[str, Any]) -> dict[str, list[str]]:
    """The query as parse_search_params receives it from a request (every parameter a list)."""
    return {key: value if isinstance(value, list) else [value] for key, value in query.items()}


def describe(query: dict[str, Any]) -> str:
    parts = [repr(query.get("q", ""))]
    parts += [f"{key}={','.join(v) if isinstance(v, list) else v}" for key, v in query.items() if key != "q"]
    return " ".join(parts)


# --- database ---------------------------------------------------------------------------------------------------


async def create_postgres_database() -> None:
    import asyncpg

    connection = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    finally:
        await connection.close()


async def drop_postgres_database() -> None:
    import asyncpg

    connection = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
    finally:
        await connection.close()


async def fill_database(threads: int) -> dict[str, Any]:
    from forum.core import db
    from forum.core.tables import Thread
    from tests.benchmarks.synthetic import ensure_schema, generate

    with contextlib.redirect_stdout(sys.stderr):
        await ensure_schema()
    await db.prepare_engine()
    with contextlib.redirect_stdout(sys.stderr):  # Piccolo prints its migration report: keep stdout for the JSON
        counts = await generate(threads, seed=SEED)
    if not db.is_sqlite():
        # Autovacuum would analyze the freshly copied tables within a minute or so; do it now so the plans do
        # not change half-way through the run. (SQLite never gathers statistics by itself: left as the app has it.)
        await Thread.raw("ANALYZE")
    return counts


# --- 1. reindex ---------------------------------------------------------------------------------------------------


async def meili_get(client: Any, path: str, **params: Any) -> Any:
    response = await client.http_client.get(path, params=params)
    response.raise_for_status()
    return response.json()


async def wait_until_idle(client: Any, timeout: float = 600.0) -> None:
    """Until Meilisearch has no enqueued or processing task."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = await meili_get(client, "tasks", statuses="enqueued,processing", limit=1)
        if not page["results"]:
            return
        await asyncio.sleep(0.05)
    raise RuntimeError("Meilisearch still busy")


def trace_breakdown(batches: list[dict[str, Any]]) -> dict[str, float]:
    """Seconds per step of Meilisearch's progress trace, summed over document batches: the steps under
    "processing tasks > indexing" one by one, the other steps of "processing tasks" as they are."""
    steps: dict[str, float] = {}
    for batch in batches:
        for key, value in ((batch.get("stats") or {}).get("progressTrace") or {}).items():
            parts = key.split(" > ")
            if parts[0] != "processing tasks":
                continue
            if (len(parts) == 3 and parts[1] == "indexing") or (len(parts) == 2 and parts[1] != "indexing"):
                name = parts[-1]
                steps[name] = steps.get(name, 0.0) + trace_seconds(value)
    return dict(sorted(steps.items(), key=lambda item: -item[1]))


async def measure_reindex(label: str, indexing_threads: int | None) -> tuple[dict[str, Any], Any]:
    """One full reindex on a fresh Meilisearch; returns the measurements and the (still running) instance."""
    from meilisearch_python_sdk.index import AsyncIndex

    import search.reindex as reindex_module
    from search import server
    from search.client import create_client
    from search.stemming import stem_word

    saved = os.environ.pop("MEILI_MAX_INDEXING_THREADS", None)
    if indexing_threads is not None:
        os.environ["MEILI_MAX_INDEXING_THREADS"] = str(indexing_threads)
    try:
        instance = server.start(master_key=MASTER_KEY)
    finally:
        os.environ.pop("MEILI_MAX_INDEXING_THREADS", None)
        if saved is not None:
            os.environ["MEILI_MAX_INDEXING_THREADS"] = saved
    client = create_client(meili_settings(instance.url))
    assert client is not None
    stem_word.cache_clear()  # every variant stems its words from scratch, as a fresh process would

    timings = {"build": 0.0, "send": 0.0, "batches": 0, "last_sent": 0.0}
    original_build = reindex_module.build_documents
    original_add = AsyncIndex.add_documents

    async def timed_build(ids: Any) -> Any:
        started = time.perf_counter()
        try:
            return await original_build(ids)
        finally:
            timings["build"] += time.perf_counter() - started

    async def timed_add(self: Any, documents: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await original_add(self, documents, *args, **kwargs)
        finally:
            timings["send"] += time.perf_counter() - started
            timings["batches"] += 1
            timings["last_sent"] = time.perf_counter()

    reindex_module.build_documents = timed_build
    AsyncIndex.add_documents = timed_add  # type: ignore[method-assign]
    meili_cpu = process_cpu_seconds(instance.process.pid)
    own_cpu = time.process_time()
    machine_cpu = machine_busy_seconds()
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    try:
        indexed = await reindex_module.reindex(client, INDEX_UID)
    finally:
        reindex_module.build_documents = original_build
        AsyncIndex.add_documents = original_add  # type: ignore[method-assign]
    wall = time.perf_counter() - started
    meili_cpu = process_cpu_seconds(instance.process.pid) - meili_cpu
    own_cpu = time.process_time() - own_cpu
    other_cpu = max(0.0, machine_busy_seconds() - machine_cpu - meili_cpu - own_cpu)

    batches = [
        batch
        for batch in (await meili_get(client, "batches", limit=1000))["results"]
        if "documentAdditionOrUpdate" in ((batch.get("stats") or {}).get("types") or {})
    ]
    meili_busy = sum(iso_seconds(batch.get("duration")) for batch in batches)
    steps = trace_breakdown(batches)
    traced = sum(steps.values()) or 1.0
    stats = await meili_get(client, f"indexes/{INDEX_UID}/stats")
    result = {
        "label": label,
        "max_indexing_threads": indexing_threads,
        "threads_indexed": indexed,
        "wall_s": round(wall, 2),
        "threads_per_s": round(indexed / wall),
        "python": {
            "build_documents_s": round(timings["build"], 2),
            "build_threads_per_s": round(indexed / timings["build"]) if timings["build"] else None,
            "add_documents_calls": timings["batches"],
            "add_documents_s": round(timings["send"], 2),
            # Wall time after the last add_documents call: Meilisearch finishing what was sent, then the swap.
            "waiting_after_last_batch_s": round(wall - (timings["last_sent"] - started), 2),
            "cpu_s": round(own_cpu, 1),
        },
        # CPU the rest of the machine used meanwhile (other people's jobs): the two cores are shared.
        "other_processes_cpu_s": round(other_cpu, 1),
        "other_processes_avg_cores": round(other_cpu / wall, 2),
        "loadavg_1m_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "meilisearch": {
            "document_batches": len(batches),
            "batch_sizes": [batch["details"].get("indexedDocuments") for batch in reversed(batches)],
            "busy_s": round(meili_busy, 2),
            "busy_share_of_wall": round(meili_busy / wall, 2),
            "threads_per_busy_s": round(indexed / meili_busy) if meili_busy else None,
            "cpu_s": round(meili_cpu, 1),
            "avg_cores_busy": round(meili_cpu / wall, 2),
            # The best this run's CPU work allows on this machine: all cores busy with nothing but the reindex.
            "ceiling_threads_per_s_if_cores_were_free": round(
                indexed / ((meili_cpu + own_cpu) / (os.cpu_count() or 1))
            ),
            "trace_top_steps_s": {name: round(seconds, 2) for name, seconds in list(steps.items())[:8]},
            "trace_top_steps_share": {name: round(seconds / traced, 3) for name, seconds in list(steps.items())[:8]},
            "index_documents": stats.get("numberOfDocuments"),
            "index_size_mb": round((stats.get("rawDocumentDbSize") or 0) / 1e6, 1),
        },
    }
    await client.aclose()
    return result, instance


def stop_meilisearch(instance: Any) -> None:
    """Stop a Meilisearch started here and delete its data (a 100k index is ~1 GB on disk)."""
    instance.stop()
    shutil.rmtree(instance.db_path, ignore_errors=True)


def meili_settings(url: str) -> Any:
    from forum.core.settings import get_settings

    return dataclasses.replace(get_settings(), meili_url=url, meili_key=MASTER_KEY, meili_index=INDEX_UID)


# --- 2. search latency --------------------------------------------------------------------------------------------


async def recorded_bodies(client: Any, request: Any) -> list[dict[str, Any]]:
    """The multi-search bodies the app sends for one search, captured from search.query.search_threads."""
    import search.query as query_module

    bodies: list[dict[str, Any]] = []
    original = query_module._multi_search

    async def recording(meili: Any, body: dict[str, Any]) -> dict[str, Any]:
        bodies.append(json.loads(json.dumps(body)))
        return await original(meili, body)

    query_module._multi_search = recording
    try:
        await query_module.search_threads(client, INDEX_UID, request)
    finally:
        query_module._multi_search = original
    return bodies


FORMATTING_KEYS = ("attributesToHighlight", "attributesToCrop", "cropLength", "cropMarker", "highlightPreTag",
                   "highlightPostTag")


def body_variant(body: dict[str, Any], *, formatting: bool = True, facets: bool = True, stems: bool = True) -> dict:
    """The main multi-search body with parts left out, to see what Meilisearch spends its time on."""
    queries = body["queries"] if stems else body["queries"][:1]
    if not formatting:
        queries = [{key: value for key, value in query.items() if key not in FORMATTING_KEYS} for query in queries]
    federation = dict(body["federation"])
    if not facets:
        federation.pop("facetsByIndex", None)
    return {"federation": federation, "queries": queries}


VARIANTS = {
    "as_sent": {},
    "without_highlight_crop": {"formatting": False},
    "without_facets": {"facets": False},
    "without_stemmed_query": {"stems": False},
    "bare_query": {"formatting": False, "facets": False, "stems": False},
}


async def measure_variants(meili_url: str, bodies: list[list[dict[str, Any]]], rounds: int) -> dict[str, Any]:
    """Each query's main body (the one with hits) in variants, sequential: wall and processingTimeMs."""
    import httpx

    headers = {"Authorization": f"Bearer {MASTER_KEY}", "Accept-Encoding": "identity",
               "Content-Type": "application/json"}  # fmt: skip
    out: dict[str, Any] = {}
    walls: dict[str, list[float]] = {name: [] for name in VARIANTS}
    engine: dict[str, list[float]] = {name: [] for name in VARIANTS}
    async with httpx.AsyncClient(base_url=meili_url, headers=headers, timeout=10) as http:
        for round_number in range(rounds + 1):
            for per_query in bodies:
                for name, options in VARIANTS.items():
                    payload = json.dumps(body_variant(per_query[0], **options))
                    started = time.perf_counter()
                    response = await http.post("/multi-search", content=payload)
                    took = (time.perf_counter() - started) * 1000
                    response.raise_for_status()
                    if round_number:  # round 0 warms up
                        walls[name].append(took)
                        engine[name].append(response.json().get("processingTimeMs", 0))
    for name in VARIANTS:
        out[name] = {"wall_ms": summary(walls[name]), "processing_ms_p50": statistics.median(engine[name])}
    return out


async def measure_latency(
    app_url: str, meili_url: str, queries: list[dict[str, Any]], samples: int, sql_rounds: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Ours, in-process and raw, one request at a time, interleaved query by query; the SQL baseline runs in the
    first ``sql_rounds`` rounds, interleaved too, so that all of them see the same machine (other jobs come and go).
    Returns (latency, sql_baseline)."""
    import httpx

    from search.client import create_client
    from search.query import parse_search_params, run_search

    client = create_client(meili_settings(meili_url))
    assert client is not None
    requests = [parse_search_params(as_lists(api_params(query))) for query in queries]
    bodies = [await recorded_bodies(client, request) for request in requests]
    raw_headers = {"Authorization": f"Bearer {MASTER_KEY}", "Accept-Encoding": "identity",
                   "Content-Type": "application/json"}  # fmt: skip
    rounds = max(1, math.ceil(samples / len(queries)), sql_rounds)
    sql = SqlBaseline(queries)
    ours: list[float] = []
    raw: list[float] = []
    inproc: list[float] = []
    engine_ms: list[float] = []
    per_query: list[dict[str, Any]] = []
    by_query = {i: {"ours": [], "raw": [], "inproc": []} for i in range(len(queries))}
    degraded = 0
    async with (
        httpx.AsyncClient(base_url=app_url, timeout=10) as app_http,
        httpx.AsyncClient(base_url=meili_url, headers=raw_headers, timeout=10) as meili_http,
    ):

        async def one_ours(index: int) -> tuple[float, dict[str, Any]]:
            started = time.perf_counter()
            response = await app_http.get("/api/search", params=api_params(queries[index]))
            took = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            return took, response.json()

        async def one_raw(index: int) -> tuple[float, list[dict[str, Any]]]:
            started = time.perf_counter()
            responses = await asyncio.gather(
                *(meili_http.post("/multi-search", content=json.dumps(body)) for body in bodies[index])
            )
            took = (time.perf_counter() - started) * 1000
            for response in responses:
                response.raise_for_status()
            return took, [response.json() for response in responses]

        async def one_inproc(index: int) -> float:
            started = time.perf_counter()
            await run_search(client, INDEX_UID, requests[index])
            return (time.perf_counter() - started) * 1000

        totals: dict[int, int] = {}
        for index in range(len(queries)):  # warm-up, and what each query finds
            _, data = await one_ours(index)
            await one_raw(index)
            await one_inproc(index)
            totals[index] = data["total"]
        await sql.warm_up()
        for round_number in range(rounds):
            for index in range(len(queries)):
                if round_number < sql_rounds:
                    await sql.run(index)
                took, data = await one_ours(index)
                degraded += bool(data.get("degraded"))
                ours.append(took)
                by_query[index]["ours"].append(took)
                took, answers = await one_raw(index)
                raw.append(took)
                by_query[index]["raw"].append(took)
                engine_ms.append(max(answer.get("processingTimeMs", 0) for answer in answers))
                took = await one_inproc(index)
                inproc.append(took)
                by_query[index]["inproc"].append(took)
    await client.aclose()
    variants = await measure_variants(meili_url, bodies, rounds=2)
    for index, query in enumerate(queries):
        per_query.append({
            "query": describe(query),
            "total": totals[index],
            "meili_requests": len(bodies[index]),
            "ours_p50_ms": round(statistics.median(by_query[index]["ours"]), 2),
            "inproc_p50_ms": round(statistics.median(by_query[index]["inproc"]), 2),
            "raw_p50_ms": round(statistics.median(by_query[index]["raw"]), 2),
        })  # fmt: skip
    ours_s, raw_s = summary(ours), summary(raw)
    latency = {
        "queries": len(queries),
        "rounds": rounds,
        "ours_http_ms": ours_s,
        "inprocess_run_search_ms": summary(inproc),
        "raw_meilisearch_ms": raw_s,
        "meili_processing_time_ms": summary(engine_ms, 1),
        "ratio_ours_to_raw_p50": round(ours_s["p50"] / raw_s["p50"], 2),
        "ratio_ours_to_raw_p95": round(ours_s["p95"] / raw_s["p95"], 2),
        "degraded_responses": degraded,
        "zero_hit_queries": [item["query"] for item in per_query if item["total"] == 0],
        "raw_main_body_variants": variants,
        "per_query": per_query,
    }
    baseline = sql.result(sql_rounds)
    baseline["ratio_sql_to_ours_p50"] = round(baseline["ms"]["p50"] / ours_s["p50"], 1)
    baseline["ratio_sql_to_ours_p95"] = round(baseline["ms"]["p95"] / ours_s["p95"], 1)
    return latency, baseline


# --- 3. SQL baseline ----------------------------------------------------------------------------------------------


def sql_for(request: Any, sqlite: bool) -> tuple[str, str, list[Any]]:
    """(select, count, args): every word in one of the text columns, the request's filters, its order."""
    operator = "LIKE" if sqlite else "ILIKE"
    conditions = ['"status" = {}']
    args: list[Any] = ["published"]
    for word in request.q.split()[:8]:
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", word) + "%"
        conditions.append(
            "(" + " OR ".join(f'"{column}" {operator} {{}} ESCAPE \'\\\'' for column in SQL_TEXT_COLUMNS) + ")"
        )
        args += [pattern] * len(SQL_TEXT_COLUMNS)

    def among(values: tuple[str, ...]) -> str:
        args.extend(values)
        return ", ".join("{}" for _ in values)

    for param, column in SQL_FILTER_COLUMNS.items():
        if request.chosen(param):
            conditions.append(f'"{column}" IN ({among(request.chosen(param))})')
    if request.chosen("value"):
        tagged = among(request.chosen("value"))
        conditions.append(f'"id" IN (SELECT "thread" FROM "thread_value" WHERE "value" IN ({tagged}))')
    if request.chosen("agency"):
        slugs = among(request.chosen("agency"))
        conditions.append(f'"agency" IN (SELECT "id" FROM "agency" WHERE "slug" IN ({slugs}))')
    where = " AND ".join(conditions)
    offset = (request.page - 1) * request.per_page
    select = (f'SELECT "id", "title", "last_activity_at" FROM "thread" WHERE {where} '
              f"ORDER BY {SQL_ORDER[request.sort]} LIMIT {request.per_page} OFFSET {offset}")  # fmt: skip
    return select, f'SELECT COUNT(*) AS "total" FROM "thread" WHERE {where}', args


class SqlBaseline:
    """The queries as plain SQL through Piccolo's engine (the app's own connection settings)."""

    def __init__(self, queries: list[dict[str, Any]]) -> None:
        from forum.core.db import is_sqlite
        from search.query import parse_search_params

        self.sqlite = is_sqlite()
        self.queries = queries
        self.statements = [sql_for(parse_search_params(as_lists(api_params(query))), self.sqlite) for query in queries]
        self.samples: list[float] = []
        self.per_query: dict[int, dict[str, Any]] = {}

    async def warm_up(self) -> None:
        from forum.core.tables import Thread

        select, _, args = self.statements[0]
        await Thread.raw(select, *args)

    async def run(self, index: int) -> None:
        from forum.core.tables import Thread

        select, count, args = self.statements[index]
        started = time.perf_counter()
        rows = await Thread.raw(select, *args)
        total = (await Thread.raw(count, *args))[0]["total"]
        took = (time.perf_counter() - started) * 1000
        self.samples.append(took)
        self.per_query.setdefault(index, {"query": describe(self.queries[index]), "total": total, "rows": len(rows),
                                          "ms": round(took, 1)})  # fmt: skip

    def result(self, rounds: int) -> dict[str, Any]:
        return {"operator": "LIKE" if self.sqlite else "ILIKE", "rounds": rounds, "ms": summary(self.samples, 1),
                "per_query": [self.per_query[index] for index in sorted(self.per_query)]}  # fmt: skip


# --- 4. findable after POST ---------------------------------------------------------------------------------------


async def make_poster() -> str:
    from forum.accounts.api_tokens import create_api_token
    from tests.support.factories import make_user

    user = await make_user("penguji.pencarian@bench.go.id", name="Penguji Pencarian")
    assert user.is_trusted
    return await create_api_token(user.email, name="bench_search")


async def measure_findable(app_url: str, token: str, count: int) -> dict[str, Any]:
    import httpx

    from tests.support.factories import VALID_THREAD

    rng = random.Random(SEED)
    delays: list[float] = []
    post_ms: list[float] = []
    polls: list[int] = []
    missed = 0
    async with httpx.AsyncClient(base_url=app_url, timeout=10) as http:
        for _ in range(count):
            word = nonsense_word(rng)
            body = {**VALID_THREAD, "title": f"Uji keterlacakan {word}: layanan KTP-el antar ke rumah"}
            started = time.perf_counter()
            response = await http.post("/api/threads", json=body, headers={"Authorization": f"Bearer {token}"})
            returned = time.perf_counter()
            if response.status_code != 201:
                raise RuntimeError(f"POST /api/threads: {response.status_code} {response.text[:300]}")
            post_ms.append((returned - started) * 1000)
            thread_id = response.json()["id"]
            n = 0
            while True:
                n += 1
                poll_started = time.perf_counter()
                found = await http.get("/api/search", params={"q": word})
                found.raise_for_status()
                if any(hit["id"] == thread_id for hit in found.json()["hits"]):
                    delays.append(time.perf_counter() - returned)
                    polls.append(n)
                    break
                if time.perf_counter() - returned > FINDABLE_TIMEOUT_SECONDS:
                    missed += 1
                    break
                await asyncio.sleep(max(0.0, POLL_SECONDS - (time.perf_counter() - poll_started)))
    return {
        "threads": count,
        "found": len(delays),
        "not_found_within_s": {str(FINDABLE_TIMEOUT_SECONDS): missed},
        "seconds": summary(delays, 3) if delays else None,
        "post_ms": summary(post_ms, 1),
        "polls_p50": statistics.median(polls) if polls else None,
    }


# --- 5. SQLite without statistics -------------------------------------------------------------------------------


async def measure_sqlite_statistics(threads: int) -> dict[str, Any]:
    """Document building for the first threads as the database is (SQLite never gathers statistics by itself),
    then after ANALYZE: without statistics the planner may pick an unselective index (it chose post.status
    while the status was in the WHERE clause). Run last: ANALYZE changes every plan of this throwaway database."""
    from forum.core.tables import Post
    from search.documents import build_documents

    ids = list(range(1, threads + 1))
    # The replies query search.documents sends (the status is checked in Python).
    plan_sql = ('EXPLAIN QUERY PLAN SELECT "thread", "status", "body_html" FROM "post" WHERE "thread" IN (1, 2, 3) '
                'ORDER BY "id"')  # fmt: skip
    out: dict[str, Any] = {"threads": threads}
    for label in ("without_statistics", "after_analyze"):
        if label == "after_analyze":
            await Post.raw("ANALYZE")
        plan = await Post.raw(plan_sql)
        await build_documents(ids[:500])  # warm
        started = time.perf_counter()
        for start in range(0, threads, 1000):
            await build_documents(ids[start : start + 1000])
        took = time.perf_counter() - started
        out[label] = {"seconds": round(took, 2), "threads_per_s": round(threads / took),
                      "replies_query_plan": " / ".join(row.get("detail", "") for row in plan)}  # fmt: skip
    return out


# --- the run ------------------------------------------------------------------------------------------------------


def machine_note() -> dict[str, Any]:
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")  # fmt: skip
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(int(memory) / 1024 / 1024),
        "python": platform.python_version(),
        "loadavg_1m_at_start": round(os.getloadavg()[0], 2),
    }


async def run(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    from forum.core import db
    from forum.core.tables import Thread

    result: dict[str, Any] = {
        "engine": args.engine,
        "threads": args.threads,
        "date": date.today().isoformat(),
        "machine": machine_note(),
        "targets": TARGETS,
    }
    instance = None
    server = None
    started = time.perf_counter()
    try:
        if args.engine == "postgres":
            await create_postgres_database()
        step = time.perf_counter()
        counts = await fill_database(args.threads)
        result["data"] = {**counts, "seconds": round(time.perf_counter() - step, 1)}
        print(f"[bench_search] data: {result['data']}", file=sys.stderr, flush=True)

        result["reindex"] = {}
        for label, indexing_threads in REINDEX_VARIANTS:
            if instance is not None:
                stop_meilisearch(instance)
                instance = None
            measured, instance = await measure_reindex(label, indexing_threads)
            result["reindex"][label] = measured
            print(f"[bench_search] reindex {label}: {measured['threads_per_s']} threads/s "
                  f"({measured['wall_s']} s)", file=sys.stderr, flush=True)  # fmt: skip
        best = max(result["reindex"].values(), key=lambda item: item["threads_per_s"])
        result["reindex_best"] = {"label": best["label"], "threads_per_s": best["threads_per_s"]}

        # The queries' one data-dependent filter: the agency with the most threads.
        top = await Thread.raw(
            'SELECT "agency"."slug" AS "slug" FROM "thread" JOIN "agency" ON "agency"."id" = "thread"."agency" '
            'GROUP BY "agency"."slug" ORDER BY COUNT(*) DESC, "agency"."slug" LIMIT 1'
        )
        queries = [
            {key: [top[0]["slug"] if v == "{agency}" else v for v in value] if isinstance(value, list) else value
             for key, value in query.items()}
            for query in QUERIES
        ]  # fmt: skip
        token = await make_poster()

        assert instance is not None
        server = Server({**env, "MEILI_URL": instance.url, "MEILI_MASTER_KEY": MASTER_KEY, "MEILI_INDEX": INDEX_UID,
                         "POST_MIN_INTERVAL_SECONDS": "0", "PAGE_CACHE_SECONDS": "0"})  # fmt: skip
        from search.client import create_client

        admin = create_client(meili_settings(instance.url))
        assert admin is not None
        await asyncio.sleep(0.5)  # the app's worker applies the (unchanged) index settings at start-up
        await wait_until_idle(admin)
        await admin.aclose()

        step = time.perf_counter()
        result["search_latency"], result["sql_baseline"] = await measure_latency(
            server.url, instance.url, queries, args.queries, args.sql_rounds
        )
        result["search_latency"]["seconds"] = round(time.perf_counter() - step, 1)
        result["search_latency"]["loadavg_1m_after"] = round(os.getloadavg()[0], 2)
        print(f"[bench_search] latency: ours {result['search_latency']['ours_http_ms']} raw "
              f"{result['search_latency']['raw_meilisearch_ms']}", file=sys.stderr, flush=True)  # fmt: skip

        print(f"[bench_search] sql: {result['sql_baseline']['ms']}", file=sys.stderr, flush=True)

        step = time.perf_counter()
        result["findable"] = await measure_findable(server.url, token, args.findable)
        result["findable"]["seconds_taken"] = round(time.perf_counter() - step, 1)
        print(f"[bench_search] findable: {result['findable']['seconds']}", file=sys.stderr, flush=True)
        server.stop()
        server = None
        if db.is_sqlite():
            result["sqlite_statistics"] = await measure_sqlite_statistics(min(args.threads, 10_000))
            print(f"[bench_search] sqlite statistics: {result['sqlite_statistics']}", file=sys.stderr, flush=True)
    finally:
        if server is not None:
            server.stop()
        if instance is not None:
            stop_meilisearch(instance)
        await db.release_engine()
        if args.engine == "postgres":
            with contextlib.suppress(Exception):
                await drop_postgres_database()
    result["machine"]["loadavg_1m_at_end"] = round(os.getloadavg()[0], 2)
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    result["met"] = targets_met(result)
    return result


def targets_met(result: dict[str, Any]) -> dict[str, bool]:
    latency = result["search_latency"]
    findable = result["findable"]
    return {
        "reindex_threads_per_s": result["reindex_best"]["threads_per_s"] >= TARGETS["reindex_threads_per_s"],
        "ratio_ours_to_raw": max(latency["ratio_ours_to_raw_p50"], latency["ratio_ours_to_raw_p95"])
        <= TARGETS["ratio_ours_to_raw"],
        "ours_p95_ms": latency["ours_http_ms"]["p95"] <= TARGETS["ours_p95_ms"],
        "sql_to_ours": min(result["sql_baseline"]["ratio_sql_to_ours_p50"],
                           result["sql_baseline"]["ratio_sql_to_ours_p95"]) >= TARGETS["sql_to_ours"],  # fmt: skip
        "findable_p95_s": bool(findable["seconds"]) and findable["found"] == findable["threads"]
        and findable["seconds"]["p95"] <= TARGETS["findable_p95_s"],
    }


# --- BENCHMARKS.md ------------------------------------------------------------------------------------------------

SECTION = "## Search (issue: Discovery)"


def section_intro(threads: int) -> str:
    return f"""{SECTION}

Command (one engine per run; 3 minutes each at 100k threads, up to 8 when the machine is slow):

```sh
.venv/bin/python -m tests.benchmarks.bench_search --threads {threads} --engine sqlite
.venv/bin/python -m tests.benchmarks.bench_search --threads {threads} --engine postgres
```

What it does (`tests/benchmarks/bench_search.py`): a fresh database filled with synthetic threads
(`tests/benchmarks/synthetic.py`: Indonesian text, ~2 replies a thread, case fields on innovations); a full
`search.reindex.reindex` on a fresh Meilisearch 1.21 (`--max-indexing-memory 256MiB`), once with Meilisearch's
default indexing threads and once with `--max-indexing-threads 2`, document building timed inside the run and
Meilisearch's side read from its own batches (`GET /batches`: durations and progress trace) and its CPU time;
then one uvicorn worker serving `create_app()` against the second instance. ~40 fixed queries (words,
acronyms and long forms, inflected forms, typos, facet filters, sorts, a deep page, filter-only browsing) are
sent one at a time after a warm-up, interleaved query by query: `GET /api/search` ("ours"), `run_search`
in-process, the very multi-search bodies the app's query builder produces POSTed raw to Meilisearch with httpx
(keep-alive, `Accept-Encoding: identity`; the app's concurrent disjunctive-facet requests sent concurrently
too), and, in the first round, the same query as plain SQL (every word `ILIKE '%word%'` in title, body or case
fields, ANDed, same filters and order, LIMIT 20 plus a COUNT; LIKE on SQLite). Then 30 threads are created
through `POST /api/threads` (bearer token, flood control off) and `/api/search` is polled every 20 ms until
each is found. On SQLite, last, building 10k documents is timed before and after `ANALYZE`. Latencies are wall
time at the client, sequential requests; the client shares the two cores. The machine is shared with other
people's jobs: the run records the load average and, during each reindex, the CPU the other jobs used.

The machine's speed moves these figures as much as the code does. Generating the data is a yardstick (pure
Python and database work, nothing of search): the same code, run earlier on 2026-11-28 while generating the
same 100k threads took 28 s on SQLite and 36 s on PostgreSQL (about half this machine's usual speed), measured
reindex 1,176–1,474 threads/s and search p95 53 ms, both short of their targets; the runs below generated
the data in the time they state.
"""


def engine_block(result: dict[str, Any]) -> str:
    engine = result["engine"]
    name = ENGINE_NAMES[engine]
    reindex = result["reindex"]
    latency = result["search_latency"]
    sql = result["sql_baseline"]
    findable = result["findable"]
    met = result["met"]
    machine = result["machine"]
    mark = {True: "**met**", False: "not met"}

    def reindex_cell(item: dict[str, Any]) -> str:
        meili, build = item["meilisearch"], item["python"]["build_documents_s"]
        return (f"{item['threads_per_s']:,}/s ({item['wall_s']:.0f} s; build {build:.0f} s,"
                f" Meilisearch busy {meili['busy_s']:.0f} s on {meili['avg_cores_busy']} cores; "
                f"other jobs {item['other_processes_avg_cores']} cores)")  # fmt: skip

    ours, raw, inproc = latency["ours_http_ms"], latency["raw_meilisearch_ms"], latency["inprocess_run_search_ms"]
    rows = [
        "| measure | result | target | |",
        "| --- | --- | --- | --- |",
    ]
    for label, item in reindex.items():
        flags = "default indexing threads" if label == "default" else "`--max-indexing-threads 2`"
        rows.append(f"| reindex, {flags} | {reindex_cell(item)} | ≥ 2,000/s | "
                    f"{mark[item['threads_per_s'] >= TARGETS['reindex_threads_per_s']]} |")  # fmt: skip
    rows += [
        f"| search, ours (`GET /api/search` via uvicorn) p50 / p95 | {ours['p50']:.1f} / {ours['p95']:.1f} ms | "
        f"p95 ≤ 30 ms | {mark[met['ours_p95_ms']]} |",
        f"| search, raw Meilisearch (same bodies) p50 / p95 | {raw['p50']:.1f} / {raw['p95']:.1f} ms "
        f"(engine's processingTimeMs p50 {latency['meili_processing_time_ms']['p50']:.0f}) | | |",
        f"| search, `run_search` in-process p50 / p95 | {inproc['p50']:.1f} / {inproc['p95']:.1f} ms | | |",
        f"| ratio ours / raw, p50 / p95 | {latency['ratio_ours_to_raw_p50']:.2f} / "
        f"{latency['ratio_ours_to_raw_p95']:.2f} | "
        f"≤ 1.5 | {mark[met['ratio_ours_to_raw']]} |",
        f"| SQL {sql['operator']} baseline p50 / p95 | {sql['ms']['p50']:,.0f} / {sql['ms']['p95']:,.0f} ms | | |",
        f"| ratio SQL / ours, p50 / p95 | {sql['ratio_sql_to_ours_p50']:,} / {sql['ratio_sql_to_ours_p95']:,} | "
        f"≥ 20 | {mark[met['sql_to_ours']]} |",
    ]
    if findable["seconds"]:
        seconds = findable["seconds"]
        rows.append(
            f"| POST → findable, p50 / p95 / max ({findable['found']} of {findable['threads']}) | "
            f"{seconds['p50'] * 1000:.0f} / {seconds['p95'] * 1000:.0f} / {seconds['max'] * 1000:.0f} ms | "
            f"p95 ≤ 1 s | {mark[met['findable_p95_s']]} |"
        )
    threads_label = f"{result['threads']:,}"
    header = (
        f"### {name}, {threads_label} threads — run of {result['date']}\n\n"
        f"{machine['cores']} cores, {machine['memory_gib']} GiB, Python {machine['python']}, Meilisearch 1.21.0; "
        f"1-minute load average {machine['loadavg_1m_at_start']} at the start and {machine['loadavg_1m_at_end']} at "
        f"the end (other jobs shared the machine when it is above ~1). Data: {result['data']['threads']:,} threads, "
        f"{result['data']['posts']:,} replies, generated in {result['data']['seconds']:.0f} s; whole run "
        f"{result['total_seconds'] / 60:.1f} min.\n"
    )
    return "\n".join([header, *rows, "", reading(result)])


def reading(result: dict[str, Any]) -> str:
    reindex = result["reindex"]
    latency = result["search_latency"]
    sql = result["sql_baseline"]
    findable = result["findable"]
    met = result["met"]
    best = reindex[result["reindex_best"]["label"]]
    default, two = reindex.get("default"), reindex.get("max_indexing_threads_2")
    lines = ["Reading it honestly:", ""]

    steps = best["meilisearch"]["trace_top_steps_s"]
    shares = best["meilisearch"]["trace_top_steps_share"]
    top = ", ".join(f"{name} {seconds:.0f} s ({shares[name]:.0%})" for name, seconds in list(steps.items())[:4])
    verdict = "meets" if met["reindex_threads_per_s"] else "misses"
    proximity = sum(share for name, share in shares.items() if "proximity" in name)
    ceiling = best["meilisearch"]["ceiling_threads_per_s_if_cores_were_free"]
    lines.append(
        f"- **Reindex {verdict} the 2,000 threads/s target**: {best['threads_per_s']:,}/s at best "
        f"({best['label'].replace('_', ' ')}). Building the documents in Python took "
        f"{best['python']['build_documents_s']:.0f} s of the {best['wall_s']:.0f} s "
        f"(≈ {best['python']['build_threads_per_s']:,} threads/s on its own, overlapped with indexing); Meilisearch "
        f"was busy indexing {best['meilisearch']['busy_s']:.0f} s ({best['meilisearch']['busy_share_of_wall']:.0%} "
        f"of the wall, {best['meilisearch']['document_batches']} auto-batches, "
        f"≈ {best['meilisearch']['threads_per_busy_s']:,} threads per busy second) on "
        f"{best['meilisearch']['avg_cores_busy']} cores on average, and was still working "
        f"{best['python']['waiting_after_last_batch_s']:.0f} s after the last batch was sent. Its progress trace, "
        f"summed over batches: {top}. The CPU work sets the ceiling: Meilisearch used "
        f"{best['meilisearch']['cpu_s']:.0f} CPU-s and Python (building, sending, the database driver) "
        f"{best['python']['cpu_s']:.0f} CPU-s for {best['threads_indexed']:,} threads, so even with both cores free "
        f"of anything else this reindex could not beat ≈ {ceiling:,}"
        f" threads/s. Word proximity is {proximity:.0%} of Meilisearch's indexing time (the index uses "
        "`proximityPrecision: byAttribute`, `facetSearch: false`, and a stemmed field holding only the stems a "
        "thread lacks as words)."
        + ("" if met["reindex_threads_per_s"] else " Reaching 2,000/s on two cores needs the Python build and "
           "Meilisearch's word extraction both cheaper, or Meilisearch on its own cores.")
    )
    if default and two:
        change = two["threads_per_s"] / default["threads_per_s"] - 1
        saturation = (default["meilisearch"]["avg_cores_busy"] + default["python"]["cpu_s"] / default["wall_s"]
                      + default["other_processes_avg_cores"])  # fmt: skip
        lines.append(
            f"- `--max-indexing-threads 2` against the default: {two['threads_per_s']:,} vs "
            f"{default['threads_per_s']:,} threads/s ({change:+.0%}). Meilisearch spent "
            f"{two['meilisearch']['cpu_s']:.0f} vs {default['meilisearch']['cpu_s']:.0f} CPU-s on the same work, "
            f"{two['meilisearch']['avg_cores_busy']} vs {default['meilisearch']['avg_cores_busy']} cores on average; "
            f"other jobs on the machine used {two['other_processes_avg_cores']} vs "
            f"{default['other_processes_avg_cores']} cores. In the default run Meilisearch, the Python builder and "
            f"the other jobs kept ≈ {saturation:.1f} of the 2 cores busy; a second indexing thread can only use what "
            f"is left (≈ {max(0.0, 2 - saturation):.1f} core) or take CPU share from the other processes, which on a "
            "production box would be the web app serving requests. `search/server.py` therefore leaves Meilisearch's "
            "default; a dedicated Meilisearch host can set `MEILI_MAX_INDEXING_THREADS`."
        )
    ours, raw, inproc = latency["ours_http_ms"], latency["raw_meilisearch_ms"], latency["inprocess_run_search_ms"]
    lines.append(
        f"- **Search latency**: ours p95 {ours['p95']:.1f} ms "
        f"({'meets' if met['ours_p95_ms'] else 'misses'} ≤ 30 ms); ours/raw {latency['ratio_ours_to_raw_p50']} at "
        f"p50 and {latency['ratio_ours_to_raw_p95']} at p95 ({'meets' if met['ratio_ours_to_raw'] else 'misses'} "
        f"≤ 1.5). Of the {ours['p50'] - raw['p50']:.1f} ms the app adds at p50, "
        f"{inproc['p50'] - raw['p50']:.1f} ms is `run_search` itself (building bodies, shaping and escaping "
        f"hits, agency names from a 60-second cache) and {ours['p50'] - inproc['p50']:.1f} ms is uvicorn, "
        f"Litestar's middleware stack and JSON. Meilisearch's own processingTimeMs p50 is "
        f"{latency['meili_processing_time_ms']['p50']:.0f} ms of the raw {raw['p50']:.1f} ms."
        + (f" Meilisearch alone answers these very requests at p95 {raw['p95']:.1f} ms, above the 30 ms target before "
           "the app adds anything: meeting it needs cheaper requests (next points), not a faster app."
           if raw["p95"] > TARGETS["ours_p95_ms"] else "")
    )
    slowest = sorted(latency["per_query"], key=lambda item: -item["ours_p50_ms"])[:4]
    lines.append(
        "- The slowest searches (ours p50 / raw p50, Meilisearch requests): "
        + "; ".join(f"{item['query']} {item['ours_p50_ms']:.0f} / {item['raw_p50_ms']:.0f} ms, "
                    f"{item['meili_requests']}" for item in slowest)  # fmt: skip
        + ". A sort over many matches costs Meilisearch most; a filtered search sends one more request per filtered "
        "facet (its disjunctive counts), concurrently."
    )
    variants = latency["raw_main_body_variants"]
    described = {
        "as_sent": "as sent",
        "without_highlight_crop": "without highlighting and cropping",
        "without_facets": "without facet counts",
        "without_stemmed_query": "without the stemmed second query",
        "bare_query": "bare (none of the three)",
    }
    lines.append(
        "- Where Meilisearch's time goes (each query's main request alone, raw, p50 / p95 wall): "
        + "; ".join(f"{described[name]} {item['wall_ms']['p50']:.1f} / {item['wall_ms']['p95']:.1f} ms"
                    for name, item in variants.items())  # fmt: skip
        + "."
    )
    zero = latency["zero_hit_queries"]
    if zero:
        lines.append(f"- Queries with no hit (each records a search miss in the database): {', '.join(zero)}.")
    sql_zero = [item["query"] for item in sql["per_query"] if item["total"] == 0]
    sql_ok = [sql[f"ratio_sql_to_ours_{p}"] >= TARGETS["sql_to_ours"] for p in ("p50", "p95")]
    sql_verdict = {(True, True): "met", (False, False): "missed", (True, False): "met at p50, missed at p95",
                   (False, True): "missed at p50, met at p95"}[tuple(sql_ok)]  # fmt: skip
    lines.append(
        f"- **SQL baseline** ({sql['operator']}, no index can serve '%word%'): p50 {sql['ms']['p50']:,.0f} ms, "
        f"p95 {sql['ms']['p95']:,.0f} ms, {sql['ratio_sql_to_ours_p50']:,}× / {sql['ratio_sql_to_ours_p95']:,}× "
        f"ours (target ≥ 20×: {sql_verdict}), while finding less: "
        f"{len(sql_zero)} of {len(sql['per_query'])} queries found nothing in SQL (typos, long forms, "
        "acronyms written differently) against "
        f"{len(zero)} with Meilisearch."
    )
    stats = result.get("sqlite_statistics")
    if stats:
        before, after = stats["without_statistics"], stats["after_analyze"]
        faster = before["seconds"] / after["seconds"] - 1
        lines.append(
            f"- SQLite planner statistics: building {stats['threads']:,} documents took {before['seconds']:.1f} s as "
            f"the database is (replies query plan: {before['replies_query_plan']}) and {after['seconds']:.1f} s "
            f"after `ANALYZE` ({after['replies_query_plan']}), {faster:+.0%} speed. The replies query filters on "
            "the thread only (the status is checked in Python), so its plan no longer depends on statistics that "
            "SQLite never gathers by itself."
        )
    if findable["seconds"]:
        seconds = findable["seconds"]
        lines.append(
            f"- **POST → findable**: p50 {seconds['p50'] * 1000:.0f} ms, p95 {seconds['p95'] * 1000:.0f} ms, max "
            f"{seconds['max'] * 1000:.0f} ms ({'meets' if met['findable_p95_s'] else 'misses'} p95 ≤ 1 s): the "
            "outbox worker sleeps 200 ms when idle, then builds the document, sends it, and waits for the task "
            f"on a {result['threads'] // 1000}k-document index; POST itself p50 {findable['post_ms']['p50']:.0f} ms."
        )
    return "\n".join(lines)


def write_benchmarks(result: dict[str, Any], path: Path = ROOT / "BENCHMARKS.md") -> None:
    write_engine_section(path, SECTION, section_intro(result["threads"]), "bench_search", result["engine"],
                         engine_block(result))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--queries", type=int, default=400, help="timed searches per target (whole rounds of ~40)")
    parser.add_argument("--sql-rounds", type=int, default=1, help="rounds of the SQL baseline (each ~40 queries)")
    parser.add_argument("--findable", type=int, default=FINDABLE_THREADS, help="threads created and polled for")
    parser.add_argument("--no-write", action="store_true", help="print the JSON only, leave BENCHMARKS.md alone")
    args = parser.parse_args()

    env = bench_env(args.engine)
    if args.engine == "postgres":
        env["DATABASE_URL"] = PG_URL
    for key in ("DATABASE_URL", "SQLITE_PATH", "MEILI_URL", "MEILI_MASTER_KEY", "MEILI_INDEX"):
        os.environ.pop(key, None)
    os.environ.update(env)
    from forum.core.settings import load_settings, use_settings

    use_settings(load_settings())  # the environment just set, not one read before
    try:
        result = asyncio.run(run(args, env))
    finally:
        shutil.rmtree(env["SINERGI_DATA_DIR"], ignore_errors=True)  # the SQLite file (~0.5 GB at 100k)
    print(dump(result))
    if not args.no_write:
        write_benchmarks(result)
        print(f"[bench_search] wrote the {ENGINE_NAMES[args.engine]} part of {SECTION!r} in BENCHMARKS.md",
              file=sys.stderr)  # fmt: skip


if __name__ == "__main__":
    main()
