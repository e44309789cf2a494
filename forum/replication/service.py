"""Replication (replikasi): an agency takes up another agency's innovation, and everyone can follow it.

States (codes in forum.core.taxonomy): interest → agreed (the source agency agrees) → implemented (the
replicating agency implemented it) → reported (its outcome), or cancelled from any open state. Each move is one function, checked against
the state machine below, in one transaction with its notifications and search-outbox row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from forum.core import changes
from forum.core.changes import Notice, What
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.inputs import Input
from forum.core.policy import EITHER_SIDE, REPLICATOR_SIDE, SOURCE_SIDE, can_act_for_side
from forum.core.prepared import prepared
from forum.core.tables import Replication, Thread, User
from forum.core.taxonomy import (
    REPLICATION_AGREED,
    REPLICATION_CANCELLED,
    REPLICATION_IMPLEMENTED,
    REPLICATION_INTEREST,
    REPLICATION_REPORTED,
    REPLICATION_STATE_LABELS,
)
from forum.core.trust import is_trusted_row
from forum.core.urls import thread_url
from forum.core.validation import clean_text
from forum.core.visibility import PUBLISHED


@dataclass(frozen=True, slots=True)
class Interest(Input):
    note: object = None


@dataclass(frozen=True, slots=True)
class ReplicationStep(Input):
    """What a step of a replication may record (each step reads the fields it needs)."""

    implemented_on: object = None
    adaptation_note: object = None
    replica_thread_id: object = None
    outcome_note: object = None
    reason: object = None

INTEREST, AGREED, IMPLEMENTED = REPLICATION_INTEREST, REPLICATION_AGREED, REPLICATION_IMPLEMENTED
OUTCOME, CANCELLED = REPLICATION_REPORTED, REPLICATION_CANCELLED
STATE_LABELS = REPLICATION_STATE_LABELS
# Replications that count for "paling banyak direplikasi": agreed or further, not cancelled.
COUNTED = (AGREED, IMPLEMENTED, OUTCOME)
OPEN = (INTEREST, AGREED, IMPLEMENTED)
# action → (states it may start from, state it leads to, which side may take it)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "agree": ((INTEREST,), AGREED, SOURCE_SIDE),
    "implement": ((AGREED,), IMPLEMENTED, REPLICATOR_SIDE),
    "report_outcome": ((IMPLEMENTED,), OUTCOME, REPLICATOR_SIDE),
    "cancel": (OPEN, CANCELLED, EITHER_SIDE),
}


def steps_open_to(user: CurrentUser | None, replication: dict[str, Any], source_agency: int) -> dict[str, bool]:
    """Which steps this person may take on a replication now: the state machine and the policy, as the page's
    ``can`` flags (the same checks ``move_replication`` makes)."""
    return {
        action: replication["state"] in sources and can_act_for_side(user, side, source_agency, replication["agency_id"])
        for action, (sources, _target, side) in TRANSITIONS.items()
    }


_WRONG_STATE = {
    "agree": "Replikasi ini tidak lagi menunggu persetujuan.",
    "implement": "Replikasi hanya dapat dilaporkan diterapkan setelah disepakati instansi sumber.",
    "report_outcome": "Hasil hanya dapat dilaporkan setelah replikasi diterapkan.",
    "cancel": "Replikasi yang sudah selesai atau dibatalkan tidak dapat dibatalkan.",
}


def _url(thread_id: int, slug: str) -> str:
    return thread_url(thread_id, slug, "replikasi")


async def _source_thread(thread_id: int) -> dict[str, Any]:
    thread = await Thread.select(
        Thread.id, Thread.title, Thread.slug, Thread.kind, Thread.status, Thread.agency, Thread.author
    ).where(Thread.id == thread_id).first()
    if thread is None or thread["status"] != PUBLISHED:
        raise NotFound("Topik tidak ditemukan.")
    return thread


async def _members(agency_id: int) -> list[int]:
    rows = await User.select(User.id).where((User.agency == agency_id) & (User.is_active == True))  # noqa: E712
    return [row["id"] for row in rows]


async def declare_interest(user: CurrentUser, thread_id: int, data: Interest) -> dict[str, Any]:
    note = clean_text(data.get("note"))[:2000]
    async with write_transaction():
        thread = await _source_thread(thread_id)
        if thread["kind"] != "inovasi":
            raise InvalidInput({"thread": "Hanya kasus Inovasi yang dapat direplikasi."})
        if thread["agency"] == user.agency_id:
            raise InvalidInput({"thread": "Instansi Anda adalah pemilik inovasi ini."})
        already = Replication.source_thread == thread_id
        already &= Replication.agency == user.agency_id
        already &= Replication.state != CANCELLED
        if await Replication.exists().where(already):
            raise Conflict("Instansi Anda sudah tercatat mereplikasi inovasi ini.")
        replication = Replication(source_thread=thread_id, agency=user.agency_id, requested_by=user.id,
                                  state=INTEREST, interest_note=note, created_at=now())  # fmt: skip
        await replication.save()
        notice = Notice((thread["author"], *await _members(thread["agency"])), "replication",
                        f"{user.agency_name} berminat mereplikasi: {thread['title']}", _url(thread_id, thread["slug"]),
                        exclude=user.id)  # fmt: skip
        await changes.thread(What.REPLICATION_DECLARED, thread_id, days=(replication.created_at,), notices=(notice,))
    return {"id": replication.id, "state": INTEREST}


def _parse_date(errors: dict[str, str], field: str, raw: object, label: str) -> date | None:
    text = clean_text(raw)
    if not text:
        errors[field] = f"{label} wajib diisi."
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        errors[field] = f"{label} harus berupa tanggal (TTTT-BB-HH)."
        return None
    if value > now().date():
        errors[field] = f"{label} tidak boleh di masa depan."
    return value


async def move_replication(user: CurrentUser, replication_id: int, action: str, data: ReplicationStep) -> dict[str, Any]:
    """Take one step of the state machine; any step that does not fit the current state changes nothing."""
    if action not in TRANSITIONS:
        raise InvalidInput({"action": "Tindakan replikasi tidak dikenal."})
    sources, target, side = TRANSITIONS[action]
    errors: dict[str, str] = {}
    update: dict[Any, Any] = {Replication.state: target}
    if action == "agree":
        update.update({Replication.agreed_by: user.id, Replication.agreed_at: now()})
    elif action == "implement":
        update[Replication.implemented_on] = _parse_date(errors, "implemented_on", data.get("implemented_on"),
                                                          "Tanggal penerapan")  # fmt: skip
        update[Replication.adaptation_note] = clean_text(data.get("adaptation_note"))[:4000]
        if not update[Replication.adaptation_note]:
            errors["adaptation_note"] = "Ceritakan apa yang Anda sesuaikan dari inovasi aslinya."
    elif action == "report_outcome":
        update[Replication.outcome_note] = clean_text(data.get("outcome_note"))[:4000]
        update[Replication.outcome_reported_at] = now()
        if not update[Replication.outcome_note]:
            errors["outcome_note"] = "Hasil replikasi wajib diisi."
    else:
        update.update({Replication.cancelled_at: now(), Replication.cancel_reason: clean_text(data.get("reason"))[:1000]})
    if errors:
        raise InvalidInput(errors)
    async with write_transaction():
        row = await Replication.select(
            Replication.id, Replication.state, Replication.agency, Replication.requested_by, Replication.created_at,
            Replication.source_thread.id.as_alias("thread_id"), Replication.source_thread.agency.as_alias("source_agency"),
            Replication.source_thread.title.as_alias("title"), Replication.source_thread.slug.as_alias("slug"),
            Replication.source_thread.author.as_alias("source_author"),
        ).where(Replication.id == replication_id).first()  # fmt: skip
        if row is None:
            raise NotFound("Replikasi tidak ditemukan.")
        if not can_act_for_side(user, side, row["source_agency"], row["agency"]):
            who = {SOURCE_SIDE: "instansi pemilik inovasi", REPLICATOR_SIDE: "instansi yang mereplikasi",
                   EITHER_SIDE: "kedua instansi atau moderator"}[side]  # fmt: skip
            raise Forbidden(f"Langkah ini hanya dapat dilakukan oleh {who}.")
        if row["state"] not in sources:
            raise Conflict(_WRONG_STATE[action], {"state": f"Status sekarang: {STATE_LABELS[row['state']]}."})
        if action == "implement" and data.get("replica_thread_id"):
            update[Replication.replica_thread] = await _replica_thread(user, data.get("replica_thread_id"))
        await Replication.update(update).where(Replication.id == replication_id)
        counted_before, counted_after = row["state"] in COUNTED, target in COUNTED
        if counted_before != counted_after:
            delta = 1 if counted_after else -1
            await Thread.update({Thread.replication_count: Thread.replication_count + delta}).where(
                Thread.id == row["thread_id"]
            )
            await changes.thread(What.REPLICATIONS_COUNTED, row["thread_id"])
        other_side = await _members(row["agency"] if side == SOURCE_SIDE else row["source_agency"])
        notice = Notice((*other_side, row["requested_by"], row["source_author"]), "replication",
                        f"Replikasi {row['title']}: {STATE_LABELS[target].lower()}", _url(row["thread_id"], row["slug"]),
                        exclude=user.id)  # fmt: skip
        # Replications count by state on the day they were declared.
        await changes.thread(What.REPLICATION_ADVANCED, row["thread_id"], days=(row["created_at"],), notices=(notice,))
    return {"id": replication_id, "state": target}


async def _replica_thread(user: CurrentUser, raw: object) -> int:
    try:
        thread_id = int(str(raw))
    except ValueError:
        raise InvalidInput({"replica_thread_id": "Nomor topik tidak valid."}) from None
    thread = await Thread.select(Thread.agency, Thread.kind).where(Thread.id == thread_id).first()
    if thread is None or thread["agency"] != user.agency_id or thread["kind"] != "inovasi":
        raise InvalidInput({"replica_thread_id": "Pilih kasus Inovasi milik instansi Anda sendiri."})
    return thread_id


_FIELDS = (
    Replication.id, Replication.state, Replication.interest_note, Replication.created_at, Replication.agreed_at,
    Replication.implemented_on, Replication.adaptation_note, Replication.outcome_note, Replication.cancel_reason,
    Replication.replica_thread, Replication.source_thread,
    Replication.agency.id.as_alias("agency_id"), Replication.agency.name.as_alias("agency_name"),
    Replication.agency.slug.as_alias("agency_slug"), Replication.agency.province.as_alias("province"),
    Replication.requested_by.verified_at.as_alias("by_verified_at"), Replication.requested_by.role.as_alias("by_role"),
    Replication.requested_by.is_agency_admin.as_alias("by_agency_admin"),
)  # fmt: skip


@prepared(1)
def _replications_of_one(thread_id: Any) -> Any:
    return Replication.select(*_FIELDS).where(Replication.source_thread == thread_id).order_by(Replication.id)


async def replications_of(thread_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Replications of many threads in one query, oldest first."""
    if not thread_ids:
        return {}
    if len(thread_ids) == 1:  # a thread page
        rows = await _replications_of_one(thread_ids[0])
    else:
        rows = await Replication.select(*_FIELDS).where(Replication.source_thread.is_in(thread_ids)).order_by(
            Replication.id)
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        row["state_label"] = STATE_LABELS[row["state"]]
        # Shown, but not counted on the dashboard, until whoever declared it is verified.
        row["unverified"] = not is_trusted_row(row.pop("by_verified_at"), row.pop("by_role"), row.pop("by_agency_admin"))
        grouped.setdefault(row["source_thread"], []).append(row)
    return grouped


