"""Object permissions as plain functions: (who, what) -> may they."""

from __future__ import annotations

from typing import Any

from forum.accounts.service import CurrentUser


def _is_author(user: CurrentUser | None, row: dict[str, Any]) -> bool:
    author = row.get("author", row.get("author_id"))
    return user is not None and author == user.id


def can_edit_thread(user: CurrentUser | None, thread: dict[str, Any]) -> bool:
    return user is not None and (user.is_moderator or _is_author(user, thread))


def can_edit_post(user: CurrentUser | None, post: dict[str, Any]) -> bool:
    return user is not None and (user.is_moderator or _is_author(user, post))

