"""Confirming an email address. Registration (and a change of address) sends a link; until it is used the
account reads but does not write (``forum.core.policy.can_write``). An address at one of the official domains
(OFFICIAL_EMAIL_DOMAINS, ``go.id`` by default, covering every ``*.go.id``) also makes the member verified
once confirmed; any other address stays unverified until an agency admin verifies the member."""

from __future__ import annotations

from forum.accounts import tokens
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import Conflict, InvalidInput
from forum.core.identity import CurrentUser
from forum.core.mail import queue_mail
from forum.core.ratelimit import take_hit
from forum.core.settings import get_settings
from forum.core.tables import User

RESEND_LIMIT, RESEND_WINDOW = 3, 3600
INVALID_LINK = "Tautan konfirmasi ini tidak berlaku lagi (sudah dipakai, kedaluwarsa, atau salah salin). Masuk dan minta tautan baru."
_TOO_MANY = "Tautan konfirmasi sudah dikirim beberapa kali. Coba lagi dalam {minutes} menit."


def is_official_address(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return any(domain == official or domain.endswith("." + official) for official in get_settings().official_email_domains)


async def send_confirmation(user_id: int, display_name: str, email: str, *, change: bool = False) -> None:
    """Queue the confirmation link for ``email`` (inside the caller's transaction). The address is not known to
    be its owner's yet, so the mail carries nothing the account wrote (not even its name): it cannot be made to
    carry someone's advertisement to a stranger."""
    raw = await tokens.issue_token(user_id, tokens.CONFIRM_EMAIL, email)
    link = f"{get_settings().base_url}/konfirmasi/{raw}"
    if change:
        what = ("Ada permintaan memakai alamat ini untuk sebuah akun Sinergi. Buka tautan berikut (berlaku 3 hari) "
                "untuk memakainya:")  # fmt: skip
        after = "Alamat lama akun tetap berlaku sampai tautan ini dibuka. Jika bukan Anda yang meminta, abaikan email ini.\n"
    else:
        what = "Konfirmasi alamat email Anda di Sinergi dengan membuka tautan berikut (berlaku 3 hari):"
        after = ("Sebelum dikonfirmasi, akun Anda dapat membaca tetapi belum dapat menulis.\n"
                 "Jika Anda tidak mendaftar di Sinergi, abaikan email ini.\n")  # fmt: skip
    body = f"Halo,\n\n{what}\n\n{link}\n\n{after}"
    await queue_mail("", email, "Konfirmasi email Anda di Sinergi", body, tokens.CONFIRM_EMAIL)


async def resend_confirmation(user: CurrentUser) -> None:
    if user.email_confirmed:
        raise Conflict("Email Anda sudah terkonfirmasi.")
    await take_hit("confirm-resend", str(user.id), RESEND_LIMIT, RESEND_WINDOW, _TOO_MANY)
    async with write_transaction():
        await send_confirmation(user.id, user.display_name, user.email)


async def confirm_email(raw: object) -> int:
    """Use a confirmation link: the address it was sent to becomes the account's, confirmed. Returns the user id."""
    async with write_transaction():
        token = await tokens.redeem_token(raw, tokens.CONFIRM_EMAIL)
        if token is None:
            raise InvalidInput({"token": INVALID_LINK}, detail=INVALID_LINK)
        email = token["email"]
        if await User.exists().where((User.email == email) & (User.id != token["user"])):
            raise Conflict("Alamat email ini sudah dipakai akun lain.")
        moment = now()
        update = {User.email: email, User.email_confirmed_at: moment}
        row = await User.select(User.verified_at).where(User.id == token["user"]).first()
        if row is not None and row["verified_at"] is None and is_official_address(email):
            update[User.verified_at] = moment  # verified by its official address (verified_by stays empty)
        await User.update(update).where(User.id == token["user"])
    return int(token["user"])