async def lineage(thread_id: int, max_depth: int = 6) -> dict[str, Any]:
    """The replication tree of a case: its replications, and theirs in turn through each replica's own case.
    One query for each level, never one per node."""
    root = await _source_thread(thread_id)
    tree = {"thread_id": thread_id, "title": root["title"], "url": thread_url(thread_id, root['slug']), "children": []}
    level = {thread_id: tree}
    seen = {thread_id}
    for _ in range(max_depth):
        found = await replications_of(list(level))
        next_level: dict[int, dict[str, Any]] = {}
        replica_ids = [r["replica_thread"] for rows in found.values() for r in rows if r["replica_thread"]]
        titles = {row["id"]: row for row in await Thread.select(Thread.id, Thread.title, Thread.slug).where(
            Thread.id.is_in(replica_ids))} if replica_ids else {}  # fmt: skip
        for source_id, rows in found.items():
            for row in rows:
                node = {"replication": row, "children": []}
                replica = titles.get(row["replica_thread"])
                if replica and replica["id"] not in seen:
                    node.update(thread_id=replica["id"], title=replica["title"],
                                url=thread_url(replica['id'], replica['slug']))  # fmt: skip
                    next_level[replica["id"]] = node
                    seen.add(replica["id"])
                level[source_id]["children"].append(node)
        if not next_level:
            break
        level = next_level
    return tree
