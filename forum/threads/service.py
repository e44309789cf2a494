"""Threads: validate, create, edit, read and list innovation cases, problems and discussions."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import datetime
from typing import Any

from slugify import slugify

from forum.core import changes, markup, revisions
from forum.core.changes import What
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.inputs import Input
from forum.core.pagination import Page, decode_cursor, encode_cursor
from forum.core.policy import can_edit_thread
from forum.core.prepared import Prepared, prepared
from forum.core.settings import get_settings
from forum.core.tables import Agency, Thread, ThreadValue
from forum.core.taxonomy import KIND_BY_SLUG, PROVINCE_BY_SLUG, SECTOR_BY_SLUG, STAGE_BY_SLUG, VALUE_BY_SLUG
from forum.core.trust import initial_status
from forum.core.urls import thread_url
from forum.core.validation import clean_text, require_choice, require_choices, require_text
from forum.core.visibility import PUBLISHED, can_see
from forum.web.flood import PostingLimits, enforce_posting_limits

TITLE_MAX = 200
CASE_FIELD_MAX = 10_000
FIRST_YEAR = 1990
CASE_FIELDS = ("problem", "solution", "results")


# Pages under /topik/<id>/ whose name a slug must never be: a thread titled "Ubah" would otherwise have the
# edit form as its address. tests/unit/test_slugs.py checks this list against the app's routes.
THREAD_SUBPAGES = frozenset({"ubah", "hapus", "riwayat", "silsilah-replikasi", "balas", "moderasi", "laporkan",
                             "solusi", "pilih", "batal-pilih", "indikator", "apresiasi", "replikasi",
                             "tindak-lanjut"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class ThreadInput(Input):
    """What an author writes: the kind, title, body, tags and, for innovation cases, the case fields. The
    author, agency, province, status, counters and times are the forum's to set, never the writer's."""

    kind: object = None
    title: object = None
    body: object = None
    sector: object = None
    values: object = None
    problem: object = None
    solution: object = None
    results: object = None
    stage: object = None
    start_year: object = None
    is_digital: object = None

    def over(self, stored: Mapping[str, Any]) -> ThreadInput:
        """This partial edit laid over the stored fields: fields left None keep what is stored."""
        values = {field.name: getattr(self, field.name) for field in dataclass_fields(self)}
        given = {name: value for name, value in values.items() if value is not None}
        return ThreadInput.pick(stored, **given)


def thread_slug(title: str) -> str:
    slug = slugify(title, max_length=100, word_boundary=True) or "topik"
    return f"{slug}-topik" if slug in THREAD_SUBPAGES else slug


def _parse_year(errors: dict[str, str], value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        errors["start_year"] = "Tahun mulai harus berupa angka, misalnya 2023."
        return None
    if not FIRST_YEAR <= year <= now().year:
        errors["start_year"] = f"Tahun mulai harus antara {FIRST_YEAR} dan {now().year}."
    return year


def _parse_bool(errors: dict[str, str], value: object) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "ya", "digital", "on"}:
        return True
    if text in {"0", "false", "tidak", "non-digital", "off"}:
        return False
    errors["is_digital"] = "Pilih digital atau non-digital."
    return None


def validate_thread(data: ThreadInput) -> dict[str, Any]:
    """Turn what the author wrote into clean thread fields, or raise InvalidInput with every problem found."""
    max_body = get_settings().max_body_chars
    errors: dict[str, str] = {}
    kind = require_choice(errors, "kind", data.get("kind"), KIND_BY_SLUG, "Jenis topik")
    fields: dict[str, Any] = {
        "kind": kind,
        "title": require_text(errors, "title", data.get("title"), "Judul", max_len=TITLE_MAX, min_len=8),
        "body": require_text(errors, "body", data.get("body"), "Isi", max_len=max_body, min_len=20),
        "sector": require_choice(errors, "sector", data.get("sector"), SECTOR_BY_SLUG, "Sektor"),
        "values": require_choices(errors, "values", data.get("values"), VALUE_BY_SLUG, "Nilai BerAKHLAK"),
    }
    if kind == "inovasi":
        labels = {"problem": "Latar belakang", "solution": "Inti inovasi", "results": "Hasil/dampak"}
        for name in CASE_FIELDS:
            fields[name] = require_text(errors, name, data.get(name), labels[name], max_len=CASE_FIELD_MAX)
        fields["stage"] = require_choice(errors, "stage", data.get("stage"), STAGE_BY_SLUG, "Tahap")
        fields["start_year"] = _parse_year(errors, data.get("start_year"))
        fields["is_digital"] = _parse_bool(errors, data.get("is_digital"))
    else:
        # Case fields belong to innovation cases only; other kinds store them empty.
        fields.update(dict.fromkeys(CASE_FIELDS, ""), stage=None, start_year=None, is_digital=None)
    if errors:
        raise InvalidInput(errors)
    fields["title"] = " ".join(fields["title"].split())
    return fields


async def _columns_for(fields: dict[str, Any]) -> dict[str, Any]:
    """Rendered, storable column values for validated fields (Markdown is rendered once, here, off the loop)."""
    rendered = await markup.render_fields({name: fields[name] for name in ("body", *CASE_FIELDS)})
    columns = {
        "kind": fields["kind"],
        "title": fields["title"],
        "slug": thread_slug(fields["title"]),
        "body_source": fields["body"],
        "body_html": rendered["body"],
        "sector": fields["sector"],
        "stage": fields["stage"],
        "start_year": fields["start_year"],
        "is_digital": fields["is_digital"],
    }
    for name in CASE_FIELDS:
        columns[f"{name}_source"] = fields[name]
        columns[f"{name}_html"] = rendered[name]
    return columns


async def _write_values(thread_id: int, values: list[str]) -> None:
    await ThreadValue.delete().where(ThreadValue.thread == thread_id)
    await ThreadValue.insert(*[ThreadValue(thread=thread_id, value=value) for value in values])


async def create_thread(user: CurrentUser, data: ThreadInput, *, limits: PostingLimits) -> dict[str, Any]:
    """Create the thread in one transaction, which also checks and counts the author's posting limits (429)."""
    fields = validate_thread(data)
    columns = await _columns_for(fields)
    async with write_transaction():
        await enforce_posting_limits(user, limits)
        moment = now()  # after the limits' lock: the next writer's interval counts from this post's time
        province = await Agency.select(Agency.province).where(Agency.id == user.agency_id).first()
        status = await initial_status(user)
        thread = Thread(
            **columns,
            author=user.id,
            agency=user.agency_id,
            province=province["province"] if province else "",
            created_at=moment,
            updated_at=moment,
            last_activity_at=moment,
            status=status,
        )
        await thread.save()
        await _write_values(thread.id, fields["values"])
        await revisions.record(revisions.THREAD, thread.id, 1, user.id, fields)
        # The stored time's day, even if the limits' lock was waited for past midnight.
        await changes.thread(What.THREAD_CREATED, thread.id, actor=user, days=(moment,))
    url = thread_url(thread.id, columns["slug"])
    return {"id": thread.id, "slug": columns["slug"], "url": url, "version": 1, "status": status}


