"""Typed inputs: every write takes one, listing exactly the fields its caller may set.

A form or a JSON body is never handed to a domain function. The route picks the fields of the use case's input
type out of what arrived (`Input.pick(form)`); anything else sent along — a role, an author, a status, a counter —
has nowhere to go. Values stay raw (``object``): the domain function validates them and answers in Indonesian.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Self


@dataclass(frozen=True, slots=True)
class Input:
    """Base of the per-use-case inputs. Subclasses are frozen dataclasses whose fields default to None."""

    @classmethod
    def pick(cls, data: Mapping[str, Any] | None, **overrides: Any) -> Self:
        """The fields this input has, taken from a form or a JSON object; ``overrides`` are set by the caller
        itself (say, a value from the path), never by what the client sent."""
        source = data if isinstance(data, Mapping) else {}
        values = {field.name: source[field.name] for field in fields(cls) if field.name in source}
        return cls(**(values | overrides))

    def get(self, name: str, default: Any = None) -> Any:
        """Read a field by name, for the validators shared across inputs (a missing one reads as ``default``)."""
        if name not in _field_names(type(self)):
            raise AttributeError(f"{type(self).__name__} has no field {name!r}")
        value = getattr(self, name)
        return default if value is None else value


class _Keep:
    """The value of a field a partial edit leaves alone (None may be a real value there: "clear it")."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def laid_over(changes: Input, stored: Mapping[str, Any]) -> dict[str, Any]:
    """A partial edit's fields over the stored ones: each field left at KEEP takes its stored value."""
    return {field.name: stored[field.name] if getattr(changes, field.name) is KEEP else getattr(changes, field.name)
            for field in fields(changes)}  # fmt: skip


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(field.name for field in fields(cls))
    return names
