"""Roles and verification: admins grant roles; agency admins verify their own agency's members."""

from __future__ import annotations

from typing import Any

from forum.core import changes as feed
from forum.core.changes import What
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import Forbidden, InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.modlog import record_action
from forum.core.policy import can_grant_roles, can_see_members_to_verify, can_verify_member
from forum.core.tables import Commitment, Replication, User
from forum.core.taxonomy import ROLE_BY_SLUG


async def _user(user_id: int) -> dict[str, Any]:
    row = await User.select(User.id, User.display_name, User.agency, User.role, User.verified_at).where(
        User.id == user_id
    ).first()
    if row is None:
        raise NotFound("Pengguna tidak ditemukan.")
    return row


async def trust_moved(user_id: int) -> None:
    """Their replications and commitments count on the dashboard only while they are trusted: recount those threads."""
    threads = {row["source_thread"] for row in await Replication.select(Replication.source_thread).where(
        Replication.requested_by == user_id)} | {row["thread"] for row in await Commitment.select(Commitment.thread).where(
        Commitment.created_by == user_id)}  # fmt: skip
    for thread_id in sorted(threads):
        await feed.thread(What.CONTRIBUTOR_TRUSTED, thread_id)


async def set_role(actor: CurrentUser, user_id: int, role: object) -> None:
    if not can_grant_roles(actor):
        raise Forbidden("Hanya admin yang dapat mengubah peran.")
    if role not in ROLE_BY_SLUG:
        raise InvalidInput({"role": "Peran tidak dikenal."})
    async with write_transaction():
        member = await _user(user_id)
        if member["id"] == actor.id and role != "admin":
            raise InvalidInput({"role": "Admin tidak dapat menurunkan perannya sendiri."})
        await User.update({User.role: role}).where(User.id == user_id)
        await trust_moved(user_id)
        await record_action(actor, "set_role", "user", user_id, member["display_name"], f"{member['role']} → {role}")


async def set_agency_admin(actor: CurrentUser, user_id: int, value: bool) -> None:
    if not can_grant_roles(actor):
        raise Forbidden("Hanya admin yang dapat menetapkan admin instansi.")
    async with write_transaction():
        member = await _user(user_id)
        changes: dict[Any, Any] = {User.is_agency_admin: value}
        if value and member["verified_at"] is None:
            changes.update({User.verified_at: now(), User.verified_by: actor.id})
        await User.update(changes).where(User.id == user_id)
        await trust_moved(user_id)
        await record_action(actor, "set_agency_admin", "user", user_id, member["display_name"],
                            "menjadi admin instansi" if value else "bukan lagi admin instansi")  # fmt: skip


async def verify_member(actor: CurrentUser, user_id: int, verified: bool = True) -> None:
    async with write_transaction():
        member = await _user(user_id)
        if not can_verify_member(actor, member):
            raise Forbidden("Hanya admin instansi yang sama atau moderator yang dapat memverifikasi anggota ini.")
        changes = {User.verified_at: now(), User.verified_by: actor.id} if verified else {User.verified_at: None}
        await User.update(changes).where(User.id == user_id)
        await trust_moved(user_id)
        await record_action(actor, "verify_member" if verified else "unverify_member", "user", user_id,
                            member["display_name"])  # fmt: skip


QUEUE_LIMIT = 200


async def members_to_verify(actor: CurrentUser) -> list[dict[str, Any]]:
    """Active, confirmed, unverified members the actor may verify (their own agency's, or all for moderators),
    oldest first: what an agency admin checks against the staff list (name, NIP, jabatan, address)."""
    if not can_see_members_to_verify(actor):
        raise Forbidden("Antrean verifikasi anggota hanya untuk admin instansi dan moderator.")
    query = ((User.verified_at.is_null()) & (User.is_active == True) & (User.email_confirmed_at.is_not_null())  # noqa: E712
             & (User.role == "member") & (User.is_agency_admin == False))  # noqa: E712  # fmt: skip
    if not actor.is_moderator:
        query &= User.agency == actor.agency_id
    return await User.select(User.id, User.display_name, User.email, User.nip, User.position, User.created_at,
                             User.agency.name.as_alias("agency_name")).where(query).order_by(
        User.created_at).limit(QUEUE_LIMIT)  # fmt: skip