def editable_fields(thread: dict[str, Any]) -> dict[str, Any]:
    """A stored thread as the input ``validate_thread`` takes: what an edit form starts from."""
    fields = {
        "kind": thread["kind"],
        "title": thread["title"],
        "body": thread["body_source"],
        "sector": thread["sector"],
        "values": list(thread["values"]),
        "stage": thread["stage"],
        "start_year": thread["start_year"],
        "is_digital": thread["is_digital"],
    }
    fields.update({name: thread[f"{name}_source"] for name in CASE_FIELDS})
    return fields


async def edit_thread(
    user: CurrentUser, thread_id: int, edit: ThreadInput, expected_version: object
) -> dict[str, Any]:
    """Apply an edit (whole or partial) if the editor saw the latest version; otherwise Conflict, nothing changes."""
    try:
        version = int(str(expected_version))
    except ValueError:
        raise InvalidInput({"version": "Versi wajib disertakan untuk menyunting."}) from None
    current = await get_thread(thread_id)
    if not can_edit_thread(user, current):
        raise Forbidden("Hanya penulis atau moderator yang dapat menyunting topik ini.")
    fields = validate_thread(edit.over(editable_fields(current)))
    return await save_thread_fields(user, current, fields, version)


async def save_thread_fields(
    user: CurrentUser, current: dict[str, Any], fields: dict[str, Any], version: int
) -> dict[str, Any]:
    """Store validated fields as the next version (and keep the revision), if ``version`` is still current."""
    thread_id = current["id"]
    columns = await _columns_for(fields)
    if version == current["version"] and _unchanged(fields, current):
        # Saving the form as it was (or restoring the current revision) is not a new version. A newer version
        # stored meanwhile makes the save below fail with a conflict instead.
        latest = await Thread.select(Thread.version).where(Thread.id == thread_id).first()
        if latest and latest["version"] == version:
            return {"id": thread_id, "slug": current["slug"], "url": current["url"], "version": version}
    async with write_transaction():
        if not await revisions.has_version(revisions.THREAD, thread_id, current["version"]):
            # Content from before edit history existed: keep it as the version it was.
            await revisions.record(revisions.THREAD, thread_id, current["version"], current["author_id"],
                                   editable_fields(current))  # fmt: skip
        if await _stored_dashboard_fields(thread_id) != _dashboard_fields(fields):
            await changes.thread(What.THREAD_RECLASSIFIED, thread_id)
        updated = await Thread.update(
            {**columns, "updated_at": now(), "version": Thread.version + 1}  # type: ignore[dict-item]
        ).where((Thread.id == thread_id) & (Thread.version == version)).returning(Thread.version)
        if not updated:
            latest = await Thread.select(Thread.version).where(Thread.id == thread_id).first()
            raise Conflict(
                "Topik ini sudah diubah sejak Anda membukanya. Muat ulang untuk melihat versi terbaru.",
                {"version": f"Versi terbaru adalah {latest['version'] if latest else '?'}."},
            )
        await _write_values(thread_id, fields["values"])
        await revisions.record(revisions.THREAD, thread_id, updated[0]["version"], user.id, fields)
        await changes.thread(What.THREAD_EDITED, thread_id)
    url = thread_url(thread_id, columns["slug"])
    return {"id": thread_id, "slug": columns["slug"], "url": url, "version": updated[0]["version"]}


