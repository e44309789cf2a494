"""Chores that keep tables from growing for ever, run beside the app every HOUSEKEEPING_SECONDS: spent rate-limit
hits, and (retention, UU PDP) notifications, search misses and sent mail past their settings' days, and mailed
links past their expiry.

Each chore deletes rows nothing reads any more, in one short statement, so a round never holds a lock for
long; a round that fails is logged and tried again next time.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from piccolo.table import Table

from forum.core import ratelimit
from forum.core.background import repeating_worker
from forum.core.clock import now
from forum.core.settings import get_settings
from forum.core.tables import AccountToken, Notification, OutgoingMail, SearchMiss

logger = logging.getLogger(__name__)


async def _older_than(table: type[Table], column: Any, days: int, also: Any = None) -> int:
    query = column < now() - timedelta(days=max(1, days))
    if also is not None:
        query &= also
    return len(await table.delete().where(query).returning(table.id))


async def run_chores() -> dict[str, int]:
    """One round: how many rows each chore removed."""
    settings = get_settings()
    keep = max(ratelimit.KEEP_HITS_SECONDS, settings.login_window_seconds)
    moment = now()
    removed = {
        "rate_limit_hits": await ratelimit.prune_old_hits(keep),
        "notifications": await _older_than(Notification, Notification.created_at, settings.notification_keep_days),
        "search_misses": await _older_than(SearchMiss, SearchMiss.created_at, settings.search_miss_keep_days),
        "sent_mail": await _older_than(OutgoingMail, OutgoingMail.sent_at, settings.sent_mail_keep_days,
                                       OutgoingMail.sent_at.is_not_null()),  # fmt: skip
        "spent_links": len(await AccountToken.delete().where(AccountToken.expires_at < moment).returning(
            AccountToken.id)),  # fmt: skip
    }
    if any(removed.values()):
        logger.info("housekeeping removed %s", removed)
    return removed


@asynccontextmanager
async def housekeeping_lifespan(app: Any) -> AsyncIterator[None]:
    """The chores, every HOUSEKEEPING_SECONDS (none when 0), stopped before the database closes."""
    async with repeating_worker("housekeeping", get_settings().housekeeping_seconds, run_chores):
        yield
