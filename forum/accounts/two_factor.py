"""Two-step sign-in: a TOTP code (RFC 6238, any authenticator app) after the password, or one of ten single-use
recovery codes when the phone is lost.

Staff must enrol: a moderator, an administrator or an agency admin who has not enrolled signs in as a plain
member (``forum.accounts.service.load_current_user`` holds the powers back) until they do, so a guessed or
reused password alone never moderates anything.

A code is accepted once: the account remembers the last time step it took, so a code read over a shoulder or
relayed by a phishing page a few seconds later is refused. Wrong codes are limited per account like logins.
The secret is kept in the session while enrolment waits for its first code, and stored only once confirmed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import pyotp
import segno

from forum.accounts.alerts import tell_owner
from forum.accounts.passwords import verify_password
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import Conflict, InvalidInput
from forum.core.hashing import fingerprint
from forum.core.identity import CurrentUser
from forum.core.ratelimit import clear_hits, take_hit
from forum.core.tables import RecoveryCode, User

ISSUER = "Sinergi"
RECOVERY_CODE_COUNT = 10
WRONG_CODES_MAX, WRONG_CODES_WINDOW = 5, 900  # per account: a 6-digit code cannot be walked through
STEP_SECONDS = 30
DRIFT_STEPS = 1  # a phone's clock half a minute off is still accepted
_TOO_MANY = "Terlalu banyak kode yang salah. Coba lagi dalam {minutes} menit."
WRONG_CODE = ("Kode tidak cocok atau sudah dipakai. Masukkan kode 6 angka terbaru dari aplikasi autentikator Anda, "
              "atau salah satu kode pemulihan yang belum dipakai.")  # fmt: skip
TWO_FACTOR_SUBJECT = "Keamanan akun Sinergi Anda"
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper and typed on a phone


_HELD_POWER_LABELS = {"moderator": "moderator", "admin": "administrator", "agency_admin": "admin instansi"}


def held_power_label(held: str) -> str:
    """The banner's words for the powers waiting on enrolment (CurrentUser.held_powers)."""
    return _HELD_POWER_LABELS.get(held, held)


def new_secret() -> str:
    return pyotp.random_base32()