def _unchanged(fields: dict[str, Any], current: dict[str, Any]) -> bool:
    stored = editable_fields(current)
    return all(set(fields[name]) == set(stored[name]) if name == "values" else fields[name] == stored[name]
               for name in stored)  # fmt: skip


def _dashboard_fields(thread: dict[str, Any]) -> tuple[str, str, list[str]]:
    """What an edit can change that moves the dashboard's figures."""
    return thread["kind"], thread["sector"], sorted(thread["values"])


async def _stored_dashboard_fields(thread_id: int) -> tuple[str, str, list[str]]:
    # Read inside the edit's transaction: a moderator may have moved the thread since the editor loaded it.
    row = await Thread.select(Thread.kind, Thread.sector).where(Thread.id == thread_id).first()
    values = (await values_by_thread([thread_id])).get(thread_id, [])
    return _dashboard_fields({**(row or {"kind": "", "sector": ""}), "values": values})


async def delete_thread(user: CurrentUser, thread_id: int) -> None:
    """Remove a thread with its replies and tags, and take it out of search (through the outbox)."""
    async with write_transaction():
        current = await Thread.select(Thread.id, Thread.author).where(Thread.id == thread_id).first()
        if current is None:
            raise NotFound("Topik tidak ditemukan.")
        if not can_edit_thread(user, current):
            raise Forbidden("Hanya penulis atau moderator yang dapat menghapus topik ini.")
        await changes.thread(What.THREAD_DELETED, thread_id)  # before: afterwards its days cannot be found
        # Replies and value tags go with it through ON DELETE CASCADE (Piccolo turns the pragma on for SQLite).
        await Thread.delete().where(Thread.id == thread_id)


