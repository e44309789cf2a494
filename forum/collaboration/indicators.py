"""Impact indicators (indikator dampak) of an innovation case: a baseline and a result, shown as before → after.

The thread's author (or a moderator) adds, edits and deletes them; an agency admin of the thread's agency (or a
moderator) marks one verified, or takes that back. Verification vouches for exactly what was verified, so any
change to a verified indicator clears it. Every change queues the thread for search (its document carries the
best improvement, see ``best_improvement``), in the same transaction as the change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from forum.core import changes
from forum.core.changes import What
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import Forbidden, InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.inputs import KEEP, Input, laid_over
from forum.core.modlog import record_action
from forum.core.prepared import prepared
from forum.core.tables import Indicator, Thread, User
from forum.core.validation import clean_text, optional_text, require_text
from forum.core.visibility import can_see

INNOVATION = "inovasi"
MAX_PER_THREAD = 20
NAME_MAX = 200
UNIT_MAX = 50
SOURCE_MAX = 1000
VALUE_LIMIT = 1e15
EARLIEST = date(1900, 1, 1)
# "Today" for the not-in-the-future check: the easternmost Indonesian time zone, so nobody's today is refused.
LATEST_ZONE = ZoneInfo("Asia/Jayapura")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")

# What an indicator is made of: the input names, which are also the column names.
FIELDS = ("name", "unit", "baseline_value", "baseline_on", "result_value", "result_on", "source", "higher_is_better")



@dataclass(frozen=True, slots=True)
class IndicatorInput(Input):
    """An indicator as its case's author writes it (verification, thread and creator are not among them)."""

    name: object = None
    unit: object = None
    baseline_value: object = None
    baseline_on: object = None
    result_value: object = None
    result_on: object = None
    source: object = None
    higher_is_better: object = None


@dataclass(frozen=True, slots=True)
class IndicatorChanges(Input):
    """A partial edit of an indicator: fields left at KEEP keep their value; None clears an optional one."""

    name: object = KEEP
    unit: object = KEEP
    baseline_value: object = KEEP
    baseline_on: object = KEEP
    result_value: object = KEEP
    result_on: object = KEEP
    source: object = KEEP
    higher_is_better: object = KEEP


IMPROVED = "membaik"
WORSENED = "memburuk"
UNCHANGED = "tetap"
TREND_LABELS = {IMPROVED: "Membaik", WORSENED: "Memburuk", UNCHANGED: "Tidak berubah"}


# --- permissions (plain functions) ---------------------------------------------------------------------------


def _thread_author(thread: dict[str, Any]) -> int | None:
    return thread.get("author_id", thread.get("author"))


def _thread_agency(thread: dict[str, Any]) -> int | None:
    return thread.get("agency_id", thread.get("agency"))


def can_manage_indicators(user: CurrentUser | None, thread: dict[str, Any]) -> bool:
    """Add, edit, delete: the case's author or a moderator."""
    return user is not None and (user.is_moderator or user.id == _thread_author(thread))


def can_verify_indicators(user: CurrentUser | None, thread: dict[str, Any]) -> bool:
    """Verify or unverify: an agency admin of the case's own agency, or a moderator."""
    return user is not None and (
        user.is_moderator or (user.is_agency_admin and user.agency_id == _thread_agency(thread))
    )


# --- validation ----------------------------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(errors: dict[str, str], field: str, value: object, label: str, *, required: bool) -> float | None:
    if _blank(value):
        if required:
            errors[field] = f"{label} wajib diisi."
        return None
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u00a0", "")
        if "," in text:  # Indonesian notation: 1.234,5
            text = text.replace(".", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        errors[field] = f"{label} harus berupa angka, misalnya 14 atau 2,5."
        return None
    if abs(number) >= VALUE_LIMIT:
        errors[field] = f"{label} terlalu besar."
        return None
    return number


def _date(errors: dict[str, str], field: str, value: object, label: str) -> date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime):
        day: date | None = value.date()
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(clean_text(value))
        except ValueError:
            day = None
    if day is None:
        errors[field] = f"{label} harus berupa tanggal (TTTT-BB-HH), misalnya 2024-01-31."
        return None
    if day < EARLIEST:
        errors[field] = f"{label} terlalu lampau."
    elif day > now().astimezone(LATEST_ZONE).date():
        errors[field] = f"{label} tidak boleh di masa depan."
    return day


