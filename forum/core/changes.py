"""The change feed: the one call a write makes, inside its transaction, to say what it changed.

A feature never queues a search update, marks dashboard days or writes a notification itself. It publishes a
``Change`` (``await changes.thread(What.THREAD_CREATED, thread.id, actor=user, days=(moment,))``) and the
listeners ``forum.listeners.connect`` wires at start-up turn it into side effects:

  search outbox   the thread's document is queued again (or deleted) when its indexed content moved
  dashboard       the days whose figures may have changed are marked for the recount
  notifications   the people concerned are told (``notices`` the feature wrote, or an announcement)

Listeners run in the publisher's transaction, in the order they were connected, so their rows commit or roll
back with the write, and each decides for itself which changes concern it: pinning a thread publishes
nothing search cares about. Publish *before* a write that destroys what a listener reads (a deleted thread's
days), *after* one whose result it reads (an approved thread is announced once it is public); each ``What``
below says which.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from forum.core.identity import CurrentUser


class What(StrEnum):
    # A thread (``thread_id``)
    THREAD_CREATED = "thread_created"  # after its values are saved; ``actor`` wrote it, ``days`` its moment
    THREAD_EDITED = "thread_edited"  # text or tags saved as a new version
    THREAD_RECLASSIFIED = "thread_reclassified"  # before an edit that changes its kind, sector or values
    THREAD_STATUS_CHANGED = "thread_status_changed"  # hidden, restored or approved
    THREAD_APPROVED = "thread_approved"  # after a moderator published it from the review queue
    THREAD_MERGED = "thread_merged"  # before its replies move ``into`` another thread
    THREAD_DELETED = "thread_deleted"  # before the row goes
    SOLUTION_CHANGED = "solution_changed"
    FEATURE_CHANGED = "feature_changed"  # featured as a good practice, or no longer
    INDICATORS_CHANGED = "indicators_changed"  # added, edited, deleted, (un)verified; ``days`` verifications
    REPLICATIONS_COUNTED = "replications_counted"  # its count of agreed-or-further replications moved
    REPLICATION_DECLARED = "replication_declared"  # ``days``: the day it was declared
    REPLICATION_ADVANCED = "replication_advanced"  # a step of the replication; ``days``: the day it was declared
    COMMITMENT_MADE = "commitment_made"  # ``days``: its due date
    COMMITMENT_CLOSED = "commitment_closed"  # done or cancelled; ``days``: due and closing dates
    COMMITMENT_REMINDED = "commitment_reminded"  # a deadline is near or past
    CONTRIBUTOR_TRUSTED = "contributor_trusted"  # someone with a replication or commitment here was (un)verified
    AUTHOR_RENAMED = "author_renamed"  # its author's shown name changed (a new name, or an erased account)
    # A reply (``post_id`` in ``thread_id``)
    POST_ADDED = "post_added"  # after it is saved; ``actor`` wrote it, ``days`` its moment
    POST_EDITED = "post_edited"
    POST_STATUS_CHANGED = "post_status_changed"  # before the status changes (hidden, restored, approved)
    POST_APPROVED = "post_approved"  # after a moderator published it from the review queue
    # Thread or reply (whichever ``post_id`` says)
    APPRECIATED = "appreciated"


@dataclass(frozen=True, slots=True)
class Notice:
    """Words for the notifications listener to deliver: a feature knows what happened and who cares."""

    recipients: tuple[int, ...]
    kind: str
    text: str
    url: str
    exclude: int | None = None  # whoever caused it
    unless_unread: bool = False  # not again to someone who has not read the same notice yet


@dataclass(frozen=True, slots=True)
class Change:
    what: What
    thread_id: int
    post_id: int | None = None
    actor: CurrentUser | None = None
    days: tuple[date | datetime | None, ...] = ()
    notices: tuple[Notice, ...] = ()
    into: int | None = None  # THREAD_MERGED: the thread it merges into


Listener = Callable[[Change], Awaitable[None]]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Connect a listener (once: connecting the same one again changes nothing)."""
    if listener not in _listeners:
        _listeners.append(listener)


async def publish(change: Change) -> None:
    if not _listeners:
        # A write with nobody listening would silently lose its search update, figures and notices.
        raise RuntimeError("The change feed has no listeners: call forum.listeners.connect() at start-up.")
    for listener in _listeners:
        await listener(change)


async def thread(
    what: What,
    thread_id: int,
    *,
    actor: CurrentUser | None = None,
    days: tuple[date | datetime | None, ...] = (),
    notices: tuple[Notice, ...] = (),
    into: int | None = None,
) -> None:
    await publish(Change(what, thread_id, actor=actor, days=days, notices=notices, into=into))


async def post(
    what: What,
    post_id: int,
    thread_id: int,
    *,
    actor: CurrentUser | None = None,
    days: tuple[date | datetime | None, ...] = (),
    notices: tuple[Notice, ...] = (),
) -> None:
    await publish(Change(what, thread_id, post_id=post_id, actor=actor, days=days, notices=notices))
