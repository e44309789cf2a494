"""Forgotten and changed passwords.

"Lupa kata sandi" answers the same whether or not the address has an account, and is limited per address and
per client. The link it mails works once, for an hour; using it sets the new password and ends every session
and API token of the account (whoever knew the old password is out). Changing a password needs the current
one and ends the account's other sessions.
"""

from __future__ import annotations

from forum.accounts import tokens
from forum.accounts.alerts import tell_owner
from forum.accounts.passwords import hash_password, password_problem, verify_password
from forum.accounts.sessions import end_all_sessions
from forum.core.db import write_transaction
from forum.core.errors import InvalidInput
from forum.core.identity import CurrentUser
from forum.core.mail import queue_mail
from forum.core.ratelimit import ensure_below_limit, take_hit
from forum.core.settings import get_settings
from forum.core.tables import ApiToken, User
from forum.core.validation import clean_text

PER_ADDRESS, PER_CLIENT, WINDOW = 3, 20, 3600
INVALID_LINK = "Tautan atur ulang kata sandi ini tidak berlaku lagi (sudah dipakai atau lebih dari satu jam). Minta tautan baru."
_CHANGED = "Kata sandi Sinergi Anda berubah"
_TOO_MANY = "Terlalu banyak permintaan atur ulang kata sandi. Coba lagi dalam {minutes} menit."


async def request_password_reset(email: object, client_ip: str) -> None:
    """Mail a reset link if the address belongs to an active account; the caller answers the same either way."""
    address = clean_text(email).lower()[:254]
    await take_hit("reset-client", client_ip, PER_CLIENT, WINDOW, _TOO_MANY)
    await take_hit("reset-address", address, PER_ADDRESS, WINDOW, _TOO_MANY)
    async with write_transaction():
        user = await User.select(User.id, User.display_name, User.email).where(
            (User.email == address) & (User.is_active == True)  # noqa: E712
        ).first()
        if user is None:
            return
        raw = await tokens.issue_token(user["id"], tokens.RESET_PASSWORD, user["email"])
        body = (
            f"Halo {user['display_name']},\n\n"
            "Seseorang (semoga Anda) meminta atur ulang kata sandi akun Sinergi Anda. Buka tautan ini dalam satu jam:\n\n"
            f"{get_settings().base_url}/atur-ulang-sandi/{raw}\n\n"
            "Tautan hanya berlaku sekali. Jika Anda tidak memintanya, abaikan email ini: kata sandi Anda tidak berubah.\n"
        )
        await queue_mail(user["display_name"], user["email"], "Atur ulang kata sandi Sinergi", body, tokens.RESET_PASSWORD)


async def reset_password(raw: object, new_password: object) -> int:
    """Set a new password with a reset link; every session and API token of the account ends. Returns the user id."""
    token = await tokens.token_in_force(raw, tokens.RESET_PASSWORD)
    if token is None:
        raise InvalidInput({"token": INVALID_LINK}, detail=INVALID_LINK)
    user = await User.select(User.email, User.display_name).where(User.id == token["user"]).first()
    problem = password_problem(new_password, email=user["email"] if user else "", display_name=user["display_name"] if user else "")
    if problem:
        raise InvalidInput({"password": problem})
    password_hash = await hash_password(str(new_password))
    async with write_transaction():
        if await tokens.redeem_token(raw, tokens.RESET_PASSWORD) is None:  # used meanwhile
            raise InvalidInput({"token": INVALID_LINK}, detail=INVALID_LINK)
        await User.update({User.password_hash: password_hash}).where(User.id == token["user"])
        await end_all_sessions(token["user"])
        await ApiToken.delete().where(ApiToken.user == token["user"])
        await tell_owner(token["user"], "Kata sandi akun Sinergi Anda baru saja diatur ulang. Semua sesi dan token API "
                                        "akun ini sudah diakhiri.", _CHANGED)  # fmt: skip
    return int(token["user"])


WRONG_CURRENT_MAX, WRONG_CURRENT_WINDOW = 10, 900
_TOO_MANY_WRONG = "Terlalu banyak kata sandi saat ini yang salah. Coba lagi dalam {minutes} menit."


async def change_password(user: CurrentUser, current: object, new_password: object, session_key: object) -> None:
    """Change one's own password (the current one first, its wrong guesses limited like logins); the account's
    other sessions end."""
    row = await User.select(User.password_hash).where(User.id == user.id).first()
    await ensure_below_limit("password-change", str(user.id), WRONG_CURRENT_MAX, WRONG_CURRENT_WINDOW, _TOO_MANY_WRONG)
    if row is None or not await verify_password(row["password_hash"], current if isinstance(current, str) else ""):
        await take_hit("password-change", str(user.id), WRONG_CURRENT_MAX, WRONG_CURRENT_WINDOW, _TOO_MANY_WRONG)
        raise InvalidInput({"current_password": "Kata sandi saat ini salah."})
    problem = password_problem(new_password, email=user.email, display_name=user.display_name)
    if problem:
        raise InvalidInput({"password": problem})
    password_hash = await hash_password(str(new_password))
    async with write_transaction():
        await User.update({User.password_hash: password_hash}).where(User.id == user.id)
        await end_all_sessions(user.id, keep=session_key)
        await tell_owner(user.id, "Kata sandi akun Sinergi Anda baru saja diubah. Sesi lain akun ini sudah diakhiri.", _CHANGED)
