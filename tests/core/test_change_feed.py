"""The change feed: a write's side effects happen in its transaction, through the listeners, and a feed with
nobody listening refuses to lose them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from forum.core import changes
from forum.core.changes import Change, What
from forum.core.tables import DashboardStaleDay, Notification, Post, SearchOutbox
from forum.notifications import watches
from forum.posting.service import ReplyInput, add_reply
from forum.web.flood import NO_LIMITS
from tests.support import database
from tests.support.factories import make_thread, make_user


@pytest.fixture(autouse=True)
async def empty_tables() -> AsyncIterator[None]:
    await database.wipe()
    yield
    await database.wipe()


async def _counts() -> tuple[int, int, int]:
    return await SearchOutbox.count(), await DashboardStaleDay.count(), await Notification.count()


async def test_a_reply_queues_search_marks_its_day_and_notifies_through_the_listeners() -> None:
    author = await make_user("penulis@x.go.id")
    replier = await make_user("pembalas@y.go.id", agency="Kementerian PANRB")
    thread = await make_thread(author)
    before = await _counts()
    await add_reply(replier, thread["id"], ReplyInput(body="Kami ingin mencoba ini juga."), limits=NO_LIMITS)
    outbox, days, notices = await _counts()
    assert outbox == before[0] + 1
    assert days == before[1] + 1
    assert notices == before[2] + 1  # the thread's author
    assert await watches.is_watching(replier, watches.THREAD, thread["id"])


async def test_a_failing_listener_takes_the_write_back_with_it() -> None:
    author = await make_user("penulis@x.go.id")
    thread = await make_thread(author)
    before = await _counts()

    async def broken(change: Change) -> None:
        if change.what is What.POST_ADDED:
            raise RuntimeError("listener failed")

    changes.listen(broken)
    try:
        with pytest.raises(RuntimeError, match="listener failed"):
            await add_reply(author, thread["id"], ReplyInput(body="Balasan yang tidak jadi."), limits=NO_LIMITS)
    finally:
        changes._listeners.remove(broken)
    assert await Post.count().where(Post.thread == thread["id"]) == 0
    assert await _counts() == before  # nor its outbox row, its marked day or its notices


async def test_a_feed_with_no_listeners_refuses_to_publish() -> None:
    connected = list(changes._listeners)
    changes._listeners.clear()
    try:
        with pytest.raises(RuntimeError, match="no listeners"):
            await changes.thread(What.THREAD_EDITED, 1)
    finally:
        changes._listeners.extend(connected)


async def test_connecting_twice_changes_nothing() -> None:
    from forum import listeners

    connected = list(changes._listeners)
    listeners.connect()
    assert changes._listeners == connected and len(connected) == 3
