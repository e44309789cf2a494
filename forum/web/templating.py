"""Jinja set-up: the globals and filters every template may use."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, pass_context
from litestar.utils.scope.state import ScopeState

from forum.core import taxonomy, urls
from forum.core.policy import can_moderate, can_see_members_to_verify
from forum.core.visibility import STATUS_LABELS

JAKARTA = ZoneInfo("Asia/Jakarta")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def format_date(value: datetime | None, with_time: bool = False) -> str:
    """27 Nov 2026 (14.05 WIB): Indonesian style, in Western Indonesia Time."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(JAKARTA)
    text = f"{local.day} {_MONTHS[local.month - 1]} {local.year}"
    return f"{text}, {local:%H.%M} WIB" if with_time else text


def iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


@pass_context
def csrf_token(context: Any) -> str:
    """The CSRF token for htmx's request header (forms use ``csrf_input``)."""
    request = context.get("request")
    if request is None:
        return ""
    token = ScopeState.from_scope(request.scope).csrf_token
    return "" if token is None or token.__class__.__name__ == "EmptyType" else str(token)


@pass_context
def viewer(context: Any) -> Any:
    """The signed-in user or None, safe on pages rendered before authentication ran (e.g. error pages)."""
    request = context.get("request")
    return request.scope.get("user") if request is not None else None


@pass_context
def site_can(context: Any) -> dict[str, bool]:
    """The ``can.*`` flags of the layout every page shares (its navigation), from forum.core.policy."""
    user = viewer(context)
    return {"moderate": can_moderate(user), "verify_members": can_see_members_to_verify(user)}


def query_with(params: dict[str, Any], **changes: Any) -> str:
    """A query string from current filters with some changed or removed (None removes)."""
    from urllib.parse import urlencode

    merged = {**params, **changes}
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        if value in (None, "", [], ()):
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend((key, str(item)) for item in value)
        else:
            pairs.append((key, str(value)))
    return "?" + urlencode(pairs) if pairs else ""


def configure(env: Environment, **feature_globals: Any) -> None:
    """The shared filters and globals; features add theirs through ``feature_globals`` (create_app passes them:
    this layer knows no feature)."""
    env.globals.update(
        taxonomy=taxonomy,
        urls=urls,
        value_label=lambda slug: taxonomy.label(taxonomy.VALUE_BY_SLUG, slug),
        sector_label=lambda slug: taxonomy.label(taxonomy.SECTOR_BY_SLUG, slug),
        province_label=lambda slug: taxonomy.label(taxonomy.PROVINCE_BY_SLUG, slug),
        kind_label=lambda slug: taxonomy.label(taxonomy.KIND_BY_SLUG, slug),
        stage_label=lambda slug: taxonomy.label(taxonomy.STAGE_BY_SLUG, slug),
        agency_kind_label=lambda slug: taxonomy.label(taxonomy.AGENCY_KIND_BY_SLUG, slug),
        role_label=lambda slug: taxonomy.label(taxonomy.ROLE_BY_SLUG, slug),
        status_label=lambda status: STATUS_LABELS.get(status, status),
        csrf_token=csrf_token,
        viewer=viewer,
        site_can=site_can,
        query_with=query_with,
    )
    env.globals.update(feature_globals)
    env.filters.update(date=format_date, iso=iso)
    env.trim_blocks = True
    env.lstrip_blocks = True
