"""The moderation log's writer: every moderator action (in any feature) records one row, in its own transaction.

The log is append-only: this module only ever inserts. forum.moderation.log reads it for the public page."""

from __future__ import annotations

from forum.core.clock import now
from forum.core.identity import CurrentUser
from forum.core.tables import ModerationLog

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
    "suspend_user": "menangguhkan akun",
    "reinstate_user": "memulihkan akun",
    "approve_agency_move": "menyetujui mutasi",
    "refuse_agency_move": "menolak mutasi",
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
