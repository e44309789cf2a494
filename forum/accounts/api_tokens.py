"""API tokens for scripts: named, limited to scopes, expiring, revocable, and stored only as a SHA-256.

Scopes: ``read`` (every GET), ``write`` (any change), ``moderate`` (the moderators' own routes, on top of their
role). A token never grants more than its account may do: the policy still decides; the scopes only narrow
it. Members make their own on /akun/token; `sinergi create-token` makes one for the operator's scripts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from forum.accounts.service import load_current_user, user_id_by_email
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import InvalidInput, NotFound
from forum.core.hashing import fingerprint
from forum.core.identity import CurrentUser
from forum.core.inputs import Input
from forum.core.tables import ApiToken
from forum.core.validation import require_text

TOKEN_PREFIX = "sng_"
READ, WRITE, MODERATE = "read", "write", "moderate"
SCOPE_LABELS = {READ: "Baca", WRITE: "Tulis", MODERATE: "Moderasi"}
DEFAULT_DAYS, MAX_DAYS = 90, 365
MAX_TOKENS = 20  # per account: enough for every script, not a pile nobody reviews


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """Who a bearer token acts as, and what it may do."""

    user: CurrentUser
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True)
class TokenRequest(Input):
    name: object = None
    scopes: object = None  # a list of scope codes
    days: object = None



def scopes_open_to(user: CurrentUser) -> tuple[str, ...]:
    """Moderators, and agency admins (who verify members), may give a token the moderate scope."""
    return (READ, WRITE, MODERATE) if user.is_moderator or user.is_agency_admin else (READ, WRITE)


async def _insert(user_id: int, name: str, scopes: tuple[str, ...], days: int) -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    moment = now()
    await ApiToken.insert(ApiToken(user=user_id, token_hash=fingerprint(token), name=name[:100], scopes=" ".join(scopes),
                                   created_at=moment, expires_at=moment + timedelta(days=days)))  # fmt: skip
    return token


async def create_api_token(email: str, name: str = "cli", days: int = DEFAULT_DAYS) -> str:
    """The operator's token for a script (CLI): every scope the account's role allows, ``days`` long."""
    user = await load_current_user(await user_id_by_email(email))
    if user is None:  # suspended
        raise NotFound(f"Pengguna dengan email {email} tidak ditemukan.")
    return await _insert(user.id, name, scopes_open_to(user), days)


async def issue_token(user: CurrentUser, data: TokenRequest) -> str:
    """A member's own token; the value is shown once and only its hash kept."""
    errors: dict[str, str] = {}
    name = require_text(errors, "name", data.name, "Nama token", max_len=100, min_len=2)
    raw_scopes = data.scopes if isinstance(data.scopes, list) else [data.scopes] if data.scopes else []
    open_to = scopes_open_to(user)
    scopes = tuple(scope for scope in open_to if scope in raw_scopes)
    if any(scope not in open_to for scope in raw_scopes) or not scopes:
        errors["scopes"] = "Pilih cakupan token: " + ", ".join(SCOPE_LABELS[scope] for scope in open_to) + "."
    elif READ not in scopes:
        scopes = (READ, *scopes)  # every token reads
    try:
        days = int(str(data.days)) if data.days not in (None, "") else DEFAULT_DAYS
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = f"Masa berlaku antara 1 dan {MAX_DAYS} hari."
    if errors:
        raise InvalidInput(errors)
    async with write_transaction():
        if await ApiToken.count().where(ApiToken.user == user.id) >= MAX_TOKENS:
            raise InvalidInput({"name": f"Paling banyak {MAX_TOKENS} token per akun; cabut yang tidak terpakai."})
        return await _insert(user.id, name, scopes, days)


async def grant_for_token(token: str) -> TokenGrant | None:
    """The account and scopes of an unexpired token, noting its use; None for anything else."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = await ApiToken.select(ApiToken.id, ApiToken.user, ApiToken.scopes, ApiToken.expires_at).where(
        ApiToken.token_hash == fingerprint(token)
    ).first()
    moment = now()
    if row is None or (row["expires_at"] is not None and row["expires_at"] <= moment):
        return None
    user = await load_current_user(row["user"])
    if user is None:  # suspended
        return None
    await ApiToken.update({ApiToken.last_used_at: moment}).where(ApiToken.id == row["id"])
    return TokenGrant(user, frozenset(row["scopes"].split()))


async def list_tokens(user: CurrentUser) -> list[dict[str, Any]]:
    rows = await ApiToken.select(ApiToken.id, ApiToken.name, ApiToken.scopes, ApiToken.created_at,
                                 ApiToken.last_used_at, ApiToken.expires_at).where(
        ApiToken.user == user.id).order_by(ApiToken.created_at, ascending=False)  # fmt: skip
    moment = now()
    return [{**row, "scopes": row["scopes"].split(),
             "expired": row["expires_at"] is not None and row["expires_at"] <= moment} for row in rows]  # fmt: skip


async def revoke_token(user: CurrentUser, token_id: int) -> None:
    gone = await ApiToken.delete().where((ApiToken.id == token_id) & (ApiToken.user == user.id)).returning(ApiToken.id)
    if not gone:
        raise NotFound("Token tidak ditemukan.")
