"""Shared plumbing for benchmark scripts: a throwaway database, a uvicorn server, and a load generator."""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from search.server import free_port

ROOT = Path(__file__).resolve().parents[2]


def bench_env(engine: str) -> dict[str, str]:
    """Environment for a benchmark child process: production-like settings on a fresh database."""
    data_dir = Path(tempfile.mkdtemp(prefix="sinergi-bench-"))
    env = {
        **os.environ,
        "SINERGI_ENV": "test",
        "SECRET_KEY": "benchmark-secret-key-0123456789-abcdefghij",
        "SINERGI_DATA_DIR": str(data_dir),
        "LOG_LEVEL": "WARNING",
        "SINERGI_FAST_HASHING": "1",
    }
    env.pop("MEILI_URL", None)
    if engine == "postgres":
        env["DATABASE_URL"] = env.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/sinergi_bench")
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(data_dir / "bench.sqlite3")
    return env


def run_python(code: str, env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    return result.stdout


class Server:
    """uvicorn serving create_app() on a free loopback port: one worker unless told, from this tree or another."""

    def __init__(self, env: dict[str, str], workers: int = 1, tree: Path = ROOT) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "forum.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],  # fmt: skip
            env=env,
            cwd=tree,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


# Child-process code (indented for an ``async def main()``): a fresh database with the demo data and a case with
# 200 replies written by ``readers`` in turn, every thread indexed in the configured Meilisearch. Leaves ``big``.
SEED_DEMO_AND_BIG_CASE = """
    from forum.core import db
    from tests.support.database import create_database_and_migrate
    await create_database_and_migrate()
    await db.prepare_engine()
    from forum import listeners
    listeners.connect()
    from forum.demo.seed import seed_demo
    await seed_demo()
    from forum.posting.service import ReplyInput, add_reply
    from forum.web.flood import NO_LIMITS
    from tests.support.factories import make_thread, make_user
    author = await make_user("penulis@bench.go.id")
    readers = [await make_user(f"pembaca{n}@bench.go.id", agency="Dinas Kominfo Kota Bench") for n in range(8)]
    big = await make_thread(author, title="Layanan antrean daring puskesmas terpadu",
                            body="Isi **kasus** " + "uraian inovasi pelayanan publik. " * 40)
    for n in range(200):
        await add_reply(readers[n % 8] if n % 2 else author, big["id"],
                        ReplyInput(body=f"Balasan ke-{n}: kami mencoba **replikasi** di kabupaten kami. " * 3),
                        limits=NO_LIMITS)
    from forum.core.settings import get_settings
    from search.client import create_client
    from search.reindex import reindex
    settings = get_settings()
    async with create_client(settings) as client:
        await reindex(client, settings.meili_index)
"""


def load(url: str, seconds: int, connections: int) -> dict[str, float]:
    """Requests per second and latency for one URL, measured with wrk (a C load generator)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is needed for this benchmark: apt-get install wrk")
    out = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        raise RuntimeError(f"{url}: {non2xx.group(1)} error responses\n{out}")

    return {"rps": rps, "p50_ms": wrk_percentile_ms(out, 50), "p99_ms": wrk_percentile_ms(out, 99)}


def wrk_percentile_ms(out: str, percent: int) -> float:
    """A latency percentile from wrk's --latency table, in milliseconds."""
    match = re.search(rf"{percent}%\s+([\d.]+)(us|ms|s)", out)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def dump(result: dict) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False)


ENGINE_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def write_engine_section(path: Path, section: str, intro: str, tag: str, engine: str, block: str) -> None:
    """Replace one engine's block of a BENCHMARKS.md section (``<!-- tag engine -->`` markers), keeping the
    other engine's block, and put ``intro`` first. The section is added at the end if it is missing."""
    text = path.read_text(encoding="utf-8")
    blocks: dict[str, str] = {}
    start = text.find(section)
    if start >= 0:
        following = text.find("\n## ", start + len(section))
        end = len(text) if following < 0 else following + 1
        old = text[start:end]
        for name in ENGINE_NAMES:
            match = re.search(rf"<!-- {tag} {name} -->\n(.*?)<!-- /{tag} {name} -->", old, re.S)
            if match:
                blocks[name] = match.group(1)
        before, after = text[:start], text[end:]
    else:
        before, after = text.rstrip("\n") + "\n\n", ""
    blocks[engine] = block.rstrip("\n") + "\n"
    parts = [intro]
    for name in ENGINE_NAMES:
        if name in blocks:
            parts.append(f"<!-- {tag} {name} -->\n{blocks[name]}<!-- /{tag} {name} -->\n")
    path.write_text(before + "\n".join(parts) + ("\n" + after if after else ""), encoding="utf-8")
