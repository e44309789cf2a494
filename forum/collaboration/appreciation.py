"""Appreciation (apresiasi): a member appreciates a reply ("post") or a thread's opening post ("thread").

One per member and post (the unique index ``appreciation_target_giver`` holds it under concurrent clicks),
never of one's own writing, only of what the member can see. Giving and withdrawing are two explicit actions,
in the API (POST / DELETE) and on the page (the button posts ``aksi=beri`` or ``aksi=tarik``, whichever it
currently shows): asking for the state that already holds changes nothing and is a Conflict (409).

The giver's and the receiver's agencies are stored as they were at that moment, so "appreciation from other
agencies" means what it meant when it was given, even if someone moves later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from forum.core import changes
from forum.core.changes import Notice, What
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import Conflict, InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.tables import Appreciation, Post, Thread
from forum.core.urls import post_url, thread_url
from forum.core.visibility import can_see

POST = "post"
THREAD = "thread"
TARGET_TYPES = (POST, THREAD)
NOTIFICATION_KIND = "appreciation"


@dataclass(slots=True)
class Tally:
    count: int = 0
    mine: bool = False  # the viewer gave one


@dataclass(slots=True)
class PageAppreciations:
    """What the thread page shows: the opening post's tally and each reply's (absent replies have none)."""

    thread: Tally = field(default_factory=Tally)
    posts: dict[int, Tally] = field(default_factory=dict)

    def post(self, post_id: int) -> Tally:
        return self.posts.get(post_id) or Tally()


def _not_found(target_type: str) -> NotFound:
    return NotFound("Balasan tidak ditemukan." if target_type == POST else "Topik tidak ditemukan.")


async def _visible_target(user: CurrentUser, target_type: str, target_id: int) -> dict[str, Any]:
    """The appreciated writing, its author (the receiver) with their agency, and where it lives; 404 when this
    member may not see it (a reply counts as seen only if its thread is seen too)."""
    if target_type == POST:
        row = await Post.select(
            Post.id,
            Post.status,
            Post.author.id.as_alias("author"),
            Post.agency.as_alias("author_agency"),
            Post.thread.id.as_alias("thread_id"),
            Post.thread.title.as_alias("title"),
            Post.thread.status.as_alias("thread_status"),
            Post.thread.author.as_alias("thread_author"),
        ).where(Post.id == target_id).first()
        if row is None or not can_see(user, row):
            raise _not_found(target_type)
        if not can_see(user, {"status": row["thread_status"], "author": row["thread_author"]}):
            raise _not_found(target_type)
        row["url"] = post_url(target_id)
        return row
    if target_type == THREAD:
        row = await Thread.select(
            Thread.id,
            Thread.status,
            Thread.title,
            Thread.slug,
            Thread.author.id.as_alias("author"),
            Thread.agency.as_alias("author_agency"),
        ).where(Thread.id == target_id).first()
        if row is None or not can_see(user, row):
            raise _not_found(target_type)
        row["url"] = thread_url(target_id, row['slug'])
        return row
    raise NotFound("Jenis konten tidak dikenal.")


def _same_target(target_type: str, target_id: int) -> Any:
    return (Appreciation.target_type == target_type) & (Appreciation.target_id == target_id)


async def _count(target_type: str, target_id: int) -> int:
    return await Appreciation.count().where(_same_target(target_type, target_id))


async def _announce(user: CurrentUser, target_type: str, target: dict[str, Any]) -> None:
    """Tell the author, once: withdrawing and giving again does not pile up unread notices."""
    what = "balasan Anda di topik" if target_type == POST else "topik Anda"
    text = f"{user.display_name} ({user.agency_name}) mengapresiasi {what} “{target['title']}”."
    notice = Notice((target["author"],), NOTIFICATION_KIND, text, target["url"], exclude=user.id, unless_unread=True)
    if target_type == POST:
        await changes.post(What.APPRECIATED, target["id"], target["thread_id"], notices=(notice,))
    else:
        await changes.thread(What.APPRECIATED, target["id"], notices=(notice,))


async def appreciate(user: CurrentUser, target_type: str, target_id: int) -> dict[str, Any]:
    """Give this member's appreciation; 404 unseen, 422 own writing, 409 already given. One transaction."""
    async with write_transaction():
        target = await _visible_target(user, target_type, target_id)
        if target["author"] == user.id:
            raise InvalidInput({"target": "Anda tidak dapat mengapresiasi tulisan Anda sendiri."},
                               detail="Anda tidak dapat mengapresiasi tulisan Anda sendiri.")  # fmt: skip
        # DO NOTHING keeps the transaction usable on PostgreSQL when a concurrent click won the race.
        inserted = await Appreciation.insert(
            Appreciation(
                target_type=target_type,
                target_id=target_id,
                giver=user.id,
                giver_agency=user.agency_id,
                receiver=target["author"],
                receiver_agency=target["author_agency"],
                created_at=now(),
            )
        ).on_conflict(action="DO NOTHING").returning(Appreciation.id)
        if not inserted:
            raise Conflict("Anda sudah memberi apresiasi pada tulisan ini. Klik sekali lagi untuk menariknya.")
        await _announce(user, target_type, target)
        count = await _count(target_type, target_id)
    return {"count": count, "appreciated": True}