def enrolment_view(secret: str, email: str) -> dict[str, str]:
    """What the enrolment page shows: the QR code (an SVG data URI) and the key typed by hand on a phone that
    cannot scan its own screen."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return {"qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2), "key": grouped, "uri": uri}


def _digits(code: object) -> str:
    return "".join(ch for ch in str(code or "")[:40] if ch.isdigit())


def _matching_step(secret: str, code: str) -> int | None:
    """The time step ``code`` belongs to (now, or one step either side), or None."""
    if len(code) != 6:
        return None
    totp, moment = pyotp.TOTP(secret), now().timestamp()
    for drift in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        at = moment + drift * STEP_SECONDS
        if secrets.compare_digest(totp.at(at), code):
            return int(at // STEP_SECONDS)
    return None


def _new_recovery_codes() -> list[str]:
    return ["-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(2))
            for _ in range(RECOVERY_CODE_COUNT)]  # fmt: skip


def _normalise_recovery(code: object) -> str:
    text = "".join(ch for ch in str(code or "")[:40].lower() if ch.isalnum())
    return f"{text[:5]}-{text[5:]}" if len(text) == 10 else ""


async def _replace_recovery_codes(user_id: int) -> list[str]:
    codes = _new_recovery_codes()
    await RecoveryCode.delete().where(RecoveryCode.user == user_id)
    await RecoveryCode.insert(*(RecoveryCode(user=user_id, code_hash=fingerprint(code)) for code in codes))
    return codes


async def _count_attempt(user_id: int) -> None:
    """Every attempt counts before it is checked (a burst of concurrent guesses gets no more tries than the
    limit); a right code clears the count."""
    await take_hit("two-factor", str(user_id), WRONG_CODES_MAX, WRONG_CODES_WINDOW, _TOO_MANY)


MAIL_CODE_SECONDS = 900
MAIL_CODES_PER_HOUR = 5
_TOO_MANY_MAILS = "Kode sudah beberapa kali dikirim. Coba lagi dalam {minutes} menit."
WRONG_MAIL_CODE = "Kode dari email tidak cocok atau sudah kedaluwarsa. Minta kode baru."


async def mail_enrolment_code(user: CurrentUser) -> dict[str, Any]:
    """Enrolling needs a code mailed to the account's address as well as one from the app: whoever has only the
    password (a phished or reused one) cannot tie the account to their own phone, and so cannot take a staff
    member's powers or lock the owner out. Returns what the session keeps: the code's hash and when."""
    if await requires_second_step(user.id):
        raise Conflict("Verifikasi dua langkah sudah aktif.")
    await take_hit("two-factor-mail", str(user.id), MAIL_CODES_PER_HOUR, 3600, _TOO_MANY_MAILS)
    code = f"{secrets.randbelow(1_000_000):06d}"
    await tell_owner(user.id, f"Kode untuk mengaktifkan verifikasi dua langkah: {code}\n\nKode ini berlaku 15 menit. "
                     "Jangan berikan kepada siapa pun, termasuk yang mengaku petugas Sinergi.", TWO_FACTOR_SUBJECT)  # fmt: skip
    return {"hash": fingerprint(code), "at": now().timestamp()}


def _mail_code_matches(mailed: object, code: object) -> bool:
    if not isinstance(mailed, dict) or now().timestamp() - float(mailed.get("at", 0)) > MAIL_CODE_SECONDS:
        return False
    return secrets.compare_digest(fingerprint(_digits(code)), str(mailed.get("hash", "")))


async def enrol(user: CurrentUser, secret: object, code: object, mail_code: object, mailed: object) -> list[str]:
    """Confirm enrolment with the first code from the app and the code mailed to the account's address; returns
    the recovery codes, shown once."""
    if await requires_second_step(user.id):
        raise Conflict("Verifikasi dua langkah sudah aktif. Nonaktifkan dulu untuk mendaftarkan ponsel lain.")
    await _count_attempt(user.id)
    if not isinstance(secret, str) or len(secret) != 32:
        raise InvalidInput({"code": "Pendaftaran kedaluwarsa. Muat ulang halaman dan pindai kode QR yang baru."})
    if not _mail_code_matches(mailed, mail_code):
        raise InvalidInput({"mail_code": WRONG_MAIL_CODE})
    step = _matching_step(secret, _digits(code))
    if step is None:
        raise InvalidInput({"code": WRONG_CODE})
    await clear_hits("two-factor", str(user.id))
    async with write_transaction():
        await User.update({User.totp_secret: secret, User.totp_enabled_at: now(), User.totp_last_step: step}).where(
            User.id == user.id
        )
        codes = await _replace_recovery_codes(user.id)
        await tell_owner(user.id, "Verifikasi dua langkah baru saja diaktifkan untuk akun Sinergi Anda.", TWO_FACTOR_SUBJECT)
    return codes


@dataclass(frozen=True, slots=True)
class SecondStep:
    """What the second sign-in step accepted: which kind of code, and how many recovery codes remain."""

    used_recovery_code: bool
    recovery_codes_left: int


async def check_second_step(user_id: int, code: object) -> SecondStep:
    """The code after the password: a fresh TOTP code, or an unused recovery code (used up by this)."""
    await _count_attempt(user_id)
    row = await User.select(User.totp_secret).where(
        (User.id == user_id) & (User.totp_enabled_at.is_not_null()) & (User.is_active == True)  # noqa: E712
    ).first()
    if row is None:
        raise InvalidInput({"code": WRONG_CODE})
    step = _matching_step(row["totp_secret"], _digits(code))
    if step is not None:
        async with write_transaction():
            # Taken only if later than the last one: the same code (or an older one) cannot be used again.
            taken = await User.update({User.totp_last_step: step}).where(
                (User.id == user_id) & ((User.totp_last_step.is_null()) | (User.totp_last_step < step))
            ).returning(User.id)
        if taken:
            await clear_hits("two-factor", str(user_id))
            return SecondStep(False, await _recovery_codes_left(user_id))
    recovery = _normalise_recovery(code)
    if step is None and recovery:
        async with write_transaction():
            used = await RecoveryCode.update({RecoveryCode.used_at: now()}).where(
                (RecoveryCode.user == user_id) & (RecoveryCode.code_hash == fingerprint(recovery))
                & (RecoveryCode.used_at.is_null())
            ).returning(RecoveryCode.id)  # fmt: skip
            if used:
                await tell_owner(user_id, "Satu kode pemulihan baru saja dipakai untuk masuk ke akun Sinergi Anda.", TWO_FACTOR_SUBJECT)
        if used:
            await clear_hits("two-factor", str(user_id))
            return SecondStep(True, await _recovery_codes_left(user_id))
    raise InvalidInput({"code": WRONG_CODE})


async def _recovery_codes_left(user_id: int) -> int:
    return await RecoveryCode.count().where((RecoveryCode.user == user_id) & (RecoveryCode.used_at.is_null()))


async def _confirm_with_password_and_code(user: CurrentUser, password: object, code: object) -> None:
    row = await User.select(User.password_hash).where(User.id == user.id).first()
    await _count_attempt(user.id)
    if row is None or not await verify_password(row["password_hash"], password if isinstance(password, str) else ""):
        raise InvalidInput({"password": "Kata sandi salah."})
    await check_second_step(user.id, code)


async def renew_recovery_codes(user: CurrentUser, password: object, code: object) -> list[str]:
    """Ten new recovery codes (the old ones stop working), after the password and a current code."""
    await _confirm_with_password_and_code(user, password, code)
    async with write_transaction():
        return await _replace_recovery_codes(user.id)


async def turn_off(user: CurrentUser, password: object, code: object) -> None:
    """Turn two-step sign-in off (staff lose their powers again until they re-enrol)."""
    await _confirm_with_password_and_code(user, password, code)
    async with write_transaction():
        await User.update({User.totp_secret: "", User.totp_enabled_at: None, User.totp_last_step: None}).where(
            User.id == user.id
        )
        await RecoveryCode.delete().where(RecoveryCode.user == user.id)
        await tell_owner(user.id, "Verifikasi dua langkah baru saja dinonaktifkan untuk akun Sinergi Anda.", TWO_FACTOR_SUBJECT)


async def status(user_id: int) -> dict[str, Any]:
    row = await User.select(User.totp_enabled_at).where(User.id == user_id).first()
    enabled_at = row["totp_enabled_at"] if row else None
    return {"enabled": enabled_at is not None, "enabled_at": enabled_at,
            "recovery_codes_left": await _recovery_codes_left(user_id) if enabled_at else 0}  # fmt: skip


async def requires_second_step(user_id: int) -> bool:
    row = await User.select(User.totp_enabled_at).where(User.id == user_id).first()
    return bool(row and row["totp_enabled_at"])