def _bool(errors: dict[str, str], field: str, value: object) -> bool:
    if _blank(value):
        return True
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "ya", "naik", "on"}:
        return True
    if text in {"0", "false", "tidak", "turun", "off"}:
        return False
    errors[field] = "Pilih arah perbaikan: makin tinggi makin baik, atau makin rendah makin baik."
    return True


def validate_indicator(data: IndicatorInput) -> dict[str, Any]:
    """Clean indicator fields from form or JSON input, or InvalidInput (422) listing every problem."""
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {
        "name": require_text(errors, "name", data.get("name"), "Nama indikator", max_len=NAME_MAX, min_len=3),
        "unit": optional_text(errors, "unit", data.get("unit"), "Satuan", max_len=UNIT_MAX),
        "baseline_value": _number(errors, "baseline_value", data.get("baseline_value"), "Nilai awal", required=True),
        "baseline_on": _date(errors, "baseline_on", data.get("baseline_on"), "Tanggal nilai awal"),
        "result_value": _number(errors, "result_value", data.get("result_value"), "Nilai hasil", required=False),
        "result_on": _date(errors, "result_on", data.get("result_on"), "Tanggal hasil"),
        "source": optional_text(errors, "source", data.get("source"), "Sumber data", max_len=SOURCE_MAX),
        "higher_is_better": _bool(errors, "higher_is_better", data.get("higher_is_better")),
    }
    if fields["result_on"] and fields["result_value"] is None and "result_value" not in errors:
        errors["result_value"] = "Isi nilai hasil untuk tanggal hasil tersebut."
    if (
        fields["baseline_on"]
        and fields["result_on"]
        and fields["result_on"] < fields["baseline_on"]
        and "result_on" not in errors
    ):
        errors["result_on"] = "Tanggal hasil tidak boleh sebelum tanggal nilai awal."
    if errors:
        raise InvalidInput(errors)
    fields["name"] = " ".join(fields["name"].split())
    return fields


# --- presentation --------------------------------------------------------------------------------------------


def format_number(value: float, decimals: int = 2) -> str:
    """Indonesian notation: 1.234,5 (no trailing zeros)."""
    text = f"{abs(value):,.{decimals}f}".rstrip("0").rstrip(".")
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"−{text}" if value < 0 and text != "0" else text


def format_day(day: date | None) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}" if day else ""


def describe_change(baseline: float, result: float | None, higher_is_better: bool) -> dict[str, Any] | None:
    """The change from baseline to result: absolute, relative (None from a zero baseline), and the improvement
    percentage (positive = better, whichever direction is better). None while there is no result yet."""
    if result is None:
        return None
    delta = result - baseline
    if math.isclose(result, baseline, rel_tol=1e-9, abs_tol=1e-12):
        delta = 0.0
    percent = None if baseline == 0 else delta / abs(baseline) * 100
    if delta == 0:
        trend = UNCHANGED
    else:
        trend = IMPROVED if (delta > 0) == higher_is_better else WORSENED
    improvement = None if percent is None else (percent if higher_is_better else -percent)
    return {"absolute": delta, "percent": percent, "improvement_percent": improvement, "trend": trend}


def _plain_number(value: float | None) -> str:
    """A number as a form field shows it: 14 rather than 14.0."""
    if value is None:
        return ""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _signed(value: float, decimals: int = 2) -> str:
    return ("+" if value > 0 else "") + format_number(value, decimals)


