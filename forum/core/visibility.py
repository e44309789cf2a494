"""Who may see what. Published content is public; pending (review queue) and hidden content is seen only by
its author (with the reason) and by moderators. Lists, feeds, search and the API show published only."""

from __future__ import annotations

from typing import Any

from forum.core.identity import CurrentUser

PUBLISHED = "published"
PENDING = "pending"
HIDDEN = "hidden"
STATUS_LABELS = {PUBLISHED: "Tayang", PENDING: "Menunggu tinjauan", HIDDEN: "Disembunyikan"}


def notice_shown(row: dict[str, Any], reader_id: int) -> bool:
    """A notice about a thread (``thread``, ``thread_status``, ``thread_author``) is shown while anyone may see the
    thread, and always to the thread's author; the query form is ``notices_shown`` in forum.notifications."""
    return row.get("thread") is None or row.get("thread_status") == PUBLISHED or row.get("thread_author") == reader_id


def _author_id(row: dict[str, Any]) -> int | None:
    return row.get("author_id", row.get("author"))


def can_see(viewer: CurrentUser | None, row: dict[str, Any]) -> bool:
    """A thread or a post row with ``status`` and ``author``/``author_id``."""
    if row.get("status", PUBLISHED) == PUBLISHED:
        return True
    return viewer is not None and (viewer.is_moderator or viewer.id == _author_id(row))


def listed(status_column: Any) -> Any:
    """The query form of the rule for lists, feeds and side lists (anyone's view): published rows only. Pass the
    status column of the row's thread too when the row hangs off a thread (a commitment, a replication)."""
    return status_column == PUBLISHED