_SUMMARY_FIELDS = (
    Thread.id,
    Thread.kind,
    Thread.title,
    Thread.slug,
    Thread.sector,
    Thread.province,
    Thread.stage,
    Thread.created_at,
    Thread.last_activity_at,
    Thread.reply_count,
    Thread.status,
    Thread.is_pinned,
    Thread.is_locked,
    Thread.is_featured,
    Thread.solution_post,
    Thread.replication_count,
    Thread.author.id.as_alias("author_id"),
    Thread.author.display_name.as_alias("author_name"),
    Thread.agency.id.as_alias("agency_id"),
    Thread.agency.name.as_alias("agency_name"),
    Thread.agency.slug.as_alias("agency_slug"),
)


_VALUE_ORDER = {slug: index for index, slug in enumerate(VALUE_BY_SLUG)}


@functools.lru_cache(maxsize=256)  # a few shapes are in use; the bound is against odd ones piling up
def _values_of_threads(count: int) -> Prepared:
    def build(*thread_ids: Any) -> Any:
        return ThreadValue.select(ThreadValue.thread, ThreadValue.value).where(ThreadValue.thread.is_in(list(thread_ids)))

    return Prepared(build, count, first=False)


async def values_by_thread(thread_ids: list[int]) -> dict[int, list[str]]:
    """The BerAKHLAK values of many threads in one query, in the taxonomy's order."""
    if not thread_ids:
        return {}
    unique = sorted(set(thread_ids))
    rows = await _values_of_threads(len(unique))(*unique)
    grouped: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        grouped[row["thread"]].append(row["value"])
    return {thread_id: sorted(values, key=_VALUE_ORDER.__getitem__) for thread_id, values in grouped.items()}


@prepared(1, first=True)
def _thread_by_id(thread_id: Any) -> Any:
    return Thread.select(
        *_SUMMARY_FIELDS,
        Thread.body_source,
        Thread.body_html,
        Thread.updated_at,
        Thread.version,
        Thread.problem_source,
        Thread.problem_html,
        Thread.solution_source,
        Thread.solution_html,
        Thread.results_source,
        Thread.results_html,
        Thread.start_year,
        Thread.is_digital,
        Thread.hidden_reason,
        Thread.merged_into,
        Thread.author.role.as_alias("author_role"),
        Thread.author.verified_at.as_alias("author_verified_at"),
    ).where(Thread.id == thread_id).limit(1)


async def get_thread(thread_id: int) -> dict[str, Any]:
    thread = await _thread_by_id(thread_id)
    if thread is None:
        raise NotFound("Topik tidak ditemukan.")
    thread["values"] = (await values_by_thread([thread_id])).get(thread_id, [])
    thread["url"] = thread_url(thread_id, thread["slug"])
    return thread


async def get_visible_thread(thread_id: int, viewer: CurrentUser | None) -> dict[str, Any]:
    """The thread if this viewer may see it; pending or hidden threads are "not found" for everyone else."""
    thread = await get_thread(thread_id)
    if not can_see(viewer, thread):
        raise NotFound("Topik tidak ditemukan.")
    return thread


@dataclass(frozen=True, slots=True)
class ThreadFilters:
    values: tuple[str, ...] = ()
    sector: str = ""
    province: str = ""
    agency: str = ""  # agency slug
    kind: str = ""
    author_id: int | None = None
    answered: bool | None = None
    featured: bool | None = None
    pinned: bool | None = None

    def active(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__ if getattr(self, name)}


def parse_filters(params: dict[str, Any]) -> ThreadFilters:
    """Filters from query parameters (API names or the Indonesian page names), unknown slugs → InvalidInput."""
    errors: dict[str, str] = {}
    raw_values = params.get("value") or params.get("nilai") or []
    if isinstance(raw_values, str):
        raw_values = [raw_values]
    values = tuple(v for v in (clean_text(v) for v in raw_values) if v)
    unknown = [v for v in values if v not in VALUE_BY_SLUG]
    if unknown:
        errors["value"] = f"Nilai BerAKHLAK tidak dikenal: {', '.join(u[:40] for u in unknown[:3])}."
    checks = {
        "sector": (params.get("sector") or params.get("sektor"), SECTOR_BY_SLUG, "Sektor"),
        "province": (params.get("province") or params.get("provinsi"), PROVINCE_BY_SLUG, "Provinsi"),
        "kind": (params.get("kind") or params.get("jenis"), KIND_BY_SLUG, "Jenis topik"),
    }
    chosen: dict[str, str] = {}
    for name, (raw, terms, label) in checks.items():
        slug = clean_text(raw)
        if slug and slug not in terms:
            errors[name] = f"{label} '{slug[:40]}' tidak dikenal."
        chosen[name] = slug
    if errors:
        raise InvalidInput(errors, detail="Filter tidak valid.")
    agency = clean_text(params.get("agency") or params.get("instansi"))[:120]
    answered = _flag(params.get("answered") or params.get("terjawab"))
    featured = _flag(params.get("featured") or params.get("pilihan"))
    return ThreadFilters(values=values, agency=agency, answered=answered, featured=featured, **chosen)


