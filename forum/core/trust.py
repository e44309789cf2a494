"""Discourse-style trust: a new, unverified member's first posts wait in the review queue."""

from __future__ import annotations

from forum.core.identity import CurrentUser
from forum.core.settings import get_settings
from forum.core.tables import Post, Thread
from forum.core.visibility import PENDING, PUBLISHED


def is_trusted_row(verified_at: object, role: object, is_agency_admin: object) -> bool:
    """CurrentUser.is_trusted for a stored account (the dashboard's SQL says the same: forum.dashboard.tally)."""
    return verified_at is not None or bool(is_agency_admin) or role != "member"


async def initial_status(author: CurrentUser) -> str:
    """"published", or "pending" while an untrusted member has fewer than REVIEW_FIRST_POSTS approved posts."""
    needed = get_settings().review_first_posts
    if author.is_trusted or needed <= 0:
        return PUBLISHED
    approved = await Thread.count().where((Thread.author == author.id) & (Thread.status == PUBLISHED))
    if approved >= needed:
        return PUBLISHED
    approved += await Post.count().where((Post.author == author.id) & (Post.status == PUBLISHED))
    return PUBLISHED if approved >= needed else PENDING
