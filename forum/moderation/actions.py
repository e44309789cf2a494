"""One entry point for pages and the API: a moderator's ``action`` on a thread or reply, plus what that action
needs. Each action is a verb in its own module (pin, lock, hide, review, move, merge)."""

from __future__ import annotations

from dataclasses import dataclass

from forum.core.errors import InvalidInput
from forum.core.identity import CurrentUser
from forum.core.inputs import Input
from forum.core.policy import require_moderator
from forum.core.validation import clean_text
from forum.moderation.hide import hide_post, hide_thread, restore_post, restore_thread
from forum.moderation.lock import lock_thread, unlock_thread
from forum.moderation.merge import merge_thread
from forum.moderation.move import move_thread
from forum.moderation.pin import pin_thread, unpin_thread
from forum.moderation.review import approve_post, approve_thread


@dataclass(frozen=True, slots=True)
class ThreadModeration(Input):
    """A moderator's action on a thread: which one, and what that action needs."""

    action: object = None
    reason: object = None
    private_note: object = None
    sector: object = None  # move
    values: object = None  # move
    target_id: object = None  # merge


@dataclass(frozen=True, slots=True)
class PostModeration(Input):
    action: object = None
    reason: object = None
    private_note: object = None


_WITH_REASON = {
    "pin": pin_thread,
    "unpin": unpin_thread,
    "lock": lock_thread,
    "unlock": unlock_thread,
    "restore": restore_thread,
}


async def moderate_thread(user: CurrentUser, thread_id: int, data: ThreadModeration) -> None:
    action = clean_text(data.get("action"))
    if action == "move":
        await move_thread(user, thread_id, data.get("sector"), data.get("values"), data.get("reason"))
    elif action == "merge":
        await merge_thread(user, thread_id, data.get("target_id"), data.get("reason"))
    elif action == "hide":
        await hide_thread(user, thread_id, data.get("reason"), data.get("private_note"))
    elif action == "approve":
        await approve_thread(user, thread_id)
    elif action in _WITH_REASON:
        await _WITH_REASON[action](user, thread_id, data.get("reason"))
    else:
        require_moderator(user)
        raise InvalidInput({"action": f"Tindakan '{action[:30]}' tidak dikenal."})


async def moderate_post(user: CurrentUser, post_id: int, data: PostModeration) -> None:
    action = clean_text(data.get("action"))
    if action == "hide":
        await hide_post(user, post_id, data.get("reason"), data.get("private_note"))
    elif action == "approve":
        await approve_post(user, post_id)
    elif action == "restore":
        await restore_post(user, post_id, data.get("reason"))
    else:
        require_moderator(user)
        raise InvalidInput({"action": f"Tindakan '{action[:30]}' tidak dikenal."})