def _flag(raw: object) -> bool | None:
    text = clean_text(raw).lower()
    if text in {"1", "true", "ya"}:
        return True
    if text in {"0", "false", "tidak"}:
        return False
    return None


PAGE_SIZE = 20


# Filters that compare one column with the value given, in the order their values are passed.
_EQUAL_FILTERS = ("sector", "province", "kind", "agency", "author_id")


@functools.lru_cache(maxsize=256)  # a few shapes are in use; the bound is against odd ones piling up
def _thread_list_query(shape: tuple[Any, ...]) -> Prepared:
    """list_threads' query for one combination of filters (which are set, not their values) and page size."""
    n_values, sector, province, kind, agency, author, answered, featured, pinned, after, limit = shape

    def build(*slots: Any) -> Any:
        given = iter(slots)
        query = Thread.select(*_SUMMARY_FIELDS).where(Thread.status == PUBLISHED)
        if n_values:
            # OR within the value facet: a thread tagged with any of the chosen values.
            tagged = ThreadValue.select(ThreadValue.thread).where(
                ThreadValue.value.is_in([next(given) for _ in range(n_values)]))
            query = query.where(Thread.id.is_in(tagged))
        for is_set, column in ((sector, Thread.sector), (province, Thread.province), (kind, Thread.kind),
                               (agency, Thread.agency.slug), (author, Thread.author)):  # fmt: skip
            if is_set:
                query = query.where(column == next(given))
        if answered is not None:
            query = query.where(Thread.solution_post.is_not_null() if answered else Thread.solution_post.is_null())
        if featured is not None:
            query = query.where(Thread.is_featured == featured)
        if pinned is not None:
            query = query.where(Thread.is_pinned == pinned)
        if after:
            last_activity, last_id = next(given), next(given)
            query = query.where(
                (Thread.last_activity_at < last_activity)
                | ((Thread.last_activity_at == last_activity) & (Thread.id < last_id))
            )
        return query.order_by(Thread.last_activity_at, Thread.id, ascending=False).limit(limit + 1)

    arity = n_values + sum((sector, province, kind, agency, author)) + 2 * after
    return Prepared(build, arity, first=False)


async def list_threads(filters: ThreadFilters, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page[dict[str, Any]]:
    """Threads by latest activity, newest first, keyset-paginated on (last_activity_at, id): two queries a page."""
    limit = max(1, min(limit, 100))
    chosen = sorted(set(filters.values))
    shape = (len(chosen), *(bool(getattr(filters, name)) for name in _EQUAL_FILTERS), filters.answered,
             filters.featured, filters.pinned, bool(cursor), limit)  # fmt: skip
    values: list[Any] = [*chosen, *(getattr(filters, name) for name in _EQUAL_FILTERS if getattr(filters, name))]
    if cursor:
        values.extend(decode_cursor(cursor, datetime, int))
    rows = await _thread_list_query(shape)(*values)
    more = len(rows) > limit
    rows = rows[:limit]
    tags = await values_by_thread([row["id"] for row in rows])
    for row in rows:
        row["values"] = tags.get(row["id"], [])
        row["url"] = thread_url(row["id"], row["slug"])
    next_cursor = encode_cursor(rows[-1]["last_activity_at"], rows[-1]["id"]) if more and rows else None
    return Page(items=rows, next_cursor=next_cursor)