async def withdraw_appreciation(user: CurrentUser, target_type: str, target_id: int) -> dict[str, Any]:
    """Take this member's appreciation back; 404 unseen, 409 when there is none to take back."""
    async with write_transaction():
        await _visible_target(user, target_type, target_id)
        deleted = await Appreciation.delete().where(
            _same_target(target_type, target_id) & (Appreciation.giver == user.id)
        ).returning(Appreciation.id)
        if not deleted:
            raise Conflict("Anda belum memberi apresiasi pada tulisan ini.")
        count = await _count(target_type, target_id)
    return {"count": count, "appreciated": False}


async def appreciation_state(viewer: CurrentUser | None, target_type: str, target_id: int) -> dict[str, Any]:
    """{count, appreciated} of one post as this viewer sees it (404 if they may not see it)."""
    if viewer is not None:
        await _visible_target(viewer, target_type, target_id)
    tally = await _tallies(viewer, {target_type: [target_id]})
    found = tally.get((target_type, target_id), Tally())
    return {"count": found.count, "appreciated": found.mine}


async def _tallies(viewer: CurrentUser | None, targets: dict[str, Sequence[int]]) -> dict[tuple[str, int], Tally]:
    """Counts (and whether the viewer gave one) of many targets, in one grouped query."""
    clauses: list[str] = []
    args: list[Any] = [viewer.id if viewer else 0]
    for target_type, ids in targets.items():
        unique = sorted({int(i) for i in ids})
        if not unique:
            continue
        placeholders = ", ".join("{}" for _ in unique)
        clauses.append(f"(target_type = {{}} AND target_id IN ({placeholders}))")
        args.extend([target_type, *unique])
    if not clauses:
        return {}
    rows = await Appreciation.raw(
        "SELECT target_type, target_id, COUNT(*) AS n, MAX(CASE WHEN giver = {} THEN 1 ELSE 0 END) AS mine "
        f"FROM appreciation WHERE {' OR '.join(clauses)} GROUP BY target_type, target_id",
        *args,
    )
    return {(row["target_type"], row["target_id"]): Tally(int(row["n"]), bool(row["mine"])) for row in rows}


async def appreciation_counts(post_ids: Sequence[int], target_type: str = POST) -> dict[int, int]:
    """Appreciation counts of many replies (or, with target_type="thread", opening posts): one query.
    Ids without any appreciation are absent."""
    tallies = await _tallies(None, {target_type: post_ids})
    return {target_id: tally.count for (_, target_id), tally in tallies.items()}


async def page_appreciations(
    viewer: CurrentUser | None, thread_id: int, post_ids: Sequence[int]
) -> PageAppreciations:
    """Everything the thread page needs: the opening post's and these replies' tallies, in one query."""
    tallies = await _tallies(viewer, {THREAD: [thread_id], POST: post_ids})
    result = PageAppreciations(thread=tallies.get((THREAD, thread_id), Tally()))
    for (target_type, target_id), tally in tallies.items():
        if target_type == POST:
            result.posts[target_id] = tally
    return result


# Appreciation of deleted writing (a deleted thread takes its replies along) is not counted as received.
_STILL_THERE = (
    "((a.target_type = 'post' AND EXISTS (SELECT 1 FROM post p WHERE p.id = a.target_id))"
    " OR (a.target_type = 'thread' AND EXISTS (SELECT 1 FROM thread t WHERE t.id = a.target_id)))"
)


async def _received(where: str, key: int) -> dict[str, int]:
    rows = await Appreciation.raw(
        "SELECT COUNT(*) AS total, "
        "COALESCE(SUM(CASE WHEN a.giver_agency <> a.receiver_agency THEN 1 ELSE 0 END), 0) AS from_other_agencies "
        f"FROM appreciation a WHERE {where} = {{}} AND {_STILL_THERE}",
        key,
    )
    row = rows[0] if rows else {"total": 0, "from_other_agencies": 0}
    return {"total": int(row["total"] or 0), "from_other_agencies": int(row["from_other_agencies"] or 0)}


async def received_by_user(user_id: int) -> dict[str, int]:
    """{total, from_other_agencies} appreciation a member received (one query), for the profile page."""
    return await _received("a.receiver", user_id)


async def received_by_agency(agency_id: int) -> dict[str, int]:
    """{total, from_other_agencies} appreciation an agency's members received (one query)."""
    return await _received("a.receiver_agency", agency_id)
