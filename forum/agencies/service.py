"""Agencies (instansi): create, find, and the one-query lookups pages need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slugify import slugify

from forum.core.db import engine, is_sqlite, write_transaction
from forum.core.errors import InvalidInput, NotFound
from forum.core.inputs import Input
from forum.core.tables import Agency
from forum.core.taxonomy import AGENCY_KIND_BY_SLUG, PROVINCE_BY_SLUG
from forum.core.validation import require_choice, require_text


@dataclass(frozen=True, slots=True)
class AgencyInput(Input):
    name: object = None
    kind: object = None
    province: object = None

AGENCY_FIELDS = (Agency.id, Agency.name, Agency.slug, Agency.kind, Agency.province)


def validate_agency(data: AgencyInput) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    name = require_text(errors, "name", data.get("name"), "Nama instansi", max_len=200, min_len=3)
    kind = require_choice(errors, "kind", data.get("kind"), AGENCY_KIND_BY_SLUG, "Jenis instansi")
    province = require_choice(errors, "province", data.get("province"), PROVINCE_BY_SLUG, "Provinsi")
    if errors:
        raise InvalidInput(errors)
    return " ".join(name.split()), kind, province


async def _unique_slug(name: str) -> str:
    base = slugify(name, max_length=100, word_boundary=True) or "instansi"
    taken = {row["slug"] for row in await Agency.select(Agency.slug).where(Agency.slug.like(f"{base}%"))}
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


async def find_agency_by_name(name: str) -> dict[str, Any] | None:
    return await Agency.select(*AGENCY_FIELDS).where(Agency.name == " ".join(name.split())).first()


AGENCY_LOCK = 0x5E11  # pg_advisory_xact_lock key: "creating an agency"


async def _lock_agency_creation() -> None:
    """New agencies are rare: one lock for all of them makes the name check and the unique slug hold when two
    registrations name the same new agency at once (PostgreSQL; SQLite's write transaction is exclusive)."""
    if not is_sqlite():
        await engine().run_ddl(f"SELECT pg_advisory_xact_lock({AGENCY_LOCK})")


async def find_or_insert_agency(name: str, kind: str, province: str) -> dict[str, Any]:
    """The agency of this name, created if there is none; the caller holds the write transaction."""
    await _lock_agency_creation()
    return await find_agency_by_name(name) or await insert_agency(name, kind, province)


async def insert_agency(name: str, kind: str, province: str) -> dict[str, Any]:
    """Insert a validated agency; the caller holds the write transaction."""
    agency = Agency(name=name, slug=await _unique_slug(name), kind=kind, province=province)
    await agency.save()
    return {"id": agency.id, "name": name, "slug": agency.slug, "kind": kind, "province": province}


async def create_agency(data: AgencyInput) -> dict[str, Any]:
    """Create an agency; an agency of the same name is an error the caller can show next to the field."""
    name, kind, province = validate_agency(data)
    async with write_transaction():
        await _lock_agency_creation()
        if await find_agency_by_name(name):
            raise InvalidInput({"name": "Instansi dengan nama ini sudah terdaftar."})
        return await insert_agency(name, kind, province)


async def get_agency_by_slug(slug: str) -> dict[str, Any]:
    agency = await Agency.select(*AGENCY_FIELDS).where(Agency.slug == slug).first()
    if agency is None:
        raise NotFound("Instansi tidak ditemukan.")
    return agency


async def list_agencies(limit: int = 500) -> list[dict[str, Any]]:
    return await Agency.select(*AGENCY_FIELDS).order_by(Agency.name).limit(limit)
