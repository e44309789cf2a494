"""The one digest for secrets the database keeps only as a fingerprint (mailed links, API tokens, session keys):
SHA-256 is enough for random 32-byte values, which no dictionary can reach (passwords use argon2id instead)."""

from __future__ import annotations

import hashlib


def fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
