"""Small input checks shared by every domain function. Messages are Indonesian: they reach people as-is."""

from __future__ import annotations

from collections.abc import Iterable

from forum.taxonomy import Term


def clean_text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def require_text(errors: dict[str, str], field: str, value: object, label: str, *, max_len: int, min_len: int = 1) -> str:
    text = clean_text(value)
    if not text:
        errors[field] = f"{label} wajib diisi."
    elif len(text) < min_len:
        errors[field] = f"{label} minimal {min_len} karakter."
    elif len(text) > max_len:
        errors[field] = f"{label} maksimal {max_len:,} karakter.".replace(",", ".")
    return text


def optional_text(errors: dict[str, str], field: str, value: object, label: str, *, max_len: int) -> str:
    text = clean_text(value)
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
