"""In-app notifications. Callers write them inside their own transaction, so an event and its notices land
together; delivery by email (when configured) happens later, outside any request."""

from __future__ import annotations

from collections.abc import Iterable

from forum.clock import now
from forum.tables import Notification


async def notify(user_ids: Iterable[int], kind: str, text: str, url: str, *, exclude: int | None = None) -> int:
    """One notification per distinct user (never to ``exclude``, usually whoever caused the event)."""
    recipients = sorted({uid for uid in user_ids if uid and uid != exclude})
    if not recipients:
        return 0
    moment = now()
    await Notification.insert(
        *[Notification(user=uid, kind=kind, text=text[:300], url=url[:300], created_at=moment) for uid in recipients]
    )
    return len(recipients)
