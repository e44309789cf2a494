"""One's own profile settings (display name, jabatan, NIP, a short bio) and a change of address, which waits
for a link mailed to the new address: until it is used the account keeps its old, confirmed one."""

from __future__ import annotations

from dataclasses import dataclass

from forum.accounts.avatar import avatar_version
from forum.accounts.confirmation import send_confirmation
from forum.accounts.names import display_name_problem
from forum.accounts.nip import nip_problem
from forum.accounts.passwords import verify_password
from forum.accounts.service import EMAIL_RE, normalise_email
from forum.core import changes
from forum.core.changes import What
from forum.core.db import write_transaction
from forum.core.errors import InvalidInput
from forum.core.identity import CurrentUser
from forum.core.inputs import Input
from forum.core.mail import queue_mail
from forum.core.ratelimit import take_hit
from forum.core.tables import Thread, User
from forum.core.validation import clean_text, optional_text, require_text

BIO_MAX = 500
EMAIL_MAX = 254


@dataclass(frozen=True, slots=True)
class ProfileChange(Input):
    """What a member may change about themselves on /akun/profil."""

    display_name: object = None
    position: object = None
    nip: object = None
    bio: object = None


@dataclass(frozen=True, slots=True)
class EmailChange(Input):
    email: object = None
    password: object = None  # the current one: an unattended signed-in browser must not move the account


async def profile_fields(user_id: int) -> dict[str, str]:
    """The settings form as stored, with the picture's version ("" when there is none)."""
    row = await User.select(User.display_name, User.position, User.bio, User.nip).where(User.id == user_id).first()
    return {**{key: value or "" for key, value in (row or {}).items()}, "avatar": await avatar_version(user_id) or ""}


async def update_profile(user: CurrentUser, data: ProfileChange) -> None:
    errors: dict[str, str] = {}
    display_name = require_text(errors, "display_name", data.display_name, "Nama tampilan", max_len=120, min_len=2)
    position = optional_text(errors, "position", data.position, "Jabatan", max_len=120)
    bio = optional_text(errors, "bio", data.bio, "Perkenalan singkat", max_len=BIO_MAX, multiline=True)
    nip = clean_text(data.nip).replace(" ", "")
    if nip and (problem := nip_problem(nip)):
        errors["nip"] = problem
    if display_name and "display_name" not in errors and display_name != user.display_name:
        if problem := await display_name_problem(display_name, user.id):
            errors["display_name"] = problem
    if errors:
        raise InvalidInput(errors)
    async with write_transaction():
        await User.update({User.display_name: display_name, User.position: position, User.bio: bio,
                           User.nip: nip or None}).where(User.id == user.id)  # fmt: skip
        if display_name != user.display_name:  # search documents show the author's name
            for thread in await Thread.select(Thread.id).where(Thread.author == user.id):
                await changes.thread(What.AUTHOR_RENAMED, thread["id"])


CHANGES_PER_HOUR = 3
_TOO_MANY_CHANGES = "Permintaan ganti email sudah beberapa kali. Coba lagi dalam {minutes} menit."


async def request_email_change(user: CurrentUser, data: EmailChange) -> str:
    """Mail a confirmation link to the new address (and a note to the old one); returns the new address. An
    address another account uses gets nothing, and the answer is the same: this form must not tell who has an
    account (and confirming could not take it: ``confirm_email`` refuses a taken address)."""
    email = normalise_email(data.email)
    if not EMAIL_RE.match(email) or len(email) > EMAIL_MAX:
        raise InvalidInput({"email": "Alamat email tidak valid."})
    if email == user.email:
        raise InvalidInput({"email": "Itu alamat Anda sekarang."})
    await take_hit("email-change", str(user.id), CHANGES_PER_HOUR, 3600, _TOO_MANY_CHANGES)
    row = await User.select(User.password_hash).where(User.id == user.id).first()
    if row is None or not await verify_password(row["password_hash"], data.password if isinstance(data.password, str) else ""):
        raise InvalidInput({"password": "Kata sandi salah."})
    async with write_transaction():
        if await User.exists().where(User.email == email):
            return email
        await send_confirmation(user.id, user.display_name, email, change=True)
        await queue_mail(user.display_name, user.email, "Permintaan ganti email akun Sinergi",
                         f"Halo {user.display_name},\n\nAda permintaan mengganti email akun Sinergi Anda ke {email}. "
                         "Alamat baru berlaku setelah tautan yang kami kirim ke sana dibuka. Jika bukan Anda, ubah "
                         "kata sandi Anda sekarang.\n", "email_change_notice")  # fmt: skip
    return email
