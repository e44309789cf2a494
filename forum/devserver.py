"""`make run`: a local Meilisearch (if one can be had), a local mail sink, and the app under uvicorn, on the
embedded SQLite.

If Meilisearch cannot be installed or started, the forum still runs and says so. Unless SMTP_HOST is set, mail
goes to a sink on loopback (forum.devmail) and is listed at /dev/surat: nothing reaches a real address.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
from pathlib import Path

import anyio
import uvicorn

from forum.app import create_app
from forum.core.settings import Settings, get_settings


async def _index_if_missing(settings: Settings) -> None:
    """A fresh local Meilisearch (or a lost data folder) gets the whole database indexed before serving, so
    the demo is searchable at once; otherwise the app's outbox worker keeps the index current."""
    from forum.core import db
    from search.client import create_client, index_exists
    from search.reindex import reindex

    client = create_client(settings)
    if client is None:
        return
    await db.prepare_engine()
    try:
        if not await index_exists(client, settings.meili_index):
            count = await reindex(client, settings.meili_index)
            print(f"Indeks pencarian dibangun: {count} topik.", flush=True)
    finally:
        await client.aclose()
        await db.release_engine()


def private_folder(path: Path) -> None:
    """Local data (the SQLite database, the search key and index) is the operator's alone: 0700."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)


def server_config(settings: Settings) -> uvicorn.Config:
    # proxy_headers off: uvicorn would believe any X-Forwarded-For from 127.0.0.1. The app reads it itself, from
    # the proxies in FORWARDED_ALLOW_IPS only (forum/core/proxies.py, forum/web/proxies.py).
    return uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=settings.port, log_level="info", proxy_headers=False
    )


def main() -> None:
    settings = get_settings()
    meili = None
    if not settings.meili_url:
        from search.server import MeilisearchUnavailable, free_port, start

        meili_dir = settings.data_dir / "meili"
        key_file = meili_dir / "master-key"
        private_folder(settings.data_dir)
        private_folder(meili_dir)
        if not key_file.exists():
            # Created 0600 from the start: a key written first and chmod-ed after is readable in between.
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(24))
        key_file.chmod(0o600)
        try:
            meili = start(
                master_key=key_file.read_text().strip(),
                db_path=meili_dir,
                port=free_port(),
                log_path=meili_dir / "meilisearch.log",
            )
            settings = dataclasses.replace(settings, meili_url=meili.url, meili_key=meili.master_key)
            print(f"Meilisearch lokal berjalan di {meili.url}", flush=True)
            anyio.run(_index_if_missing, settings)
        except (MeilisearchUnavailable, OSError) as exc:
            print(f"Peringatan: Meilisearch tidak dapat dijalankan ({exc}). Forum tetap berjalan tanpa pencarian.")
    sink = None
    if not settings.smtp_host:
        from forum.devmail import mail_folder, start_sink

        private_folder(settings.data_dir)
        sink, smtp_port = start_sink(mail_folder())
        settings = dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=smtp_port, smtp_security="none",
                                       smtp_username=None, smtp_password=None)  # fmt: skip
        print(f"Surat tidak dikirim ke luar: lihat http://127.0.0.1:{settings.port}/dev/surat", flush=True)
    print(f"Sinergi berjalan di http://127.0.0.1:{settings.port}  (Ctrl+C untuk berhenti)", flush=True)
    try:
        uvicorn.Server(server_config(settings)).run()
    finally:
        if meili is not None:
            meili.stop()
        if sink is not None:
            sink.stop()


if __name__ == "__main__":
    main()
