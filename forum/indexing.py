"""The forum's side of search indexing: an outbox row, written in the caller's transaction.

``search/`` drains these rows into Meilisearch; ``forum/`` never talks to the search engine itself, so a
post is never slowed down or lost because search is down.
"""

from __future__ import annotations

from forum.clock import now
from forum.tables import SearchOutbox


async def enqueue(entity: str, entity_id: int, operation: str = "upsert") -> None:
    moment = now()
    await SearchOutbox.insert(
        SearchOutbox(entity=entity, entity_id=entity_id, operation=operation, created_at=moment, available_at=moment)
    )
