"""The change feed's dashboard listener: mark the days whose figures a change may have moved, for the recount."""

from __future__ import annotations

from forum.core.changes import Change, What
from forum.dashboard import tally

# Changes that can move any of a thread's figures (its kind, sector, values or status count on every day it has
# an event), published before the write so a deleted or merged thread's days can still be found.
_WHOLE_THREAD = frozenset({What.THREAD_RECLASSIFIED, What.THREAD_STATUS_CHANGED, What.THREAD_MERGED,
                           What.THREAD_DELETED, What.CONTRIBUTOR_TRUSTED})  # fmt: skip


async def on_change(change: Change) -> None:
    if change.what in _WHOLE_THREAD:
        await tally.mark_thread(change.thread_id)
    elif change.what is What.POST_STATUS_CHANGED and change.post_id is not None:
        await tally.mark_post(change.post_id)
    await tally.mark_days(*change.days)
