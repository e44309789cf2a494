"""The forum's side of search indexing: an outbox row, written in the caller's transaction.

``search/`` drains these rows into Meilisearch; ``forum/`` never talks to the search engine itself, so a
post is never slowed down or lost because search is down. The index holds one document per thread (its
replies' text included), so every change to a thread or one of its replies queues that thread.
"""

from __future__ import annotations

from forum.core.clock import now
from forum.core.tables import SearchOutbox

UPSERT = "upsert"
DELETE = "delete"


async def enqueue_thread(thread_id: int, operation: str = UPSERT) -> None:
    moment = now()
    await SearchOutbox.insert(
        SearchOutbox(entity="thread", entity_id=thread_id, operation=operation, created_at=moment, available_at=moment)
    )
