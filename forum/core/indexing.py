"""The forum's side of search indexing: an outbox row, written in the caller's transaction.

``search/`` drains these rows into Meilisearch; ``forum/`` never talks to the search engine itself, so a
post is never slowed down or lost because search is down. The index holds one document per thread (its
replies' text included), so every change to a thread or one of its replies queues that thread.
"""

from __future__ import annotations

from forum.core.changes import Change, What
from forum.core.clock import now
from forum.core.tables import SearchOutbox

UPSERT = "upsert"
DELETE = "delete"


async def enqueue_thread(thread_id: int, operation: str = UPSERT) -> None:
    moment = now()
    await SearchOutbox.insert(
        SearchOutbox(entity="thread", entity_id=thread_id, operation=operation, created_at=moment, available_at=moment)
    )


# What moves a thread's document: its text, tags, status, solution, feature, indicators, replications or replies.
# Pinning and locking are not here: documents hold neither.
_REINDEX = frozenset({
    What.THREAD_CREATED, What.THREAD_EDITED, What.THREAD_STATUS_CHANGED, What.SOLUTION_CHANGED,
    What.FEATURE_CHANGED, What.INDICATORS_CHANGED, What.REPLICATIONS_COUNTED,
    What.POST_ADDED, What.POST_EDITED, What.POST_STATUS_CHANGED, What.AUTHOR_RENAMED,
})  # fmt: skip


async def on_change(change: Change) -> None:
    """The change feed's search listener: queue the threads whose documents moved."""
    if change.what in _REINDEX:
        await enqueue_thread(change.thread_id)
    elif change.what is What.THREAD_MERGED:
        await enqueue_thread(change.thread_id)  # now hidden: its document goes
        if change.into is not None:
            await enqueue_thread(change.into)  # the replies it gained
    elif change.what is What.THREAD_DELETED:
        await enqueue_thread(change.thread_id, DELETE)
