"""Edit history: every saved version of a thread or a reply, and the differences between two of them."""

from __future__ import annotations

import difflib
import json
from typing import Any

from forum.clock import now
from forum.errors import NotFound
from forum.tables import Revision
from forum.taxonomy import KIND_BY_SLUG, SECTOR_BY_SLUG, STAGE_BY_SLUG, VALUE_BY_SLUG, label

THREAD = "thread"
POST = "post"

# Fields compared in a diff, with their Indonesian names, in reading order.
FIELD_LABELS = {
    "title": "Judul",
    "kind": "Jenis",
    "sector": "Sektor",
    "values": "Nilai BerAKHLAK",
    "body": "Isi",
    "problem": "Latar belakang",
    "solution": "Inti inovasi",
    "results": "Hasil/dampak",
    "stage": "Tahap",
    "start_year": "Tahun mulai",
    "is_digital": "Bentuk",
}


async def record(target_type: str, target_id: int, version: int, editor_id: int, fields: dict[str, Any]) -> None:
    """Store one version. ``fields`` is the editable content (for a post: {"body": ...})."""
    extra = {key: value for key, value in fields.items() if key not in {"title", "body"}}
    await Revision.insert(
        Revision(
            target_type=target_type,
            target_id=target_id,
            version=version,
            editor=editor_id,
            title=fields.get("title", ""),
            body_source=fields.get("body", ""),
            fields=json.dumps(extra, ensure_ascii=False),
            created_at=now(),
        )
    )


async def has_version(target_type: str, target_id: int, version: int) -> bool:
    return await Revision.exists().where(
        (Revision.target_type == target_type) & (Revision.target_id == target_id) & (Revision.version == version)
    )


def _content(row: dict[str, Any]) -> dict[str, Any]:
    content = json.loads(row["fields"] or "{}")
    if row["target_type"] == THREAD:
        content["title"] = row["title"]
    content["body"] = row["body_source"]
    return content


async def list_revisions(target_type: str, target_id: int) -> list[dict[str, Any]]:
    rows = await Revision.select(
        Revision.id,
        Revision.target_type,
        Revision.version,
        Revision.title,
        Revision.body_source,
        Revision.fields,
        Revision.created_at,
        Revision.editor.display_name.as_alias("editor_name"),
    ).where((Revision.target_type == target_type) & (Revision.target_id == target_id)).order_by(Revision.version)
    for row in rows:
        row["content"] = _content(row)
    return rows


async def get_revision(target_type: str, target_id: int, version: int) -> dict[str, Any]:
    for row in await list_revisions(target_type, target_id):
        if row["version"] == version:
            return row
    raise NotFound("Revisi tidak ditemukan.")


def _display(name: str, value: Any) -> str:
    if name == "values":
        return ", ".join(label(VALUE_BY_SLUG, v) for v in value or [])
    if name == "sector":
        return label(SECTOR_BY_SLUG, value)
    if name == "kind":
        return label(KIND_BY_SLUG, value)
    if name == "stage":
        return label(STAGE_BY_SLUG, value)
    if name == "is_digital":
        return "" if value is None else ("Digital" if value else "Non-digital")
    return "" if value is None else str(value)


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Per changed field, the lines as (kind, text) with kind in "same", "added", "removed"."""
    changes = []
    for name, field_label in FIELD_LABELS.items():
        before, after = _display(name, old.get(name)), _display(name, new.get(name))
        if before == after:
            continue
        lines = []
        for line in difflib.ndiff(before.splitlines(), after.splitlines()):
            tag, text = line[:2], line[2:]
            if tag == "? ":
                continue
            lines.append({"kind": {"+ ": "added", "- ": "removed"}.get(tag, "same"), "text": text})
        changes.append({"field": name, "label": field_label, "lines": lines})
    return changes
