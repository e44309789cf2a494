"""What the thread page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from litestar import Request

from forum.collaboration.appreciation import page_appreciations
from forum.collaboration.indicators import impact_section
from forum.commitments.service import commitments_of_thread, today
from forum.core.policy import can_edit_thread
from forum.core.visibility import can_see
from forum.featured.service import featured_note
from forum.notifications import watches as notification_watches
from forum.posting.service import get_post, list_replies
from forum.replication.service import replications_of


async def thread_page_context(
    request: Request[Any, Any, Any], thread: dict[str, Any], replies_cursor: str | None = None, **extra: Any
) -> dict[str, Any]:
    """Everything the thread page shows, in a fixed number of queries (shared with the reply form's errors)."""
    viewer = request.user
    replies = await list_replies(thread["id"], replies_cursor, viewer=viewer)
    solution = None
    if thread["solution_post"]:
        candidate = await get_post(thread["solution_post"])
        solution = candidate if can_see(viewer, candidate) else None
    return {
        "thread": thread,
        "replies": replies,
        "replications": (await replications_of([thread["id"]])).get(thread["id"], []) if thread["kind"] == "inovasi" else [],
        "commitments": await commitments_of_thread(thread["id"]),
        "appreciation": await page_appreciations(viewer, thread["id"], [r["id"] for r in replies.items]),
        "impact": await impact_section(viewer, thread),
        "watching": await notification_watches.is_watching(viewer, "thread", thread["id"]),
        "today": today(),
        "solution": solution,
        "featured": await featured_note(thread["id"]) if thread["is_featured"] else None,
        "can_edit": can_edit_thread(viewer, thread),
        "reply_form": {},
        "reply_errors": {},
        "commitment_form": {},
        "commitment_errors": {},
        **extra,
    }
