"""What the thread page shows, gathered in a fixed number of queries."""

from __future__ import annotations

import dataclasses
from typing import Any

from litestar import Request

from forum.collaboration.appreciation import page_appreciations
from forum.collaboration.indicators import impact_section
from forum.commitments.service import commitments_of_thread, today
from forum.core.identity import CurrentUser
from forum.core.pagination import Page
from forum.core.policy import (
    can_close_commitment,
    can_declare_interest,
    can_edit_post,
    can_edit_thread,
    can_mark_solution,
    can_moderate,
    can_reply,
    can_respond_to,
    can_write,
)
from forum.core.visibility import can_see
from forum.featured.service import featured_note
from forum.notifications import watches as notification_watches
from forum.posting.service import get_post, list_replies
from forum.replication.service import CANCELLED, replications_of, steps_open_to


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
    replications = (await replications_of([thread["id"]])).get(thread["id"], []) if thread["kind"] == "inovasi" else []
    commitments = await commitments_of_thread(thread["id"])
    return {
        "thread": thread,
        "can": thread_flags(viewer, thread, replications),
        "replies": _with_reply_flags(viewer, thread, replies),
        "replications": [{**row, "can": _replication_flags(viewer, thread, row)} for row in replications],
        "commitments": [{**row, "can_close": can_close_commitment(viewer, row)} for row in commitments],
        "appreciation": await page_appreciations(viewer, thread["id"], [r["id"] for r in replies.items]),
        "impact": await impact_section(viewer, thread),
        "watching": await notification_watches.is_watching(viewer, "thread", thread["id"]),
        "today": today(),
        "solution": solution,
        "featured": await featured_note(thread["id"]) if thread["is_featured"] else None,
        "reply_form": {},
        "reply_errors": {},
        "commitment_form": {},
        "commitment_errors": {},
        **extra,
    }


def thread_flags(viewer: CurrentUser | None, thread: dict[str, Any], replications: list[dict[str, Any]]) -> dict[str, bool]:
    """The thread page's ``can.*``: what this viewer may do here, every answer from forum.core.policy."""
    taken_by = {row["agency_id"] for row in replications if row["state"] != CANCELLED}
    return {
        "edit": can_edit_thread(viewer, thread),
        "respond": can_respond_to(viewer, thread),  # appreciate or flag the thread
        "watch": viewer is not None,
        "moderate": can_moderate(viewer),
        "reply": can_reply(viewer, thread),
        "commit": can_reply(viewer, thread),
        "skip_review": viewer is not None and viewer.is_trusted,
        "confirm_first": viewer is not None and not can_write(viewer),  # signed in, address not confirmed yet
        "declare_interest": thread["kind"] == "inovasi" and can_declare_interest(viewer, thread, taken_by),
    }


def _with_reply_flags(viewer: CurrentUser | None, thread: dict[str, Any], replies: Page[dict[str, Any]]) -> Page[dict[str, Any]]:
    items = []
    moderate = can_moderate(viewer)  # the same for every reply
    for reply in replies.items:
        can = {
            "edit": can_edit_post(viewer, reply),
            "respond": can_respond_to(viewer, reply),
            "mark_solution": can_mark_solution(viewer, thread, reply),
            "moderate": moderate,
        }
        items.append({**reply, "can": {**can, "act": can["respond"] or can["mark_solution"] or can["moderate"]}})
    return dataclasses.replace(replies, items=items)


def _replication_flags(viewer: CurrentUser | None, thread: dict[str, Any], row: dict[str, Any]) -> dict[str, bool]:
    steps = steps_open_to(viewer, row, thread["agency_id"])
    return {**steps, "act": any(steps.values())}
