"""Passwords: the rule a new one must meet, and argon2id hashing run off the event loop (a default hash costs
~100 ms of CPU).

The rule is NIST SP 800-63B's: long enough (12 characters), not on a list of passwords attackers try first,
and not the person's own name or address. No composition rules (they make passwords harder to remember, not
to guess). The list is Django's ``common-passwords.txt.gz`` (20,000 passwords from leaks, BSD licence, see
forum/accounts/NOTICE), plus a few Indonesian favourites it lacks.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from forum.core.settings import get_settings

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
_COMMON_FILE = Path(__file__).with_name("common-passwords.txt.gz")
_INDONESIAN_FAVOURITES = (
    "bismillah123", "indonesia123", "indonesiaraya", "sayangkamu123", "rahasia12345", "merdeka12345",
    "jakarta12345", "alhamdulillah", "bismillah1234", "garudaindonesia", "pancasila123", "123456789012",
    "1234567890123", "qwertyuiop12", "sinergi12345", "sinergi123456", "katasandi123", "katasandi1234",
)  # fmt: skip


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    with gzip.open(_COMMON_FILE, "rt", encoding="utf-8") as handle:
        words = {line.strip().lower() for line in handle if line.strip()}
    return frozenset(words | set(_INDONESIAN_FAVOURITES))


def password_problem(password: object, *, email: str = "", display_name: str = "") -> str | None:
    """Why this password is refused, in the words the form shows; None when it is acceptable."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        return f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter."
    if len(password) > MAX_PASSWORD_LENGTH:
        return "Kata sandi terlalu panjang."
    lowered = password.lower()
    if _guessable(lowered):
        return "Kata sandi ini termasuk yang paling sering ditebak. Pilih kata sandi lain, misalnya beberapa kata acak."
    personal = {email.lower(), email.lower().split("@")[0], " ".join(display_name.lower().split())}
    if lowered.strip() in {value for value in personal if len(value) >= 4}:
        return "Kata sandi tidak boleh sama dengan email atau nama Anda."
    return None


_RUNS = ("abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "01234567890", "1qaz2wsx3edc4rfv5tgb")
# The site's own name and its published demo password: the first guesses against a Sinergi account.
_SITE_WORDS = ("sinergi", "berakhlak", "menpan")


def _is_run(lowered: str) -> bool:
    """Mostly a stretch of the alphabet, a keyboard row or the digits, forwards or backwards ("abcdefghijkl",
    "qwertyuiopas")."""
    letters = re.sub(r"[^a-z0-9]", "", lowered)
    if len(letters) > 30:  # longer than any run allows: nothing to look for (and a 1,000-character password is cheap)
        return False
    for run in _RUNS:
        for line in (run, run[::-1]):
            longest = max((len(piece) for piece in _common_substrings(letters, line)), default=0)
            if longest >= max(8, len(letters) - 3):
                return True
    return False


def _common_substrings(text: str, line: str) -> list[str]:
    return [text[i:j] for i in range(len(text)) for j in range(i + 8, len(text) + 1) if text[i:j] in line]


def _guessable(lowered: str) -> bool:
    """On the list; a common password with digits or symbols added at the end ("bismillah2024!"); one short
    piece repeated ("passwordpassword"); a run of the alphabet or keyboard; or built on the site's own name."""
    common = _common()
    if lowered in common or len(set(lowered)) <= 2 or _is_run(lowered):
        return True
    if any(word in lowered for word in _SITE_WORDS):
        return True
    stem = lowered.rstrip("0123456789!@#$%^&*.?-_ ")
    if len(stem) >= 4 and stem in common:
        return True
    return any(len(lowered) % size == 0 and lowered == lowered[:size] * (len(lowered) // size)
               for size in range(1, len(lowered) // 2 + 1))  # fmt: skip


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
