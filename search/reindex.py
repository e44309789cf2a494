"""Rebuild the whole index without anyone seeing it empty: build beside the live index, then swap.

Steps: note where the outbox stands; fill a fresh ``{uid}_build_<ts>`` (settings first, then every thread
in keyset batches, sending the next batch while Meilisearch indexes the last); swap it with the live index
in one atomic task (or rename it when there is no live index yet); drop the old one; finally queue again
every thread changed since the start, because the background worker sent those changes to the *old* index
while the build was running.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from meilisearch_python_sdk import AsyncClient

from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.tables import SearchOutbox, Thread
from search.client import index_exists, wait_for_task, wait_for_tasks
from search.documents import build_documents
from search.outbox import ENTITY, drain_once
from search.settings import PRIMARY_KEY, apply_index_settings

logger = logging.getLogger("sinergi.search")

BATCH_SIZE = 1000
BUILD_TIMEOUT_SECONDS = 1800


async def _outbox_high_water() -> int:
    row = await SearchOutbox.select(SearchOutbox.id).order_by(SearchOutbox.id, ascending=False).limit(1).first()
    return row["id"] if row else 0


async def _requeue_changed_since(high_water: int) -> int:
    """Queue once more every thread with an outbox row newer than ``high_water``."""
    rows = (
        await SearchOutbox.select(SearchOutbox.entity_id)
        .where((SearchOutbox.id > high_water) & (SearchOutbox.entity == ENTITY))
        .distinct()
    )
    thread_ids = sorted({row["entity_id"] for row in rows})
    if thread_ids:
        moment = now()
        async with write_transaction():
            await SearchOutbox.insert(
                *[SearchOutbox(entity=ENTITY, entity_id=thread_id, operation="upsert", created_at=moment,
                               available_at=moment) for thread_id in thread_ids]  # fmt: skip
            )
    return len(thread_ids)


async def _fill(client: AsyncClient, build_uid: str, progress: Callable[[int], object] | None) -> int:
    index = client.index(build_uid)
    tasks: list[int] = []
    total = 0
    last_id = 0
    while True:
        rows = await Thread.select(Thread.id).where(Thread.id > last_id).order_by(Thread.id).limit(BATCH_SIZE)
        if not rows:
            break
        ids = [row["id"] for row in rows]
        last_id = ids[-1]
        documents = await build_documents(ids)
        if documents:
            # Not waited for here: Meilisearch indexes this batch while the next one is being built.
            tasks.append((await index.add_documents(documents, primary_key=PRIMARY_KEY)).task_uid)
        total += len(documents)
        if progress is not None:
            progress(len(ids))
    await wait_for_tasks(client, tasks, BUILD_TIMEOUT_SECONDS)
    return total


async def reindex(client: AsyncClient, uid: str, progress: Callable[[int], object] | None = None) -> int:
    """Rebuild ``uid`` from the database; returns the number of threads indexed. Run one at a time."""
    high_water = await _outbox_high_water()
    build_uid = f"{uid}_build_{time.time_ns() // 1_000_000}"
    try:
        await apply_index_settings(client, build_uid)
        total = await _fill(client, build_uid, progress)
        if await index_exists(client, uid):
            swap = await client.swap_indexes([(uid, build_uid)])
        else:
            # First build: rename instead (Meilisearch 1.21 needs both indexes for a plain swap).
            swap = await client.swap_indexes([(build_uid, uid)], rename=True)
        await wait_for_task(client, swap.task_uid)
    except BaseException:
        await _drop_quietly(client, build_uid)
        raise
    # After the swap, build_uid names the previous live index (if there was one).
    await _drop_quietly(client, build_uid)
    requeued = await _requeue_changed_since(high_water)
    if requeued:
        logger.info("reindex: %d thread(s) changed during the build were queued again", requeued)
        # Send them now if no other drainer is running (one that is will take them just the same).
        while await drain_once(client, uid) > 0:
            pass
    return total


async def _drop_quietly(client: AsyncClient, uid: str) -> None:
    try:
        await client.delete_index_if_exists(uid)
    except Exception:
        logger.warning("reindex: could not delete index %s", uid, exc_info=True)
