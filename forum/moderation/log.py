"""The moderation log: append-only (this module only ever inserts), public without private notes.

Labels never carry what the public may not read: a reply is only ever "balasan #<id>" (its text is never
stored, and rows written before that rule are relabelled when read), and a thread that is not published now
(hidden, pending or merged away) is "topik #<id>" for everyone but moderators."""

from __future__ import annotations

from typing import Any

from forum.accounts.service import CurrentUser
from forum.clock import now
from forum.pagination import Page, decode_cursor, encode_cursor
from forum.tables import ModerationLog, Thread
from forum.visibility import PUBLISHED

# Indonesian wording of each action for the public log.
ACTION_LABELS = {
    "pin_thread": "menyematkan topik",
    "unpin_thread": "melepas sematan topik",
    "lock_thread": "mengunci topik",
    "unlock_thread": "membuka kunci topik",
    "hide_thread": "menyembunyikan topik",
    "restore_thread": "memulihkan topik",
    "hide_post": "menyembunyikan balasan",
    "restore_post": "memulihkan balasan",
    "approve_thread": "menyetujui topik",
    "approve_post": "menyetujui balasan",
    "move_thread": "memindahkan sektor/nilai topik",
    "merge_thread": "menggabungkan topik duplikat",
    "feature_thread": "memilih sebagai Praktik Baik",
    "unfeature_thread": "membatalkan Praktik Baik",
    "revert_thread": "mengembalikan revisi topik",
    "revert_post": "mengembalikan revisi balasan",
    "dismiss_flag": "menolak laporan",
    "auto_hide_post": "menyembunyikan otomatis (3 laporan)",
    "mark_solution": "menandai solusi",
    "unmark_solution": "membatalkan solusi",
    "set_role": "mengubah peran",
    "set_agency_admin": "mengubah admin instansi",
    "verify_member": "memverifikasi anggota",
    "unverify_member": "mencabut verifikasi anggota",
    "verify_indicator": "memverifikasi indikator dampak",
    "unverify_indicator": "mencabut verifikasi indikator dampak",
}


async def record_action(
    actor: CurrentUser | int,
    action: str,
    target_type: str,
    target_id: int,
    target_label: str = "",
    reason: str = "",
    private_note: str = "",
) -> None:
    """Call inside the same transaction as the action, so the record and the change land together."""
    if target_type == "post":
        target_label = post_label(target_id)  # a reply's text may hold personal data: never logged
    await ModerationLog.insert(
        ModerationLog(
            actor=actor if isinstance(actor, int) else actor.id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_label=target_label[:200],
            reason=reason,
            private_note=private_note,
            created_at=now(),
        )
    )


def post_label(post_id: int) -> str:
    return f"balasan #{post_id}"


def thread_label(thread_id: int) -> str:
    return f"topik #{thread_id}"


async def _public_thread_ids(thread_ids: set[int]) -> set[int]:
    if not thread_ids:
        return set()
    rows = await Thread.select(Thread.id).where(Thread.id.is_in(sorted(thread_ids)) & (Thread.status == PUBLISHED))
    return {row["id"] for row in rows}


async def list_actions(include_private: bool, cursor: str | None = None, limit: int = 50) -> Page[dict[str, Any]]:
    """The log, newest first. ``include_private`` is for moderators: private notes, and the titles of threads
    that are not published now; everyone else gets "topik #<id>" for those."""
    columns = [
        ModerationLog.id,
        ModerationLog.action,
        ModerationLog.target_type,
        ModerationLog.target_id,
        ModerationLog.target_label,
        ModerationLog.reason,
        ModerationLog.created_at,
        ModerationLog.actor.display_name.as_alias("actor_name"),
        ModerationLog.actor.id.as_alias("actor_id"),
    ]
    if include_private:
        columns.append(ModerationLog.private_note)
    query = ModerationLog.select(*columns)
    if cursor:
        (before,) = decode_cursor(cursor, int)
        query = query.where(ModerationLog.id < before)
    rows = await query.order_by(ModerationLog.id, ascending=False).limit(limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    thread_ids = {row["target_id"] for row in rows if row["target_type"] == "thread"}
    public_threads = thread_ids if include_private else await _public_thread_ids(thread_ids)
    for row in rows:
        row["action_label"] = ACTION_LABELS.get(row["action"], row["action"])
        if row["target_type"] == "post":
            row["target_label"] = post_label(row["target_id"])
        elif row["target_type"] == "thread" and row["target_id"] not in public_threads:
            row["target_label"] = thread_label(row["target_id"])
    return Page(items=rows, next_cursor=encode_cursor(rows[-1]["id"]) if more and rows else None)
