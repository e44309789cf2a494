"""The change feed's notifications listener: announcements for new and approved content, the notices features
describe, and watches that follow a merged thread."""

from __future__ import annotations

from forum.core.changes import Change, What
from forum.notifications import events, watches
from forum.notifications.service import notify, without_same_unread


async def on_change(change: Change) -> None:
    what = change.what
    if what is What.THREAD_CREATED and change.actor is not None:
        await events.thread_created(change.actor, change.thread_id)
    elif what is What.POST_ADDED and change.actor is not None and change.post_id is not None:
        await events.reply_added(change.actor, change.thread_id, change.post_id)
    elif what is What.THREAD_APPROVED:
        await events.thread_published(change.thread_id)
    elif what is What.POST_APPROVED and change.post_id is not None:
        await events.reply_published(change.post_id)
    elif what is What.THREAD_MERGED and change.into is not None:
        await watches.move_thread_watches(change.thread_id, change.into)
    for notice in change.notices:
        recipients = list(notice.recipients)
        if notice.unless_unread:
            recipients = await without_same_unread(recipients, notice.kind, notice.text, notice.url)
        await notify(recipients, notice.kind, notice.text, notice.url, thread_id=change.thread_id,
                     exclude=notice.exclude)  # fmt: skip
