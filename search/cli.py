"""``sinergi search-sync`` and ``sinergi reindex``: added to the forum's command group by ``register``."""

from __future__ import annotations

import signal
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio
import click
from meilisearch_python_sdk import AsyncClient

T = TypeVar("T")


def _run(job: Callable[[AsyncClient, str], Awaitable[T]]) -> T:
    """Run one async job with the database engine prepared and a Meilisearch client open, both released after."""
    from forum.core import db
    from forum.core.settings import get_settings
    from search.client import create_client

    settings = get_settings()
    client = create_client(settings)
    if client is None:
        click.echo("Galat: MEILI_URL belum diatur; pencarian tidak dikonfigurasi.", err=True)
        sys.exit(1)

    async def main() -> T:
        await db.prepare_engine()
        try:
            async with client:
                return await job(client, settings.meili_index)
        finally:
            await db.release_engine()

    return anyio.run(main)


@click.command("search-sync")
@click.option("--once", is_flag=True, help="Kirim semua perubahan yang tertunda lalu berhenti.")
def search_sync(once: bool) -> None:
    """Send pending changes (the search outbox) to Meilisearch; runs until stopped unless --once."""
    from search.outbox import drain_once, pending_count, run_worker
    from search.settings import apply_index_settings

    async def job(client: AsyncClient, uid: str) -> None:
        if once:
            await apply_index_settings(client, uid)
            sent = 0
            while (done := await drain_once(client, uid)) > 0:
                sent += done
            left = await pending_count()
            click.echo(f"{sent} perubahan terkirim ke indeks '{uid}'; {left} masih tertunda.")
            if left:
                sys.exit(1)
            return
        stop = anyio.Event()
        async with anyio.create_task_group() as tasks:

            async def stop_on_signal() -> None:
                with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
                    async for _ in signals:
                        stop.set()
                        return

            tasks.start_soon(stop_on_signal)
            click.echo(f"Menyinkronkan perubahan ke indeks '{uid}' (Ctrl+C untuk berhenti)…")
            await run_worker(client, uid, stop)
            tasks.cancel_scope.cancel()

    _run(job)


@click.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index from the database, swapping it in atomically (search keeps answering)."""
    from forum.core.tables import Thread
    from search.reindex import reindex

    async def job(client: AsyncClient, uid: str) -> int:
        total = await Thread.count()
        with click.progressbar(length=total, label="Membangun indeks") as bar:
            return await reindex(client, uid, progress=bar.update)

    count = _run(job)
    click.echo(f"Indeks pencarian dibangun ulang: {count} topik.")


def register(group: click.Group) -> None:
    group.add_command(search_sync)
    group.add_command(reindex_command)
