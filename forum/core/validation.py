"""Small input checks shared by every domain function. Messages are Indonesian: they reach people as-is."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from forum.core.taxonomy import Term

# A require_text/optional_text field allowed at most this many characters is one line (titles, names, units, a
# commitment's "what"); a longer one is multi-line (bodies, notes, reasons). Callers may say so with multiline=.
SINGLE_LINE_MAX = 300

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029]")
# C0 controls but tab and newline, DEL, C1 controls, and lone surrogates (no database can store them).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Invisible characters that never carry meaning in our text: zero-width space, word joiner and the invisible
# operators, zero-width no-break space (BOM), Mongolian vowel separator; and the bidirectional controls (marks,
# embeddings, overrides, isolates), which can make a name or a title read backwards ("Trojan Source").
_ZERO_WIDTH = re.compile(r"[\u200b\u2060-\u2064\ufeff\u180e\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
# Zero-width (non-)joiners: a lone one between two visible characters shapes emoji and some scripts; any other
# (at an edge, next to a space, or in a run) only hides text.
_JOINERS = re.compile(r"[\u200c\u200d]+")
# Characters that render as nothing though Unicode does not call them spaces (the Hangul fillers, braille blank).
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u00ad")


def _keep_joiner(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    inside = end - start == 1 and start > 0 and end < len(text)
    return match.group() if inside and not text[start - 1].isspace() and not text[end].isspace() else ""


def clean_text(value: object, *, multiline: bool = True) -> str:
    """The text as stored: no control characters (tab and newline stay in multi-line text, line breaks become
    "\\n"), no zero-width characters, no surrounding whitespace. A single line also loses its line breaks and
    tabs (each becomes a space) and every zero-width joiner, so a title or a name cannot hide a look-alike."""
    if not isinstance(value, str):
        return ""
    text = _CONTROLS.sub("", _LINE_BREAKS.sub("\n", value))
    text = _ZERO_WIDTH.sub("", text)
    if multiline:
        text = _JOINERS.sub(_keep_joiner, text)
    else:
        text = _JOINERS.sub("", text).replace("\n", " ").replace("\t", " ")
    return text.strip()


def _visible(text: str) -> bool:
    return any(
        not char.isspace() and char not in _BLANK_LOOKING and unicodedata.category(char) not in {"Cc", "Cf"}
        for char in text
    )


def _is_multiline(multiline: bool | None, max_len: int) -> bool:
    return max_len > SINGLE_LINE_MAX if multiline is None else multiline


def require_text(
    errors: dict[str, str],
    field: str,
    value: object,
    label: str,
    *,
    max_len: int,
    min_len: int = 1,
    multiline: bool | None = None,
) -> str:
    text = clean_text(value, multiline=_is_multiline(multiline, max_len))
    if not _visible(text):
        text = ""
        errors[field] = f"{label} wajib diisi."
    elif len(text) < min_len:
        errors[field] = f"{label} minimal {min_len} karakter."
    elif len(text) > max_len:
        errors[field] = f"{label} maksimal {max_len:,} karakter.".replace(",", ".")
    return text


def optional_text(
    errors: dict[str, str], field: str, value: object, label: str, *, max_len: int, multiline: bool | None = None
) -> str:
    text = clean_text(value, multiline=_is_multiline(multiline, max_len))
    if not _visible(text):
        text = ""
    if len(text) > max_len:
        errors[field] = f"{label} maksimal {max_len:,} karakter.".replace(",", ".")
    return text


def require_choice(errors: dict[str, str], field: str, value: object, terms: dict[str, Term], label: str) -> str:
    slug = clean_text(value)
    if not slug:
        errors[field] = f"{label} wajib dipilih."
    elif slug not in terms:
        errors[field] = f"{label} '{slug[:60]}' tidak dikenal."
    return slug


def require_choices(
    errors: dict[str, str], field: str, values: Iterable[object] | object, terms: dict[str, Term], label: str
) -> list[str]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        values = [values] if values else []
    slugs: list[str] = []
    for value in values:
        slug = clean_text(value)
        if slug and slug not in slugs:
            slugs.append(slug)
    unknown = [slug for slug in slugs if slug not in terms]
    if unknown:
        errors[field] = f"{label} tidak dikenal: {', '.join(s[:60] for s in unknown[:5])}."
    elif not slugs:
        errors[field] = f"Pilih minimal satu {label.lower()}."
    return slugs
