"""Edit history: every saved version of a thread or a reply, and the differences between two of them."""

from __future__ import annotations

import difflib
import json
from typing import Any

import anyio
import anyio.to_thread

from forum.core.clock import now
from forum.core.errors import NotFound
from forum.core.tables import Revision
from forum.core.taxonomy import KIND_BY_SLUG, SECTOR_BY_SLUG, STAGE_BY_SLUG, VALUE_BY_SLUG, label

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


# A diff is computed line by line (SequenceMatcher's opcodes, no character-level pass: ndiff's intra-line matching
# took 113 s on a 500-line edit). Past these sizes a field is summarised, not diffed: the page stays fast.
DIFF_MAX_LINES = 3_000
DIFF_MAX_LINE_PAIRS = 1_000_000  # before × after lines: bounds the matcher's quadratic worst case (~0.2 s)
DIFF_TIMEOUT_SECONDS = 2.0


def _field_lines(before: str, after: str) -> list[dict[str, str]] | None:
    """The (kind, text) lines turning ``before`` into ``after``, or None when the field is too large to diff."""
    old_lines, new_lines = before.splitlines(), after.splitlines()
    too_long = max(len(old_lines), len(new_lines)) > DIFF_MAX_LINES
    if too_long or len(old_lines) * len(new_lines) > DIFF_MAX_LINE_PAIRS:
        return None
    lines: list[dict[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            lines.extend({"kind": "same", "text": text} for text in old_lines[old_start:old_end])
            continue
        lines.extend({"kind": "removed", "text": text} for text in old_lines[old_start:old_end])
        lines.extend({"kind": "added", "text": text} for text in new_lines[new_start:new_end])
    return lines


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Per changed field, the lines as (kind, text) with kind in "same", "added", "removed"; a field too large to
    compare has ``too_large`` set and no lines (the page says so and offers both versions' sizes)."""
    changes = []
    for name, field_label in FIELD_LABELS.items():
        before, after = _display(name, old.get(name)), _display(name, new.get(name))
        if before == after:
            continue
        lines = _field_lines(before, after)
        changes.append({"field": name, "label": field_label, "lines": lines or [], "too_large": lines is None,
                        "sizes": (len(before), len(after))})  # fmt: skip
    return changes


async def diff_off_loop(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """`diff` in a worker thread, so the event loop keeps serving others; past the time limit the page shows the
    size summary instead (the thread finishes on its own: its work is bounded by the caps above)."""
    with anyio.move_on_after(DIFF_TIMEOUT_SECONDS):
        return await anyio.to_thread.run_sync(diff, old, new, abandon_on_cancel=True)
    return [{**change, "lines": [], "too_large": True} for change in _summary(old, new)]


def _summary(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    changes = []
    for name, field_label in FIELD_LABELS.items():
        before, after = _display(name, old.get(name)), _display(name, new.get(name))
        if before != after:
            changes.append({"field": name, "label": field_label, "sizes": (len(before), len(after))})
    return changes
