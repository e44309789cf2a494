"""Keyset (cursor) pagination helpers: cursors are opaque, URL-safe, and never an OFFSET."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from forum.core.errors import InvalidInput

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(*parts: Any) -> str:
    raw = json.dumps([p.isoformat() if isinstance(p, datetime) else p for p in parts], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *kinds: type) -> tuple[Any, ...]:
    """Decode a cursor made by ``encode_cursor`` whose parts have the given types, or raise InvalidInput."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        parts = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(parts, list) or len(parts) != len(kinds):
            raise ValueError("wrong shape")
        out: list[Any] = []
        for kind, part in zip(kinds, parts, strict=True):
            if kind is datetime:
                out.append(datetime.fromisoformat(part))
            elif kind is int and isinstance(part, int) and not isinstance(part, bool):
                out.append(part)
            else:
                raise ValueError("wrong type")
        return tuple(out)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise InvalidInput({"cursor": "Kursor halaman tidak valid."}) from None
