"""Mutasi: ASN move between agencies all the time. A member asks to move; the admin of the agency they move to
(or a moderator) approves or refuses; every request stays in the history.

On approval the account belongs to the new agency, verified by whoever approved (they vouch for the person
now working there), and loses any agency-admin role it held at the old one. What the member wrote stays
credited to the agency they wrote it for: threads, replies (post.agency), commitments, replications and
appreciations each keep their own agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forum.accounts.roles import trust_moved
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.inputs import Input
from forum.core.modlog import record_action
from forum.core.policy import can_decide_agency_move, can_write
from forum.core.tables import Agency, AgencyMove, User
from forum.core.validation import optional_text

PENDING, APPROVED, REFUSED, WITHDRAWN = "pending", "approved", "refused", "withdrawn"
STATUS_LABELS = {PENDING: "menunggu persetujuan", APPROVED: "disetujui", REFUSED: "ditolak", WITHDRAWN: "dibatalkan"}
NOTE_MAX = 500


@dataclass(frozen=True, slots=True)
class MoveRequest(Input):
    """What a member may set when asking to move: where to, and a note for the approver."""

    to_agency_id: object = None
    note: object = None


async def request_move(user: CurrentUser, data: MoveRequest) -> int:
    if not can_write(user):
        raise Forbidden("Konfirmasi email Anda terlebih dahulu.")
    errors: dict[str, str] = {}
    note = optional_text(errors, "note", data.note, "Keterangan", max_len=NOTE_MAX, multiline=True)
    try:
        to_agency = int(str(data.to_agency_id or ""))
    except ValueError:
        to_agency = 0
    if not to_agency or not await Agency.exists().where(Agency.id == to_agency):
        errors["to_agency_id"] = "Pilih instansi tujuan dari daftar."
    elif to_agency == user.agency_id:
        errors["to_agency_id"] = "Itu instansi Anda sekarang."
    if errors:
        raise InvalidInput(errors)
    async with write_transaction():
        if await AgencyMove.exists().where((AgencyMove.user == user.id) & (AgencyMove.status == PENDING)):
            raise Conflict("Permintaan mutasi Anda sebelumnya masih menunggu. Batalkan dulu untuk mengajukan yang lain.")
        row = await AgencyMove.insert(AgencyMove(user=user.id, from_agency=user.agency_id, to_agency=to_agency,
                                                 note=note, requested_at=now())).returning(AgencyMove.id)  # fmt: skip
    return row[0]["id"]


async def withdraw_move(user: CurrentUser, move_id: int) -> None:
    async with write_transaction():
        done = await AgencyMove.update({AgencyMove.status: WITHDRAWN, AgencyMove.decided_at: now()}).where(
            (AgencyMove.id == move_id) & (AgencyMove.user == user.id) & (AgencyMove.status == PENDING)
        ).returning(AgencyMove.id)
    if not done:
        raise NotFound("Permintaan mutasi tidak ditemukan atau sudah diputuskan.")


async def decide_move(actor: CurrentUser, move_id: int, approve: bool, note: object = None) -> None:
    """Approve or refuse a pending request (its destination's agency admin, or a moderator)."""
    errors: dict[str, str] = {}
    decision_note = optional_text(errors, "decision_note", note, "Catatan", max_len=NOTE_MAX, multiline=True)
    if errors:
        raise InvalidInput(errors)
    async with write_transaction():
        move = await AgencyMove.select(AgencyMove.id, AgencyMove.user, AgencyMove.to_agency, AgencyMove.from_agency,
                                       AgencyMove.status, AgencyMove.user.display_name.as_alias("name"),
                                       AgencyMove.to_agency.name.as_alias("to_name")).where(
            AgencyMove.id == move_id).first()  # fmt: skip
        if move is None:
            raise NotFound("Permintaan mutasi tidak ditemukan.")
        if move["user"] == actor.id or not can_decide_agency_move(actor, move["to_agency"]):
            raise Forbidden("Hanya admin instansi tujuan atau moderator yang dapat memutuskan mutasi ini.")
        if move["status"] != PENDING:
            raise Conflict("Permintaan ini sudah diputuskan atau dibatalkan.")
        moment = now()
        await AgencyMove.update({AgencyMove.status: APPROVED if approve else REFUSED, AgencyMove.decided_by: actor.id,
                                 AgencyMove.decided_at: moment, AgencyMove.decision_note: decision_note}).where(
            AgencyMove.id == move_id)  # fmt: skip
        if approve:
            await User.update({User.agency: move["to_agency"], User.is_agency_admin: False, User.verified_at: moment,
                               User.verified_by: actor.id}).where(User.id == move["user"])  # fmt: skip
            await trust_moved(move["user"])
        await record_action(actor, "approve_agency_move" if approve else "refuse_agency_move", "user", move["user"],
                            move["name"], f"ke {move['to_name']}" + (f": {decision_note}" if decision_note else ""))  # fmt: skip


_MOVE_FIELDS = (
    AgencyMove.id, AgencyMove.status, AgencyMove.note, AgencyMove.requested_at, AgencyMove.decided_at,
    AgencyMove.decision_note, AgencyMove.from_agency.name.as_alias("from_name"),
    AgencyMove.to_agency.name.as_alias("to_name"),
)  # fmt: skip


async def own_moves(user: CurrentUser) -> list[dict[str, Any]]:
    """One's requests, newest first: the history of one's agencies."""
    rows = await AgencyMove.select(*_MOVE_FIELDS).where(AgencyMove.user == user.id).order_by(
        AgencyMove.requested_at, ascending=False)  # fmt: skip
    return [{**row, "status_label": STATUS_LABELS.get(row["status"], row["status"])} for row in rows]


async def moves_to_decide(actor: CurrentUser) -> list[dict[str, Any]]:
    """Pending requests into the actor's agency (every agency for moderators), oldest first."""
    query = AgencyMove.status == PENDING
    if not actor.is_moderator:
        if not actor.is_agency_admin:
            return []
        query &= AgencyMove.to_agency == actor.agency_id
    return await AgencyMove.select(*_MOVE_FIELDS, AgencyMove.user.id.as_alias("user_id"),
                                   AgencyMove.user.display_name.as_alias("name"),
                                   AgencyMove.user.nip.as_alias("nip")).where(query).order_by(
        AgencyMove.requested_at)  # fmt: skip
