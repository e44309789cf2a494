"""In-app notifications. Callers write them inside their own transaction, so an event and its notices land
together; delivery by email (when configured) happens later, outside any request.

Besides ``notify()`` (the one writer every feature calls), this module is the inbox: a person's notices newest
first, their unread count, and marking them read. Every function takes the reader's user id and touches only
that person's rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from forum.core.clock import now
from forum.core.errors import NotFound
from forum.core.pagination import Page, decode_cursor, encode_cursor
from forum.core.tables import Notification
from forum.core.visibility import PUBLISHED, listed

PAGE_SIZE = 30
# The nav badge counts at most this many (it shows "99+"): a bounded count stays cheap for busy people.
BADGE_CAP = 100

# What each kind is called in the list (UI text). Unknown kinds still render, with a generic label.
KIND_LABELS = {
    "reply": "Balasan di topik Anda",
    "watch_reply": "Topik yang Anda ikuti",
    "mention": "Menyebut Anda",
    "mention_agency": "Menyebut instansi Anda",
    "watch_sector": "Sektor yang Anda ikuti",
    "watch_value": "Nilai yang Anda ikuti",
    "replication": "Replikasi",
    "commitment": "Tindak lanjut",
    "appreciation": "Apresiasi",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, "Pemberitahuan")


async def notify(
    user_ids: Iterable[int], kind: str, text: str, url: str, *, thread_id: int | None, exclude: int | None = None
) -> int:
    """One notification per distinct user (never to ``exclude``, usually whoever caused the event). ``thread_id``
    names the thread the notice is about: while that thread is not published, only its author sees the notice."""
    recipients = sorted({uid for uid in user_ids if uid and uid != exclude})
    if not recipients:
        return 0
    moment = now()
    await Notification.insert(
        *[
            Notification(user=uid, kind=kind, text=text[:300], url=url[:300], thread=thread_id, created_at=moment)
            for uid in recipients
        ]
    )
    return len(recipients)


async def without_same_unread(user_ids: list[int], kind: str, text: str, url: str) -> list[int]:
    """Those of ``user_ids`` who have no unread notice with these very words (one query)."""
    if not user_ids:
        return []
    rows = await Notification.select(Notification.user).where(
        Notification.user.is_in(user_ids)
        & (Notification.kind == kind)
        & (Notification.url == url[:300])
        & (Notification.text == text[:300])
        & Notification.read_at.is_null()
    )
    unread = {row["user"] for row in rows}
    return [uid for uid in user_ids if uid not in unread]


_FIELDS = (
    Notification.id,
    Notification.kind,
    Notification.text,
    Notification.url,
    Notification.created_at,
    Notification.read_at,
)


def notices_shown(reader_id: int) -> Any:
    """The visibility rule (forum.core.visibility.notice_shown) for one reader's notices, as a query condition."""
    return (
        Notification.thread.is_null()
        | listed(Notification.thread.status)
        | (Notification.thread.author == reader_id)
    )


async def list_notifications(
    user_id: int, cursor: str | None = None, limit: int = PAGE_SIZE, *, unread_only: bool = False
) -> Page[dict[str, Any]]:
    """Newest first, keyset-paginated on id (ids grow with time): one query a page."""
    limit = max(1, min(limit, 100))
    query = Notification.select(*_FIELDS).where((Notification.user == user_id) & notices_shown(user_id))
    if unread_only:
        query = query.where(Notification.read_at.is_null())
    if cursor:
        (before_id,) = decode_cursor(cursor, int)
        query = query.where(Notification.id < before_id)
    rows = await query.order_by(Notification.id, ascending=False).limit(limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    for row in rows:
        row["kind_label"] = kind_label(row["kind"])
        row["is_read"] = row["read_at"] is not None
    return Page(items=rows, next_cursor=encode_cursor(rows[-1]["id"]) if more and rows else None)


async def unread_count(user_id: int) -> int:
    """The exact number of unread notices (the API's answer)."""
    return await Notification.count().where(
        (Notification.user == user_id) & Notification.read_at.is_null() & notices_shown(user_id)
    )


async def unread_badge_count(user_id: int) -> int:
    """Unread notices for the nav badge, counted up to BADGE_CAP only: one bounded query, same SQL on both engines."""
    rows = await Notification.raw(
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM notification AS n LEFT JOIN thread AS t ON t.id = n.thread "
        'WHERE n."user" = {} AND n.read_at IS NULL AND (n.thread IS NULL OR t.status = {} OR t.author = {}) '
        "LIMIT {}) AS c",
        user_id,
        PUBLISHED,
        user_id,
        BADGE_CAP,
    )
    return int(rows[0]["n"]) if rows else 0


async def mark_read(user_id: int, notification_id: int) -> dict[str, Any]:
    """Mark one of this person's notices read (idempotent); someone else's is "not found"."""
    row = await Notification.select(*_FIELDS).where(
        (Notification.id == notification_id) & (Notification.user == user_id) & notices_shown(user_id)
    ).first()
    if row is None:
        raise NotFound("Notifikasi tidak ditemukan.")
    if row["read_at"] is None:
        moment = now()
        await Notification.update({Notification.read_at: moment}).where(
            (Notification.id == notification_id) & Notification.read_at.is_null()
        )
        row["read_at"] = moment
    row["kind_label"] = kind_label(row["kind"])
    row["is_read"] = True
    return row


async def mark_all_read(user_id: int, up_to_id: int | None = None) -> int:
    """Mark every unread notice read, or only those up to ``up_to_id`` (the newest one the reader saw, so a
    notice that arrived meanwhile stays unread). Returns how many changed."""
    condition = (Notification.user == user_id) & Notification.read_at.is_null()
    if up_to_id is not None:
        condition &= Notification.id <= up_to_id
    changed = await Notification.update({Notification.read_at: now()}).where(condition).returning(Notification.id)
    return len(changed)


async def prune_read(older_than_days: int = 180) -> int:
    """Delete read notices older than the given age (keeps the inbox and the unread count cheap)."""
    from datetime import timedelta

    cutoff = now() - timedelta(days=older_than_days)
    deleted = await Notification.delete().where(
        Notification.read_at.is_not_null() & (Notification.created_at < cutoff)
    ).returning(Notification.id)
    return len(deleted)
