"""Drain the search outbox into Meilisearch: claim rows, sync their threads, mark them done once the task succeeded.

Rows are written by the forum in the same transaction as the change (forum.core.indexing), so a change that was
committed is never lost: if Meilisearch is down, rows stay pending with a growing retry delay and are sent
when it is back. A row is marked done only after Meilisearch reports the task as *succeeded*.

Rows say "upsert" or "delete", but the drainer syncs each claimed thread to what the database says *now*:
a thread that exists is re-sent whole, a thread that is gone is deleted. That makes the order of rows
irrelevant and collapses any number of rows for one thread into one document.

Claiming, and why it differs per engine:
* PostgreSQL: several app workers drain at once. ``SELECT … FOR UPDATE SKIP LOCKED`` in a transaction gives
  each drainer its own rows; the transaction stays open until the rows are marked, so a crashed drainer's
  rows simply unlock. Two drainers could still hold different rows of the *same* thread and send its
  document out of order (the older build last), so each thread is also taken with a transaction-level
  advisory lock; a thread another drainer holds is left for the next round.
* SQLite: the database has a single writer, and holding a write transaction across HTTP calls would block
  every post. Instead one drainer at a time (across processes on the host) takes an exclusive lock file
  next to the database, reads its rows, syncs, and marks them in a short IMMEDIATE transaction.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

import anyio
from meilisearch_python_sdk import AsyncClient

from forum.core.clock import now
from forum.core.db import engine, is_sqlite, write_transaction
from forum.core.tables import SearchOutbox
from search.client import describe_error, index_exists, wait_for_tasks
from search.documents import build_documents
from search.settings import PRIMARY_KEY, apply_index_settings

logger = logging.getLogger("sinergi.search")

ENTITY = "thread"
RETRY_BASE_SECONDS = 2
RETRY_MAX_SECONDS = 300  # the delay stops growing at 5 minutes: after a long outage, rows go within 5 minutes
TASK_TIMEOUT_SECONDS = 60
KEEP_DONE_ROWS = timedelta(days=7)
PURGE_EVERY_SECONDS = 3600
# Namespace for pg_try_advisory_xact_lock(namespace, thread_id): "SI" for Sinergi search.
_ADVISORY_NAMESPACE = 0x5349


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the ``attempts``-th failure: 2 s, 4 s, 8 s … capped at 5 minutes."""
    return timedelta(seconds=min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)))


def _pending_rows() -> Any:
    return (
        SearchOutbox.select(SearchOutbox.id, SearchOutbox.entity_id, SearchOutbox.attempts)
        .where(SearchOutbox.done_at.is_null() & (SearchOutbox.available_at <= now()) & (SearchOutbox.entity == ENTITY))
        .order_by(SearchOutbox.id)
    )


async def sync_threads(client: AsyncClient, uid: str, thread_ids: Sequence[int]) -> None:
    """Make the index agree with the database for these threads; returns once Meilisearch succeeded."""
    if not await index_exists(client, uid):
        # Meilisearch lost its data (or nobody configured the index yet): never let add_documents create the
        # index with default settings.
        await apply_index_settings(client, uid)
    documents = await build_documents(thread_ids)
    present = {document["id"] for document in documents}
    gone = [str(thread_id) for thread_id in thread_ids if thread_id not in present]
    index = client.index(uid)
    tasks = []
    if documents:
        tasks.append((await index.add_documents(documents, primary_key=PRIMARY_KEY)).task_uid)
    if gone:
        tasks.append((await index.delete_documents(gone)).task_uid)
    await wait_for_tasks(client, tasks, TASK_TIMEOUT_SECONDS)


async def _mark_done(rows: Sequence[dict[str, Any]]) -> None:
    await SearchOutbox.update({SearchOutbox.done_at: now()}).where(SearchOutbox.id.is_in([row["id"] for row in rows]))


async def _mark_failed(rows: Sequence[dict[str, Any]], error: str) -> None:
    """Count the failure and push each row back by its own backoff (one UPDATE per distinct attempt count)."""
    by_attempts: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        by_attempts[row["attempts"]].append(row["id"])
    moment = now()
    for attempts, ids in by_attempts.items():
        await SearchOutbox.update(
            {
                SearchOutbox.attempts: attempts + 1,
                SearchOutbox.last_error: error,
                SearchOutbox.available_at: moment + retry_delay(attempts + 1),
            }
        ).where(SearchOutbox.id.is_in(ids))


