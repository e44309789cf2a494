"""Password hashing with argon2id, run off the event loop (a default hash costs ~100 ms of CPU)."""

from __future__ import annotations

from functools import lru_cache

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from forum.core.settings import get_settings

MIN_PASSWORD_LENGTH = 10


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    if get_settings().fast_password_hashing:
        # Tests only: the same algorithm with a tiny cost, so a suite of logins stays fast.
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher().hash, password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str, password: str) -> bool:
    return await anyio.to_thread.run_sync(_verify, password_hash, password)


# Verified against when the email is unknown, so a login takes as long whether or not the account exists.
_DUMMY_HASH: str | None = None


async def verify_against_dummy(password: str) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = await hash_password("dummy-password-for-timing")
    await verify_password(_DUMMY_HASH, password)
