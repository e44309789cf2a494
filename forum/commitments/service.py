"""Follow-up commitments (tindak lanjut): what, who (a person and their agency), by when — and whether it
was done. Only the owner or a moderator closes one; owners are reminded before and after the due date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from forum.core import changes
from forum.core.changes import Notice, What
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.inputs import Input
from forum.core.prepared import prepared
from forum.core.tables import Commitment, Post, Thread, User
from forum.core.taxonomy import (
    COMMITMENT_CANCELLED,
    COMMITMENT_DONE,
    COMMITMENT_OPEN,
    COMMITMENT_STATUS_LABELS,
)
from forum.core.trust import is_trusted_row
from forum.core.urls import thread_url
from forum.core.validation import clean_text, require_text
from forum.core.visibility import PUBLISHED, can_see, listed


@dataclass(frozen=True, slots=True)
class CommitmentInput(Input):
    """A follow-up someone commits to: what, by when, and who owns it (a member of the writer's agency)."""

    what: object = None
    due_on: object = None
    owner_id: object = None


@dataclass(frozen=True, slots=True)
class CommitmentCompletion(Input):
    evidence: object = None


@dataclass(frozen=True, slots=True)
class CommitmentCancellation(Input):
    reason: object = None

OPEN, DONE, CANCELLED = COMMITMENT_OPEN, COMMITMENT_DONE, COMMITMENT_CANCELLED
STATUS_LABELS = COMMITMENT_STATUS_LABELS
REMIND_DAYS_BEFORE = 3
MAX_DAYS_AHEAD = 3 * 365
MAX_ROW_ID = 2**31 - 1  # ids are 32-bit serials on PostgreSQL


def today() -> date:
    return now().date()


def _due(errors: dict[str, str], raw: object) -> date | None:
    text = clean_text(raw)
    try:
        due = date.fromisoformat(text)
    except ValueError:
        errors["due_on"] = "Tenggat wajib diisi dengan tanggal (TTTT-BB-HH)."
        return None
    if due < today():
        errors["due_on"] = "Tenggat tidak boleh di masa lalu."
    elif due > today() + timedelta(days=MAX_DAYS_AHEAD):
        errors["due_on"] = "Tenggat paling jauh tiga tahun dari sekarang."
    return due


async def _takes_part(user_id: int, thread: dict[str, Any]) -> bool:
    if thread["author"] == user_id:
        return True
    return await Post.exists().where(
        (Post.thread == thread["id"]) & (Post.author == user_id) & (Post.status == PUBLISHED)
    )


async def add_commitment(user: CurrentUser, thread_id: int, data: CommitmentInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    what = require_text(errors, "what", data.get("what"), "Komitmen", max_len=300, min_len=5)
    due_on = _due(errors, data.get("due_on"))
    owner_raw = data.get("owner_id") or user.id
    try:
        owner_id = int(str(owner_raw))
    except ValueError:
        owner_id = 0
    if not 0 < owner_id <= MAX_ROW_ID:  # beyond any id the database can hold: a typo, never a 404 or 500
        errors["owner_id"] = "Penanggung jawab tidak dikenal."
    if errors:
        raise InvalidInput(errors)
    async with write_transaction():
        thread = await Thread.select(Thread.id, Thread.title, Thread.slug, Thread.status, Thread.author,
                                     Thread.is_locked).where(Thread.id == thread_id).first()  # fmt: skip
        if thread is None or not can_see(user, thread):
            raise NotFound("Topik tidak ditemukan.")
        if thread["is_locked"] and not user.is_moderator:
            raise Forbidden("Topik ini dikunci moderator.")
        owner = await User.select(User.id, User.agency, User.display_name).where(
            (User.id == owner_id) & (User.is_active == True)  # noqa: E712
        ).first()
        if owner is None:
            raise InvalidInput({"owner_id": "Penanggung jawab tidak dikenal."})
        # A commitment notifies its owner and counts against their agency on the dashboard, so members commit
        # themselves, colleagues of their own agency, or someone who takes part in this thread (its author or
        # a replier, who can cancel it with a reason); only a moderator assigns anyone.
        allowed = user.is_moderator or owner["id"] == user.id or owner["agency"] == user.agency_id
        if not allowed and not await _takes_part(owner["id"], thread):
            raise InvalidInput({"owner_id": "Penanggung jawab harus Anda sendiri, rekan dari instansi Anda, "
                                            "atau peserta diskusi topik ini."})  # fmt: skip
        commitment = Commitment(thread=thread_id, what=what, owner=owner["id"], owner_agency=owner["agency"],
                                due_on=due_on, created_by=user.id, created_at=now())  # fmt: skip
        await commitment.save()
        notice = _notice([owner["id"]], f"Anda ditunjuk menindaklanjuti: {what}", thread_id, thread["slug"], user.id)
        await changes.thread(What.COMMITMENT_MADE, thread_id, days=(due_on,), notices=(notice,))
    return {"id": commitment.id, "status": OPEN}


async def _commitment(commitment_id: int) -> dict[str, Any]:
    row = await Commitment.select(
        Commitment.id, Commitment.status, Commitment.owner, Commitment.what, Commitment.created_by, Commitment.due_on,
        Commitment.thread.id.as_alias("thread_id"), Commitment.thread.slug.as_alias("slug"),
        Commitment.thread.author.as_alias("thread_author"),
    ).where(Commitment.id == commitment_id).first()  # fmt: skip
    if row is None:
        raise NotFound("Komitmen tidak ditemukan.")
    return row


def _notice(recipients: list[int], text: str, thread_id: int, slug: str, exclude: int | None = None) -> Notice:
    url = thread_url(thread_id, slug, "tindak-lanjut")
    return Notice(tuple(recipients), "commitment", text, url, exclude)


async def _close(user: CurrentUser, commitment_id: int, status: str, evidence: str) -> dict[str, Any]:
    async with write_transaction():
        row = await _commitment(commitment_id)
        if not (user.is_moderator or user.id == row["owner"]):
            raise Forbidden("Hanya penanggung jawab atau moderator yang dapat menutup komitmen ini.")
        if row["status"] != OPEN:
            raise Conflict(f"Komitmen ini sudah {STATUS_LABELS[row['status']].lower()}.")
        closed_at = now()
        await Commitment.update({Commitment.status: status, Commitment.evidence: evidence,
                                 Commitment.closed_at: closed_at, Commitment.closed_by: user.id}).where(
            Commitment.id == commitment_id)  # fmt: skip
        notice = _notice([row["created_by"], row["thread_author"]],
                         f"Komitmen {STATUS_LABELS[status].lower()}: {row['what']}", row["thread_id"], row["slug"],
                         user.id)  # fmt: skip
        await changes.thread(What.COMMITMENT_CLOSED, row["thread_id"], days=(row["due_on"], closed_at),
                             notices=(notice,))  # fmt: skip
    return {"id": commitment_id, "status": status}


async def complete_commitment(user: CurrentUser, commitment_id: int, data: CommitmentCompletion) -> dict[str, Any]:
    errors: dict[str, str] = {}
    evidence = require_text(errors, "evidence", data.get("evidence"), "Bukti atau catatan penyelesaian",
                            max_len=2000, min_len=5)  # fmt: skip
    if errors:
        raise InvalidInput(errors)
    return await _close(user, commitment_id, DONE, evidence)


async def cancel_commitment(user: CurrentUser, commitment_id: int, data: CommitmentCancellation) -> dict[str, Any]:
    errors: dict[str, str] = {}
    reason = require_text(errors, "reason", data.get("reason"), "Alasan pembatalan", max_len=1000, min_len=3)
    if errors:
        raise InvalidInput(errors)
    return await _close(user, commitment_id, CANCELLED, reason)


_FIELDS = (
    Commitment.id, Commitment.what, Commitment.due_on, Commitment.status, Commitment.evidence,
    Commitment.created_at, Commitment.closed_at, Commitment.created_by,
    Commitment.owner.id.as_alias("owner_id"), Commitment.owner.display_name.as_alias("owner_name"),
    Commitment.owner_agency.name.as_alias("agency_name"), Commitment.owner_agency.slug.as_alias("agency_slug"),
    Commitment.thread.id.as_alias("thread_id"), Commitment.thread.title.as_alias("thread_title"),
    Commitment.thread.slug.as_alias("thread_slug"),
)  # fmt: skip


async def _decorate(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    current = today()
    makers = {row["created_by"] for row in rows}
    trusted = {user["id"] for user in await User.select(User.id, User.verified_at, User.role, User.is_agency_admin).where(
        User.id.is_in(list(makers))) if is_trusted_row(user["verified_at"], user["role"], user["is_agency_admin"])
    } if makers else set()  # fmt: skip
    for row in rows:
        # Shown, but not counted on the dashboard, until whoever made it is verified (forum.dashboard.tally).
        row["unverified"] = row["created_by"] not in trusted
        row["overdue"] = row["status"] == OPEN and row["due_on"] < current
        row["status_label"] = "Terlambat" if row["overdue"] else STATUS_LABELS[row["status"]]
        row["on_time"] = row["status"] == DONE and row["closed_at"] is not None and row["closed_at"].date() <= row["due_on"]
    return rows


@prepared(1)
def _commitments_of(thread_id: Any) -> Any:
    return Commitment.select(*_FIELDS).where(Commitment.thread == thread_id).order_by(Commitment.due_on)


async def commitments_of_thread(thread_id: int) -> list[dict[str, Any]]:
    return await _decorate(await _commitments_of(thread_id))


async def open_commitments(agency_slug: str = "", user_id: int | None = None, overdue_only: bool = False,
                           limit: int = 200) -> list[dict[str, Any]]:  # fmt: skip
    """Open (and overdue) commitments, soonest due first, per agency and/or per person."""
    # A commitment is listed only where its thread is: a pending or hidden thread's follow-ups stay on it.
    query = Commitment.select(*_FIELDS).where((Commitment.status == OPEN) & listed(Commitment.thread.status))
    if agency_slug:
        query = query.where(Commitment.owner_agency.slug == agency_slug)
    if user_id:
        query = query.where(Commitment.owner == user_id)
    if overdue_only:
        query = query.where(Commitment.due_on < today())
    return await _decorate(await query.order_by(Commitment.due_on).limit(limit))


async def send_reminders() -> dict[str, int]:
    """Remind owners once shortly before the due date and once after it passed (idempotent; for cron)."""
    current = today()
    sent = {"before": 0, "after": 0}
    async with write_transaction():
        soon = await Commitment.select(*_FIELDS).where(
            (Commitment.status == OPEN) & Commitment.reminded_before_at.is_null()
            & (Commitment.due_on >= current) & (Commitment.due_on <= current + timedelta(days=REMIND_DAYS_BEFORE))
        )  # fmt: skip
        late = await Commitment.select(*_FIELDS).where(
            (Commitment.status == OPEN) & Commitment.reminded_after_at.is_null() & (Commitment.due_on < current)
        )
        for row in soon:
            notice = _notice([row["owner_id"]], f"Tenggat {row['due_on']:%d-%m-%Y}: {row['what']}",
                             row["thread_id"], row["thread_slug"])  # fmt: skip
            await changes.thread(What.COMMITMENT_REMINDED, row["thread_id"], notices=(notice,))
            await Commitment.update({Commitment.reminded_before_at: now()}).where(Commitment.id == row["id"])
            sent["before"] += 1
        for row in late:
            notice = _notice([row["owner_id"]], f"Lewat tenggat: {row['what']}", row["thread_id"], row["thread_slug"])
            await changes.thread(What.COMMITMENT_REMINDED, row["thread_id"], notices=(notice,))
            await Commitment.update({Commitment.reminded_after_at: now()}).where(Commitment.id == row["id"])
            sent["after"] += 1
    return sent
