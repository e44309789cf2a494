"""Suspending an account, and reinstating it. An admin does it with a reason, logged publicly; the account's
sessions end at once and its API tokens are refused from the next request (``load_current_user`` serves active
accounts only), and what it wrote stays."""

from __future__ import annotations

from forum.accounts.sessions import end_all_sessions
from forum.core.db import write_transaction
from forum.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.modlog import record_action
from forum.core.policy import can_suspend
from forum.core.tables import User
from forum.core.validation import require_text

REASON_MAX = 1000


def _reason(raw: object) -> str:
    errors: dict[str, str] = {}
    reason = require_text(errors, "reason", raw, "Alasan", max_len=REASON_MAX, multiline=True)
    if errors:
        raise InvalidInput({"reason": "Alasan wajib diisi; alasan tampil di log moderasi publik."})
    return reason


async def _set_active(actor: CurrentUser, user_id: int, active: bool, reason: object) -> None:
    if not can_suspend(actor, user_id):
        raise Forbidden("Hanya admin yang dapat menangguhkan atau memulihkan akun (dan tidak akunnya sendiri).")
    text = _reason(reason)
    async with write_transaction():
        member = await User.select(User.id, User.display_name, User.is_active, User.erased_at).where(
            User.id == user_id
        ).first()
        if member is None:
            raise NotFound("Pengguna tidak ditemukan.")
        if member["erased_at"] is not None:
            raise Conflict("Akun ini sudah dihapus atas permintaan pemiliknya dan tidak dapat dipulihkan.")
        if member["is_active"] == active:
            return
        await User.update({User.is_active: active}).where(User.id == user_id)
        if not active:
            await end_all_sessions(user_id)
        await record_action(actor, "reinstate_user" if active else "suspend_user", "user", user_id,
                            member["display_name"], text)  # fmt: skip


async def suspend_member(actor: CurrentUser, user_id: int, reason: object) -> None:
    await _set_active(actor, user_id, False, reason)


async def reinstate_member(actor: CurrentUser, user_id: int, reason: object) -> None:
    await _set_active(actor, user_id, True, reason)
