"""Forum events that notify people. Each function is called inside the write transaction of the action it
reports (so the notices commit or roll back with it), costs a fixed handful of queries, and never notifies
whoever caused the event.

Who hears what, one notice per person per event, the most specific reason winning:
  new reply     → people mentioned by name ("mention"), the thread's author ("reply"), members of mentioned
                  agencies ("mention_agency"), people watching the thread ("watch_reply")
  new thread    → people mentioned ("mention"), members of mentioned agencies ("mention_agency"), people
                  watching its sector ("watch_sector") or one of its values ("watch_value")

Content that is not public yet (a new member's post waiting in the review queue) announces nothing; call
``reply_published``/``thread_published`` when a moderator approves it. A pending reply in a public thread still
makes its author watch the thread. A reply in a thread that is itself pending or hidden tells the thread's
author only, since nobody else can see it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from forum.core.identity import CurrentUser
from forum.core.tables import Post, Thread, ThreadValue
from forum.core.taxonomy import SECTOR_BY_SLUG, VALUE_BY_SLUG, label
from forum.core.urls import post_url, thread_url
from forum.core.visibility import PUBLISHED
from forum.notifications import mentions, watches
from forum.notifications.service import notify

TITLE_IN_TEXT = 120


def _id(thing: Any) -> int:
    """An id from an int, a row dict ({"id": …}) or a Piccolo row object."""
    if isinstance(thing, int):
        return thing
    if isinstance(thing, Mapping):
        return int(thing["id"])
    return int(thing.id)


def _quoted(title: str) -> str:
    title = " ".join(title.split())
    if len(title) > TITLE_IN_TEXT:
        title = title[: TITLE_IN_TEXT - 1].rstrip() + "…"
    return f"“{title}”"


class _Batch:
    """Collects recipients per kind and text, first reason wins; writes one insert per distinct notice."""

    def __init__(self, actor: int) -> None:
        self.taken: set[int] = {actor}
        self.groups: dict[tuple[str, str], list[int]] = defaultdict(list)

    def add(self, user_ids: Any, kind: str, text: str) -> None:
        for uid in user_ids:
            if uid and uid not in self.taken:
                self.taken.add(uid)
                self.groups[(kind, text)].append(uid)

    async def send(self, url: str, thread_id: int) -> int:
        total = 0
        for (kind, text), users in self.groups.items():
            total += await notify(users, kind, text, url, thread_id=thread_id)
        return total


async def _add_mentions(batch: _Batch, found: mentions.Mentions, who: str, where: str) -> None:
    if not found:
        return
    resolved = await mentions.resolve(found)
    batch.add(resolved.users, "mention", f"{who} menyebut Anda di {where}")
    for agency_name, members in resolved.agencies.values():
        batch.add(members, "mention_agency", f"{who} menyebut instansi Anda ({agency_name}) di {where}")


async def reply_added(user: CurrentUser, thread: Any, post: Any) -> int:
    """After a reply is saved (in add_reply's transaction): the replier watches the thread, and if the reply is
    public the people concerned are told. ``thread``/``post`` may be ids, row dicts or row objects."""
    await watches.watch_thread(user.id, _id(thread))
    return await reply_published(_id(post))


async def reply_published(post_id: int) -> int:
    """Announce a public reply (also when a moderator approves a pending one). Returns notices written."""
    row = await Post.select(
        Post.id,
        Post.status,
        Post.body_html,
        Post.author,
        Post.author.display_name.as_alias("author_name"),
        Post.thread.id.as_alias("thread_id"),
        Post.thread.title.as_alias("thread_title"),
        Post.thread.author.as_alias("thread_author"),
        Post.thread.status.as_alias("thread_status"),
    ).where(Post.id == post_id).first()
    if row is None or row["status"] != PUBLISHED:
        return 0
    batch = _Batch(actor=row["author"])
    who, where = row["author_name"], _quoted(row["thread_title"])
    if row["thread_status"] != PUBLISHED:
        batch.add([row["thread_author"]], "reply", f"{who} membalas topik Anda {where}")
        return await batch.send(post_url(post_id), row["thread_id"])
    found = mentions.parse(row["body_html"])
    resolved = await mentions.resolve(found) if found else mentions.Resolved()
    batch.add(resolved.users, "mention", f"{who} menyebut Anda di {where}")
    batch.add([row["thread_author"]], "reply", f"{who} membalas topik Anda {where}")
    for agency_name, members in resolved.agencies.values():
        batch.add(members, "mention_agency", f"{who} menyebut instansi Anda ({agency_name}) di {where}")
    watching = await watches.watchers(watches.THREAD, [row["thread_id"]])
    batch.add(watching, "watch_reply", f"{who} membalas topik yang Anda ikuti {where}")
    return await batch.send(post_url(post_id), row["thread_id"])


async def thread_created(user: CurrentUser, thread: Any) -> int:
    """After a thread and its values are saved (in create_thread's transaction): the author watches it, and if it
    is public the people concerned are told. ``thread`` may be an id, a row dict or a row object."""
    thread_id = _id(thread)
    await watches.watch_thread(user.id, thread_id)
    return await thread_published(thread_id)


async def thread_published(thread_id: int) -> int:
    """Announce a public thread (also when a moderator approves a pending one). Returns notices written."""

    row = await Thread.select(
        Thread.id,
        Thread.title,
        Thread.slug,
        Thread.status,
        Thread.sector,
        Thread.author,
        Thread.author.display_name.as_alias("author_name"),
        Thread.body_html,
        Thread.problem_html,
        Thread.solution_html,
        Thread.results_html,
    ).where(Thread.id == thread_id).first()
    if row is None or row["status"] != PUBLISHED:
        return 0
    batch = _Batch(actor=row["author"])
    who, title = row["author_name"], _quoted(row["title"])
    found = mentions.parse(row["body_html"], row["problem_html"], row["solution_html"], row["results_html"])
    await _add_mentions(batch, found, who, title)
    by_sector = await watches.watchers(watches.SECTOR, [row["sector"]])
    sector = label(SECTOR_BY_SLUG, row["sector"])
    batch.add(by_sector, "watch_sector", f"Topik baru di sektor {sector}: {title} oleh {who}")
    values = [r["value"] for r in await ThreadValue.select(ThreadValue.value).where(ThreadValue.thread == thread_id)]
    order = list(VALUE_BY_SLUG)
    values.sort(key=lambda slug: order.index(slug) if slug in order else len(order))
    by_value = await watches.watchers(watches.VALUE, values)
    per_value: dict[str, list[int]] = defaultdict(list)
    for uid, slug in by_value.items():
        per_value[slug].append(uid)
    for slug in values:
        text = f"Topik baru bernilai {label(VALUE_BY_SLUG, slug)}: {title} oleh {who}"
        batch.add(per_value.get(slug, []), "watch_value", text)
    return await batch.send(thread_url(row["id"], row["slug"]), row["id"])
