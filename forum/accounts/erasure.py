"""'Hapus akun' (UU 27/2022 PDP, the right to erasure): the person's data goes, what they contributed stays.

The account row stays, because threads, replies, commitments and replications point at it. Everything in it that
names or reaches the person is blanked: the name becomes "Mantan anggota", the address a placeholder nobody can
receive mail at, the NIP, jabatan, bio, password, two-step secret and consent cleared. Their sessions, tokens,
recovery codes, picture, mailed links, follows, notifications, mutasi requests and mail waiting to go out are deleted, and so are the
rate-limit counts keyed by their address. Their name is also written in other people's notifications and queued
mail ("Ani mengapresiasi …") and in the moderation log's label of a suspension: those words are replaced.
Search documents carry the author's name, so their threads are re-indexed.

What they wrote in threads and replies is kept as written (the forum's record of an innovation belongs to the
agencies that use it); a person who wants a text gone edits or deletes it first, as the page says.
"""

from __future__ import annotations

import secrets
from typing import Any

from forum.accounts.passwords import verify_password
from forum.accounts.sessions import end_all_sessions
from forum.core import changes
from forum.core.changes import What
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import Forbidden, InvalidInput
from forum.core.identity import CurrentUser
from forum.core.ratelimit import clear_hits, take_hit
from forum.core.tables import (
    AccountToken,
    AgencyMove,
    ApiToken,
    Avatar,
    ModerationLog,
    Notification,
    OutgoingMail,
    RecoveryCode,
    Thread,
    User,
    Watch,
)

FORMER_MEMBER = "Mantan anggota"
CONFIRM_WORD = "HAPUS"
_TOO_MANY = "Terlalu banyak percobaan. Coba lagi dalam {minutes} menit."
# Buckets whose keys are the person's address (forum.accounts.service, .recovery)
_ADDRESS_BUCKETS = ("login-account", "reset-address")


def placeholder_address(user_id: int) -> str:
    """Unique (the column is) and undeliverable (.invalid is reserved, RFC 2606)."""
    return f"akun-{user_id}@dihapus.invalid"


async def erase_account(user: CurrentUser, password: object, confirm_word: object) -> None:
    """Erase one's own account after the password and the typed word; every session ends with it."""
    await take_hit("erase-account", str(user.id), 5, 900, _TOO_MANY)
    if str(confirm_word or "").strip().upper() != CONFIRM_WORD:
        raise InvalidInput({"confirm": f"Ketik {CONFIRM_WORD} untuk memastikan."})
    row = await User.select(User.password_hash, User.role).where(User.id == user.id).first()
    if row is None or not await verify_password(row["password_hash"], password if isinstance(password, str) else ""):
        raise InvalidInput({"password": "Kata sandi salah."})
    if row["role"] == "admin" and await User.count().where((User.role == "admin") & (User.is_active == True)) < 2:  # noqa: E712
        raise Forbidden("Anda administrator terakhir. Angkat administrator lain dulu, lalu hapus akun ini.")
    await _erase(user.id)


async def _erase(user_id: int) -> None:
    async with write_transaction():
        person = await User.select(User.email, User.display_name, User.role, User.is_agency_admin,
                                   User.verified_at).where(User.id == user_id).first()  # fmt: skip
        if person is None:
            return
        email, name = person["email"], person["display_name"]
        trusted = person["verified_at"] or ((person["role"] != "member" or person["is_agency_admin"]) and now())
        await User.update({
            # What a trusted member contributed keeps counting once their role is gone.
            User.verified_at: trusted or None,
            User.email: placeholder_address(user_id), User.display_name: FORMER_MEMBER, User.nip: None,
            User.position: "", User.bio: "", User.password_hash: f"!erased:{secrets.token_hex(16)}",
            User.is_active: False, User.erased_at: now(), User.role: "member", User.is_agency_admin: False,
            User.totp_secret: "", User.totp_enabled_at: None, User.totp_last_step: None,
            User.consent_version: "", User.consented_at: None, User.email_confirmed_at: None,
        }).where(User.id == user_id)  # fmt: skip
        await end_all_sessions(user_id)
        for table in (ApiToken, RecoveryCode, Watch, Notification, AgencyMove, Avatar):
            await table.delete().where(table.user == user_id)
        await AccountToken.delete().where((AccountToken.user == user_id) | (AccountToken.email == email))
        await OutgoingMail.delete().where(OutgoingMail.to_address == email)
        for bucket in _ADDRESS_BUCKETS:
            await clear_hits(bucket, email)
        await _replace_name_in_others_words(user_id, name)
        for thread in await Thread.select(Thread.id).where(Thread.author == user_id):
            await changes.thread(What.AUTHOR_RENAMED, thread["id"])


async def _replace_name_in_others_words(user_id: int, name: str) -> None:
    """Where their name was written into someone else's row as text."""
    await ModerationLog.update({ModerationLog.target_label: FORMER_MEMBER}).where(
        (ModerationLog.target_type == "user") & (ModerationLog.target_id == user_id)
    )
    for table, column in ((Notification, Notification.text), (OutgoingMail, OutgoingMail.body)):
        # LIKE narrows the rows (a % or _ in a name only widens it); the exact replacement is Python's.
        rows: list[dict[str, Any]] = await table.select(table.id, column).where(column.like(f"%{name}%"))
        for row in rows:
            await table.update({column: row[column._meta.name].replace(name, FORMER_MEMBER)}).where(
                table.id == row["id"]
            )