def _present(row: dict[str, Any], verifiers: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """A stored indicator with its change and the display strings the page shows (numbers the Indonesian way)."""
    unit = f" {row['unit']}" if row["unit"] else ""
    change = describe_change(row["baseline_value"], row["result_value"], row["higher_is_better"])
    verifier = verifiers.get(row["verified_by"]) if row["verified_by"] else None
    item = {
        **row,
        "change": change,
        "verified": row["verified_at"] is not None,
        "verifier_name": verifier["display_name"] if verifier else "",
        "verifier_agency": verifier["agency_name"] if verifier else "",
        "baseline_text": format_number(row["baseline_value"]) + unit,
        "baseline_on_text": format_day(row["baseline_on"]),
        "result_text": format_number(row["result_value"]) + unit if row["result_value"] is not None else "",
        "result_on_text": format_day(row["result_on"]),
        "verified_at_text": format_day(row["verified_at"].date()) if row["verified_at"] else "",
        "baseline_input": _plain_number(row["baseline_value"]),
        "result_input": _plain_number(row["result_value"]),
        "source_is_link": clean_text(row["source"]).lower().startswith(("https://", "http://")),
        "change_text": "",
        "trend_label": "",
    }
    if change is not None:
        # A change of a percentage is in points; the relative change follows in brackets ("+27,5 poin (+45,1%)").
        is_percent = (row["unit"] or "").strip().lower() in {"%", "persen"}
        text = _signed(change["absolute"]) + (" poin" if is_percent else unit)
        if change["percent"] is not None:
            text += f" ({_signed(change['percent'], 1)}%)"
        item["change_text"] = text
        item["trend_label"] = TREND_LABELS[change["trend"]]
    return item


# --- reading -------------------------------------------------------------------------------------------------

_COLUMNS = (
    Indicator.id,
    Indicator.thread,
    Indicator.name,
    Indicator.unit,
    Indicator.baseline_value,
    Indicator.baseline_on,
    Indicator.result_value,
    Indicator.result_on,
    Indicator.source,
    Indicator.higher_is_better,
    Indicator.created_by,
    Indicator.created_at,
    Indicator.verified_by,
    Indicator.verified_at,
)


@prepared(1)
def _indicators_of(thread_id: Any) -> Any:
    return Indicator.select(*_COLUMNS).where(Indicator.thread == thread_id).order_by(Indicator.id)


async def list_indicators(thread_id: int) -> list[dict[str, Any]]:
    """A case's indicators in the order they were added, presented (two queries at most: the indicators and,
    when any is verified, the names of who verified them)."""
    rows = await _indicators_of(thread_id)
    verifier_ids = sorted({row["verified_by"] for row in rows if row["verified_by"]})
    verifiers: dict[int, dict[str, Any]] = {}
    if verifier_ids:
        people = await User.select(User.id, User.display_name, User.agency.name.as_alias("agency_name")).where(
            User.id.is_in(verifier_ids)
        )
        verifiers = {person["id"]: person for person in people}
    return [_present(row, verifiers) for row in rows]


async def impact_section(viewer: CurrentUser | None, thread: dict[str, Any]) -> dict[str, Any]:
    """The thread page's "Indikator dampak": the indicators and what this viewer may do with them."""
    if thread["kind"] != INNOVATION:
        return {"indicators": [], "can_manage": False, "can_verify": False}
    return {
        "indicators": await list_indicators(thread["id"]),
        "can_manage": can_manage_indicators(viewer, thread),
        "can_verify": can_verify_indicators(viewer, thread),
    }


async def get_indicator(indicator_id: int) -> dict[str, Any]:
    row = await Indicator.select(*_COLUMNS).where(Indicator.id == indicator_id).first()
    if row is None:
        raise NotFound("Indikator tidak ditemukan.")
    verifiers: dict[int, dict[str, Any]] = {}
    if row["verified_by"]:
        person = await User.select(User.id, User.display_name, User.agency.name.as_alias("agency_name")).where(
            User.id == row["verified_by"]
        ).first()
        verifiers = {person["id"]: person} if person else {}
    return _present(row, verifiers)


async def best_improvement(thread_ids: Sequence[int], *, verified_only: bool = False) -> dict[int, float]:
    """The best improvement percentage among each innovation case's indicators (verified or not, unless
    ``verified_only``), in one query: positive means better in the indicator's own direction, negative means
    every indicator worsened. Cases without a comparable indicator (no result yet, or a zero baseline) are
    absent. For the search document (e.g. a filter "improvement of at least 50%")."""
    ids = sorted({int(i) for i in thread_ids})
    if not ids:
        return {}
    query = Indicator.select(
        Indicator.thread, Indicator.baseline_value, Indicator.result_value, Indicator.higher_is_better
    ).where(Indicator.thread.is_in(ids) & Indicator.result_value.is_not_null() & (Indicator.thread.kind == INNOVATION))
    if verified_only:
        query = query.where(Indicator.verified_at.is_not_null())
    best: dict[int, float] = {}
    for row in await query:
        change = describe_change(row["baseline_value"], row["result_value"], row["higher_is_better"])
        if change is None or change["improvement_percent"] is None:
            continue
        value = round(change["improvement_percent"], 1)
        if row["thread"] not in best or value > best[row["thread"]]:
            best[row["thread"]] = value
    return best


# --- writing: one function per action, one transaction each --------------------------------------------------


async def _visible_case(user: CurrentUser, thread_id: int) -> dict[str, Any]:
    thread = await Thread.select(
        Thread.id, Thread.kind, Thread.title, Thread.status, Thread.author, Thread.agency
    ).where(Thread.id == thread_id).first()
    if thread is None or not can_see(user, thread):
        raise NotFound("Topik tidak ditemukan.")
    return thread


async def _indicator_and_case(user: CurrentUser, indicator_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    row = await Indicator.select(*_COLUMNS).where(Indicator.id == indicator_id).first()
    if row is None:
        raise NotFound("Indikator tidak ditemukan.")
    thread = await Thread.select(
        Thread.id, Thread.kind, Thread.title, Thread.status, Thread.author, Thread.agency
    ).where(Thread.id == row["thread"]).first()
    if thread is None or not can_see(user, thread):
        raise NotFound("Indikator tidak ditemukan.")
    return row, thread


def _require_manager(user: CurrentUser, thread: dict[str, Any]) -> None:
    if not can_manage_indicators(user, thread):
        raise Forbidden("Hanya penulis kasus atau moderator yang dapat mengelola indikator dampak.")


async def add_indicator(user: CurrentUser, thread_id: int, data: IndicatorInput) -> int:
    """Add an indicator to an innovation case; returns its id."""
    async with write_transaction():
        thread = await _visible_case(user, thread_id)
        _require_manager(user, thread)
        if thread["kind"] != INNOVATION:
            raise InvalidInput({"thread": "Indikator dampak hanya dapat ditambahkan pada kasus Inovasi."},
                               detail="Indikator dampak hanya dapat ditambahkan pada kasus Inovasi.")  # fmt: skip
        fields = validate_indicator(data)
        if await Indicator.count().where(Indicator.thread == thread_id) >= MAX_PER_THREAD:
            raise InvalidInput({"name": f"Satu kasus memuat paling banyak {MAX_PER_THREAD} indikator."},
                               detail=f"Satu kasus memuat paling banyak {MAX_PER_THREAD} indikator.")  # fmt: skip
        created = await Indicator.insert(
            Indicator(thread=thread_id, **fields, created_by=user.id, created_at=now())
        ).returning(Indicator.id)
        await changes.thread(What.INDICATORS_CHANGED, thread_id)
    return created[0]["id"]


async def edit_indicator(user: CurrentUser, indicator_id: int, edit: IndicatorChanges) -> None:
    """Change some or all fields (those left at KEEP keep their value). Any real change to a verified indicator clears
    its verification; saving the same values changes nothing."""
    async with write_transaction():
        current, thread = await _indicator_and_case(user, indicator_id)
        _require_manager(user, thread)
        fields = validate_indicator(IndicatorInput.pick(laid_over(edit, current)))
        changed = {name: value for name, value in fields.items() if value != current[name]}
        if not changed:
            return
        update: dict[Any, Any] = {getattr(Indicator, name): value for name, value in changed.items()}
        if current["verified_at"] is not None:
            update.update({Indicator.verified_at: None, Indicator.verified_by: None})
        await Indicator.update(update).where(Indicator.id == indicator_id)
        await changes.thread(What.INDICATORS_CHANGED, thread["id"], days=(current["verified_at"],))


async def delete_indicator(user: CurrentUser, indicator_id: int) -> int:
    """Delete an indicator; returns its thread's id."""
    async with write_transaction():
        current, thread = await _indicator_and_case(user, indicator_id)
        _require_manager(user, thread)
        await Indicator.delete().where(Indicator.id == indicator_id)
        await changes.thread(What.INDICATORS_CHANGED, thread["id"], days=(current["verified_at"],))
    return thread["id"]


async def set_indicator_verification(user: CurrentUser, indicator_id: int, verified: bool) -> int:
    """Mark an indicator verified (or take it back) as an agency admin of the case's agency or a moderator, and
    log it publicly. Returns the thread's id."""
    async with write_transaction():
        current, thread = await _indicator_and_case(user, indicator_id)
        if not can_verify_indicators(user, thread):
            raise Forbidden("Hanya admin instansi pemilik kasus atau moderator yang dapat memverifikasi indikator.")
        verified_at = now() if verified else None
        await Indicator.update({Indicator.verified_at: verified_at, Indicator.verified_by: user.id if verified else None}
                               ).where(Indicator.id == indicator_id)  # fmt: skip
        await record_action(user, "verify_indicator" if verified else "unverify_indicator", "thread", thread["id"],
                            thread["title"], current["name"])  # fmt: skip
        await changes.thread(What.INDICATORS_CHANGED, thread["id"], days=(current["verified_at"], verified_at))
    return thread["id"]
