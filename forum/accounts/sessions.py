"""Signed-in browsers. Each sign-in is a ``UserSession`` row whose key (only its hash is stored) the browser's
server-side session holds; a request is signed in only while that row exists and the account is active. So a
person can end one session or all of them, a password reset ends every one, and a suspension takes effect on
the very next request."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from forum.core.clock import now
from forum.core.errors import NotFound
from forum.core.hashing import fingerprint
from forum.core.identity import CurrentUser
from forum.core.tables import UserSession

TOUCH_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often (reading a page costs no write)
USER_AGENT_MAX = 200



async def start_session(user_id: int, user_agent: str) -> str:
    """A new signed-in session; returns the key the browser's server-side session keeps."""
    key = secrets.token_urlsafe(32)
    moment = now()
    await UserSession.insert(UserSession(user=user_id, key_hash=fingerprint(key), created_at=moment, last_seen_at=moment,
                                         user_agent=user_agent[:USER_AGENT_MAX]))  # fmt: skip
    return key


async def session_owner(user_id: object, key: object) -> int | None:
    """The account this session key signs in (touching its last-seen time now and then), or None."""
    if not isinstance(user_id, int) or not isinstance(key, str) or len(key) > 100:
        return None
    row = await UserSession.select(UserSession.id, UserSession.last_seen_at).where(
        (UserSession.key_hash == fingerprint(key)) & (UserSession.user == user_id)
    ).first()
    if row is None:
        return None
    await touch_session(row["id"], row["last_seen_at"])
    return user_id


async def touch_session(session_id: int, last_seen_at: datetime) -> None:
    """Record that the session was used, at most every TOUCH_EVERY (reading a page costs no write)."""
    moment = now()
    if moment - last_seen_at > TOUCH_EVERY:
        await UserSession.update({UserSession.last_seen_at: moment}).where(UserSession.id == session_id)


async def end_session(key: object) -> None:
    if isinstance(key, str):
        await UserSession.delete().where(UserSession.key_hash == fingerprint(key))


async def end_all_sessions(user_id: int, keep: object = None) -> int:
    """End every session of the account (but ``keep``, the one asking); returns how many ended."""
    query = UserSession.user == user_id
    if isinstance(keep, str):
        query &= UserSession.key_hash != fingerprint(keep)
    ended = await UserSession.delete().where(query).returning(UserSession.id)
    return len(ended)


async def end_own_session(user: CurrentUser, session_id: int) -> None:
    """End one of one's own sessions (another person's is "not found", like one that does not exist)."""
    ended = await UserSession.delete().where((UserSession.id == session_id) & (UserSession.user == user.id)).returning(
        UserSession.id
    )
    if not ended:
        raise NotFound("Sesi tidak ditemukan (mungkin sudah berakhir).")


async def list_sessions(user: CurrentUser, current_key: object) -> list[dict[str, Any]]:
    """One's sessions, most recently seen first, each with a readable device and whether it is this one."""
    rows = await UserSession.select(UserSession.id, UserSession.key_hash, UserSession.created_at,
                                    UserSession.last_seen_at, UserSession.user_agent).where(
        UserSession.user == user.id).order_by(UserSession.last_seen_at, ascending=False)  # fmt: skip
    mine = fingerprint(current_key) if isinstance(current_key, str) else None
    return [{"id": row["id"], "created_at": row["created_at"], "last_seen_at": row["last_seen_at"],
             "device": describe_device(row["user_agent"]), "current": row["key_hash"] == mine} for row in rows]  # fmt: skip


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser", "Samsung Internet"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))  # fmt: skip
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))  # fmt: skip


def describe_device(user_agent: str) -> str:
    """"Chrome di Android" from a User-Agent header: enough to tell one's phone from the office PC."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser} di {system}"
    return browser or system or "Perangkat tidak dikenal"
