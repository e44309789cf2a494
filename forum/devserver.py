"""`make run`: a local Meilisearch (if one can be had) plus the app under uvicorn, on the embedded SQLite.

If Meilisearch cannot be installed or started, the forum still runs and says so.
"""

from __future__ import annotations

import dataclasses
import secrets

import uvicorn

from forum.app import create_app
from forum.settings import get_settings


def main() -> None:
    settings = get_settings()
    meili = None
    if not settings.meili_url:
        from search.server import MeilisearchUnavailable, free_port, start

        meili_dir = settings.data_dir / "meili"
        key_file = meili_dir / "master-key"
        meili_dir.mkdir(parents=True, exist_ok=True)
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(24))
        try:
            meili = start(
                master_key=key_file.read_text().strip(),
                db_path=meili_dir,
                port=free_port(),
                log_path=meili_dir / "meilisearch.log",
            )
            settings = dataclasses.replace(settings, meili_url=meili.url, meili_key=meili.master_key)
            print(f"Meilisearch lokal berjalan di {meili.url}", flush=True)
        except (MeilisearchUnavailable, OSError) as exc:
            print(f"Peringatan: Meilisearch tidak dapat dijalankan ({exc}). Forum tetap berjalan tanpa pencarian.")
    print(f"Sinergi berjalan di http://127.0.0.1:{settings.port}  (Ctrl+C untuk berhenti)", flush=True)
    try:
        uvicorn.run(create_app(settings), host="127.0.0.1", port=settings.port, log_level="info")
    finally:
        if meili is not None:
            meili.stop()


if __name__ == "__main__":
    main()