async def _process(client: AsyncClient, uid: str, rows: Sequence[dict[str, Any]], marking: Any) -> int:
    """Sync the rows' threads, then record the outcome inside ``marking()`` (a transaction, or nothing when
    the caller already holds one). Returns the number of rows now done."""
    thread_ids = sorted({row["entity_id"] for row in rows})
    try:
        await sync_threads(client, uid, thread_ids)
    except Exception as exc:  # noqa: BLE001 - any failure means "retry later", never lose the rows
        error = describe_error(exc)
        logger.warning(
            "search outbox: %d row(s) for %d thread(s) will be retried: %s", len(rows), len(thread_ids), error
        )
        async with marking():
            await _mark_failed(rows, error)
        return 0
    async with marking():
        await _mark_done(rows)
    return len(rows)


async def _drain_postgres(client: AsyncClient, uid: str, batch_size: int) -> int:
    async with engine().transaction():
        rows = await _pending_rows().limit(batch_size).lock_rows("UPDATE", skip_locked=True)
        if not rows:
            return 0
        thread_ids = sorted({row["entity_id"] for row in rows})
        locked = await SearchOutbox.raw(
            "SELECT t AS thread_id FROM unnest({}::int[]) AS t WHERE pg_try_advisory_xact_lock({}, t)",
            thread_ids,
            _ADVISORY_NAMESPACE,
        )
        mine = {row["thread_id"] for row in locked}
        # Rows of threads another drainer is sending stay untouched; they unlock at commit and come next round.
        rows = [row for row in rows if row["entity_id"] in mine]
        return await _process(client, uid, rows, contextlib.nullcontext) if rows else 0


@contextlib.contextmanager
def _single_drainer_lock(database_path: str) -> Iterator[bool]:
    """An exclusive, non-blocking lock shared by every process (and coroutine) using this SQLite file."""
    handle = os.open(f"{database_path}.search-outbox.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(handle)  # closing releases the lock


async def _drain_sqlite(client: AsyncClient, uid: str, batch_size: int) -> int:
    with _single_drainer_lock(engine().path) as acquired:
        if not acquired:
            return 0  # another drainer is at work; it will take these rows
        rows = await _pending_rows().limit(batch_size)
        if not rows:
            return 0
        # Sent outside any transaction (posting must not wait for Meilisearch); marked in a short one.
        return await _process(client, uid, rows, write_transaction)


async def drain_once(client: AsyncClient, uid: str, batch_size: int = 200) -> int:
    """Send one batch of pending changes; the number of outbox rows now done. Never raises (except on
    cancellation): failures are logged and recorded on the rows for a later retry.

    Assumes the index settings were applied (run_worker and the CLI do that first)."""
    try:
        if is_sqlite():
            return await _drain_sqlite(client, uid, batch_size)
        return await _drain_postgres(client, uid, batch_size)
    except Exception:
        logger.exception("search outbox: draining failed")
        return 0


async def pending_count() -> int:
    return await SearchOutbox.count().where(SearchOutbox.done_at.is_null())


async def purge_done(older_than: timedelta = KEEP_DONE_ROWS) -> None:
    """Delete rows sent long ago: the outbox is a queue, not a log."""
    async with write_transaction():
        await SearchOutbox.delete().where(
            SearchOutbox.done_at.is_not_null() & (SearchOutbox.done_at < now() - older_than)
        )


async def _sleep_unless_stopped(stop: anyio.Event, seconds: float) -> None:
    with anyio.move_on_after(seconds):
        await stop.wait()


async def run_worker(client: AsyncClient, uid: str, stop: anyio.Event, interval: float = 0.2) -> None:
    """The background loop: apply settings (retrying while Meilisearch is down), then drain until ``stop``."""
    settings_failures = 0
    while not stop.is_set():
        try:
            await apply_index_settings(client, uid)
            break
        except Exception as exc:  # noqa: BLE001 - Meilisearch not there yet: keep the forum running, retry
            settings_failures += 1
            if settings_failures == 1:
                logger.warning("search: index settings not applied yet, retrying: %s", describe_error(exc))
            # Capped lower than row retries: nothing is indexed until this succeeds.
            await _sleep_unless_stopped(stop, min(30.0, retry_delay(settings_failures).total_seconds()))
    last_purge = anyio.current_time()
    while not stop.is_set():
        done = await drain_once(client, uid)
        if anyio.current_time() - last_purge > PURGE_EVERY_SECONDS:
            last_purge = anyio.current_time()
            with contextlib.suppress(Exception):
                await purge_done()
        if done == 0:
            await _sleep_unless_stopped(stop, interval)
