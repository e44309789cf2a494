"""The policy: every "may this person…?" as a plain function of (who, what). Services call these; pages hand
the answers to templates as ``can.*`` flags."""

from __future__ import annotations

from typing import Any

from forum.core.errors import Forbidden
from forum.core.identity import CurrentUser
from forum.core.taxonomy import COMMITMENT_OPEN


def _is_author(user: CurrentUser | None, row: dict[str, Any]) -> bool:
    author = row.get("author", row.get("author_id"))
    return user is not None and author == user.id


def can_edit_thread(user: CurrentUser | None, thread: dict[str, Any]) -> bool:
    return user is not None and (user.is_moderator or _is_author(user, thread))


def can_edit_post(user: CurrentUser | None, post: dict[str, Any]) -> bool:
    return user is not None and (user.is_moderator or _is_author(user, post))


def require_moderator(user: CurrentUser) -> None:
    if not user.is_moderator:
        raise Forbidden("Hanya moderator yang dapat melakukan tindakan ini.")


def _author_of(row: dict[str, Any]) -> Any:
    return row.get("author", row.get("author_id"))


def can_reply(user: CurrentUser | None, thread: dict[str, Any]) -> bool:
    """A locked thread takes no new replies or commitments, except from moderators."""
    return can_write(user) and user is not None and (not thread.get("is_locked") or user.is_moderator)


def can_respond_to(user: CurrentUser | None, row: dict[str, Any]) -> bool:
    """Appreciate or flag a thread or a reply: anyone signed in, never on their own writing."""
    return can_write(user) and user is not None and _author_of(row) != user.id


def can_mark_solution(user: CurrentUser | None, thread: dict[str, Any], reply: dict[str, Any]) -> bool:
    """The asker of a "permasalahan" (or a moderator) marks a published reply as its solution."""
    return (
        user is not None
        and thread.get("kind") == "permasalahan"
        and (user.is_moderator or _author_of(thread) == user.id)
        and reply.get("status") == "published"
    )


def can_close_commitment(user: CurrentUser | None, commitment: dict[str, Any]) -> bool:
    """Only the commitment's owner or a moderator closes it, and only while it is open."""
    owner = commitment.get("owner", commitment.get("owner_id"))
    return user is not None and commitment.get("status") == COMMITMENT_OPEN and (user.is_moderator or owner == user.id)


# Which side of a replication may take a step: the agency that owns the innovation, the one replicating it,
# or either of them (a moderator too). forum.replication's state machine names the side of each step.
SOURCE_SIDE, REPLICATOR_SIDE, EITHER_SIDE = "source", "replicator", "either"


def can_act_for_side(user: CurrentUser | None, side: str, source_agency: int, replicator_agency: int) -> bool:
    if user is None:
        return False
    if side == SOURCE_SIDE:
        return user.agency_id == source_agency
    if side == REPLICATOR_SIDE:
        return user.agency_id == replicator_agency
    return user.agency_id in (source_agency, replicator_agency) or user.is_moderator


def can_declare_interest(user: CurrentUser | None, thread: dict[str, Any], taken_by: set[int]) -> bool:
    """Another agency may say it wants to replicate a published innovation, once (``taken_by``: the agencies
    whose replication of it is not cancelled)."""
    source_agency = thread.get("agency", thread.get("agency_id"))
    return (
        can_write(user)
        and user is not None
        and user.agency_id != source_agency
        and thread.get("status") == "published"
        and user.agency_id not in taken_by
    )


def can_suspend(user: CurrentUser | None, member_id: int) -> bool:
    """Suspending and reinstating accounts: admins, never their own."""
    return user is not None and user.is_admin and user.id != member_id


def can_write(user: CurrentUser | None) -> bool:
    """Any write at all (posting, replying, collaborating, flagging): a signed-in account with a confirmed address."""
    return user is not None and user.email_confirmed


def can_moderate(user: CurrentUser | None) -> bool:
    """The review queue, hiding, pinning, reverting revisions: moderators and admins."""
    return user is not None and user.is_moderator


def can_grant_roles(user: CurrentUser | None) -> bool:
    """Roles and agency admins are granted by admins only."""
    return user is not None and user.is_admin


def can_see_members_to_verify(user: CurrentUser | None) -> bool:
    """The queue of members waiting for verification: agency admins (their own agency's) and moderators (all)."""
    return user is not None and (user.is_moderator or user.is_agency_admin)


def can_decide_agency_move(actor: CurrentUser | None, to_agency_id: int) -> bool:
    """Mutasi: the admin of the agency the member moves to (who will vouch for them there), or a moderator."""
    return actor is not None and (actor.is_moderator or (actor.is_agency_admin and actor.agency_id == to_agency_id))


def can_verify_member(actor: CurrentUser | None, member: dict[str, Any]) -> bool:
    """A member is verified by an admin of their own agency, or by a moderator."""
    return actor is not None and (actor.is_moderator or (actor.is_agency_admin and actor.agency_id == member["agency"]))
