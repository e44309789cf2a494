"""Praktik Baik Pilihan: moderators feature innovation cases worth replicating, with a curator's note."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forum.core import changes
from forum.core.changes import What
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.inputs import Input
from forum.core.modlog import record_action
from forum.core.policy import require_moderator
from forum.core.tables import FeaturedPractice, Thread
from forum.core.urls import thread_url
from forum.core.validation import clean_text, require_text
from forum.core.visibility import PUBLISHED
from forum.threads.service import ThreadFilters, values_by_thread


@dataclass(frozen=True, slots=True)
class Feature(Input):
    note: object = None
    position: object = None


@dataclass(frozen=True, slots=True)
class Unfeature(Input):
    reason: object = None


async def feature_thread(user: CurrentUser, thread_id: int, data: Feature) -> None:
    require_moderator(user)
    errors: dict[str, str] = {}
    note = require_text(errors, "note", data.get("note"), "Catatan kurator", max_len=2000, min_len=20)
    try:
        position = int(str(data.get("position") or 0))
    except ValueError:
        errors["position"] = "Urutan harus berupa angka."
        position = 0
    async with write_transaction():
        thread = await Thread.select(Thread.id, Thread.title, Thread.kind, Thread.status).where(
            Thread.id == thread_id
        ).first()
        if thread is None:
            raise NotFound("Topik tidak ditemukan.")
        if thread["status"] != PUBLISHED:
            raise InvalidInput({"thread": "Hanya topik yang terbit yang dapat dipilih."})
        if thread["kind"] != "inovasi":
            raise InvalidInput({"thread": "Praktik Baik Pilihan hanya untuk topik jenis Inovasi."})
        if errors:  # after the thread's own checks: a missing thread is a 404 whatever the form says
            raise InvalidInput(errors)
        active = FeaturedPractice.thread == thread_id
        active &= FeaturedPractice.unfeatured_at.is_null()
        if await FeaturedPractice.exists().where(active):
            await FeaturedPractice.update({FeaturedPractice.note: note, FeaturedPractice.position: position}).where(
                active
            )
        else:
            await FeaturedPractice.insert(FeaturedPractice(thread=thread_id, note=note, position=position,
                                                           featured_by=user.id, featured_at=now()))  # fmt: skip
        await Thread.update({Thread.is_featured: True}).where(Thread.id == thread_id)
        await record_action(user, "feature_thread", "thread", thread_id, thread["title"], note)
        await changes.thread(What.FEATURE_CHANGED, thread_id)


async def unfeature_thread(user: CurrentUser, thread_id: int, data: Unfeature | None = None) -> None:
    require_moderator(user)
    reason = clean_text(data.reason if data else None)
    async with write_transaction():
        thread = await Thread.select(Thread.id, Thread.title).where(Thread.id == thread_id).first()
        closed = await FeaturedPractice.update(
            {FeaturedPractice.unfeatured_at: now(), FeaturedPractice.unfeatured_by: user.id}
        ).where((FeaturedPractice.thread == thread_id) & FeaturedPractice.unfeatured_at.is_null()).returning(
            FeaturedPractice.id
        )
        if thread is None or not closed:
            raise InvalidInput({"thread": "Topik ini tidak sedang menjadi Praktik Baik Pilihan."})
        await Thread.update({Thread.is_featured: False}).where(Thread.id == thread_id)
        await record_action(user, "unfeature_thread", "thread", thread_id, thread["title"], reason)
        await changes.thread(What.FEATURE_CHANGED, thread_id)


async def list_featured(filters: ThreadFilters = ThreadFilters(), limit: int = 60) -> list[dict[str, Any]]:
    """Featured practices by curator's order, each with its note: two queries."""
    query = FeaturedPractice.select(
        FeaturedPractice.note,
        FeaturedPractice.position,
        FeaturedPractice.featured_at,
        FeaturedPractice.thread.id.as_alias("id"),
        FeaturedPractice.thread.title.as_alias("title"),
        FeaturedPractice.thread.slug.as_alias("slug"),
        FeaturedPractice.thread.kind.as_alias("kind"),
        FeaturedPractice.thread.sector.as_alias("sector"),
        FeaturedPractice.thread.province.as_alias("province"),
        FeaturedPractice.thread.created_at.as_alias("created_at"),
        FeaturedPractice.thread.reply_count.as_alias("reply_count"),
        FeaturedPractice.thread.agency.name.as_alias("agency_name"),
        FeaturedPractice.thread.agency.slug.as_alias("agency_slug"),
        FeaturedPractice.thread.author.id.as_alias("author_id"),
        FeaturedPractice.thread.author.display_name.as_alias("author_name"),
        FeaturedPractice.featured_by.display_name.as_alias("curator_name"),
    ).where(FeaturedPractice.unfeatured_at.is_null() & (FeaturedPractice.thread.status == PUBLISHED))
    if filters.sector:
        query = query.where(FeaturedPractice.thread.sector == filters.sector)
    rows = await query.order_by(FeaturedPractice.position).order_by(FeaturedPractice.featured_at, ascending=False).limit(limit)
    tags = await values_by_thread([row["id"] for row in rows])
    out = []
    for row in rows:
        row["values"] = tags.get(row["id"], [])
        row["url"] = thread_url(row["id"], row["slug"])
        row["is_featured"] = True
        if not filters.values or set(filters.values) & set(row["values"]):
            out.append(row)
    return out


async def featured_note(thread_id: int) -> dict[str, Any] | None:
    return await FeaturedPractice.select(
        FeaturedPractice.note, FeaturedPractice.featured_at, FeaturedPractice.featured_by.display_name.as_alias("curator_name")
    ).where((FeaturedPractice.thread == thread_id) & FeaturedPractice.unfeatured_at.is_null()).first()
