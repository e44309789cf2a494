"""`sinergi search-sync` and `sinergi reindex`, run as a person would run them."""

from __future__ import annotations

from typing import Any

import anyio
import click
import httpx
import pytest
from click.testing import CliRunner

import forum.core.settings
from forum.core import db
from search import server
from search.cli import register
from tests.search.conftest import MASTER_KEY, settings_for
from tests.search.helpers import discussion, person, post
from tests.support import database


def _in_engine(job: Any) -> Any:
    async def run() -> Any:
        await db.prepare_engine()
        try:
            return await job()
        finally:
            await db.release_engine()

    return anyio.run(run)


def _document_ids(meili: server.LocalMeilisearch, uid: str) -> list[int]:
    response = httpx.get(f"{meili.url}/indexes/{uid}/documents", params={"fields": "id", "limit": 100},
                         headers={"Authorization": f"Bearer {MASTER_KEY}"})  # fmt: skip
    return sorted(document["id"] for document in response.json()["results"])


def test_sync_once_and_reindex(meili: server.LocalMeilisearch, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_for(meili.url)
    monkeypatch.setattr(forum.core.settings, "get_settings", lambda: settings)
    group = click.Group("sinergi")
    register(group)
    assert {"search-sync", "reindex"} <= set(group.commands)

    async def content() -> list[int]:
        author = await person()
        return [(await post(author, **discussion(f"Topik untuk CLI nomor {n}")))["id"] for n in range(3)]

    try:
        thread_ids = _in_engine(content)
        runner = CliRunner()
        synced = runner.invoke(group, ["search-sync", "--once"])
        assert synced.exit_code == 0, synced.output
        assert "3 perubahan terkirim" in synced.output and "0 masih tertunda" in synced.output
        assert _document_ids(meili, settings.meili_index) == sorted(thread_ids)
        rebuilt = runner.invoke(group, ["reindex"])
        assert rebuilt.exit_code == 0, rebuilt.output
        assert "dibangun ulang: 3 topik" in rebuilt.output
        assert _document_ids(meili, settings.meili_index) == sorted(thread_ids)
    finally:
        _in_engine(database.wipe)
        httpx.delete(f"{meili.url}/indexes/{settings.meili_index}", headers={"Authorization": f"Bearer {MASTER_KEY}"})


def test_commands_refuse_without_meilisearch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forum.core.settings, "get_settings", lambda: settings_for(None))
    group = click.Group("sinergi")
    register(group)
    result = CliRunner().invoke(group, ["search-sync", "--once"])
    assert result.exit_code == 1 and "MEILI_URL belum diatur" in result.output
