"""Single-use links sent by mail: confirm an address, reset a password.

A link carries 32 random bytes; only their SHA-256 is stored, with the address it was sent to, its purpose
and its expiry, so a copy of the database opens nothing. A link works once: redeeming it marks it used in the
same transaction as what it does, and issuing a new link of the same purpose voids the older ones.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from forum.core.clock import now
from forum.core.hashing import fingerprint
from forum.core.tables import AccountToken

CONFIRM_EMAIL = "confirm_email"
RESET_PASSWORD = "reset_password"
LIFETIMES = {CONFIRM_EMAIL: timedelta(days=3), RESET_PASSWORD: timedelta(hours=1)}
RAW_LENGTH_MAX = 100



async def issue_token(user_id: int, purpose: str, email: str) -> str:
    """A new link for ``purpose`` (inside the caller's transaction); the account's older ones stop working."""
    moment = now()
    await AccountToken.update({AccountToken.used_at: moment}).where(
        (AccountToken.user == user_id) & (AccountToken.purpose == purpose) & AccountToken.used_at.is_null()
    )
    raw = secrets.token_urlsafe(32)
    await AccountToken.insert(AccountToken(user=user_id, purpose=purpose, token_hash=fingerprint(raw), email=email,
                                           created_at=moment, expires_at=moment + LIFETIMES[purpose]))  # fmt: skip
    return raw


async def token_in_force(raw: object, purpose: str) -> dict[str, Any] | None:
    """The unused, unexpired link with this value, or None (a wrong, used or expired link look the same)."""
    if not isinstance(raw, str) or not raw or len(raw) > RAW_LENGTH_MAX:
        return None
    row = await AccountToken.select(
        AccountToken.id, AccountToken.user, AccountToken.email, AccountToken.expires_at, AccountToken.used_at
    ).where((AccountToken.token_hash == fingerprint(raw)) & (AccountToken.purpose == purpose)).first()
    if row is None or row["used_at"] is not None or row["expires_at"] <= now():
        return None
    return row


async def redeem_token(raw: object, purpose: str) -> dict[str, Any] | None:
    """Use the link up (inside the caller's transaction); None when it is not in force. Two redemptions at once:
    the conditional update lets exactly one through."""
    row = await token_in_force(raw, purpose)
    if row is None:
        return None
    used = await AccountToken.update({AccountToken.used_at: now()}).where(
        (AccountToken.id == row["id"]) & AccountToken.used_at.is_null()
    ).returning(AccountToken.id)
    return row if used else None
