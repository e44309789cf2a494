"""Mail to an account's owner when something about its security changed, with what to do if it was not them."""

from __future__ import annotations

from forum.core.mail import queue_mail
from forum.core.settings import get_settings
from forum.core.tables import User


async def tell_owner(user_id: int, what: str, subject: str) -> None:
    """Queue the alert in the caller's transaction (it goes out only if the change is kept)."""
    row = await User.select(User.display_name, User.email).where(User.id == user_id).first()
    if row is None:
        return
    body = (f"Halo {row['display_name']},\n\n{what}\n\nJika bukan Anda yang melakukannya, segera atur ulang kata sandi "
            f"di {get_settings().base_url}/lupa-sandi dan hubungi moderator.\n")  # fmt: skip
    await queue_mail(row["display_name"], row["email"], subject, body, "account_security")
