"""Field-level mass-assignment matrix: every write route (pages and API) × every persona, with privileged fields
sent along.

The authorization matrix (tests/integration/test_authorization_matrix.py) says who may call each route. This
one says which fields they may set: each cell runs the route's ordinary request on the matrix's world, records
the whole database, then runs it again on the same world with a role, an agency, an author, a status,
verification, ids of other rows, counters and timestamps added to the body. Both runs must answer the same
status (the one the authorization matrix expects) and leave exactly the same database: any extra field that
reached a column would show up as a difference, named by table, row and column.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from forum.core.clock import now
from tests.integration.test_authorization_matrix import (  # noqa: F401  (the fixtures are used by name)
    PERSONAS,
    ROUTES,
    Route,
    World,
    _act,
    _empty_database,
    anyio_backend,
    app,
    build_world,
    matrix_app,
)

LONG_AGO = "2001-02-03T04:05:06+00:00"


def privileged_extras(world: World) -> dict[str, Any]:
    """What an attacker adds to any form or body: every name a row might take a privileged value from."""
    other, admin = world.users["other"], world.users["admin"]
    return {
        "role": "admin", "is_admin": True, "is_moderator": True, "is_agency_admin": True, "agency_admin": True,
        "agency": other.agency_id, "agency_id": other.agency_id, "province": "papua",
        "author": other.id, "author_id": other.id, "user": other.id, "user_id": other.id,
        "created_by": other.id, "owner": other.id, "verified_by": admin.id, "actor": admin.id,
        "status": "hidden", "hidden_reason": "dibajak", "is_active": False, "is_pinned": True, "is_locked": True,
        "verified": True, "is_verified": True, "verified_at": LONG_AGO, "email_verified_at": LONG_AGO,
        "reply_count": 999, "appreciation_count": 999, "view_count": 999, "version": 99, "revision": 99,
        "created_at": LONG_AGO, "updated_at": LONG_AGO, "edited_at": LONG_AGO, "last_activity_at": LONG_AGO,
        "id": 9999, "thread": world.thread_p, "thread_id": world.thread_p, "post": world.reply_r,
        "source_thread": world.thread_p, "replica_thread": world.thread_p, "slug": "dibajak",
        "password_hash": "x", "token_hash": "x", "key_hash": "x", "email_confirmed_at": LONG_AGO,
        "expires_at": LONG_AGO, "used_at": LONG_AGO, "scopes": "read write moderate",
    }  # fmt: skip


def _with_extras(route: Route) -> Route:
    def body(world: World, persona: str) -> dict[str, Any]:
        plain = route.body(world, persona) or {}
        extras = {name: value for name, value in privileged_extras(world).items() if name not in plain}
        if route.surface == "page":  # a form carries text only
            extras = {name: str(int(value)) if isinstance(value, bool) else str(value)
                      for name, value in extras.items()}  # fmt: skip
        return {**plain, **extras}

    return replace(route, body=body)


SECRET_COLUMNS = {"password_hash", "token_hash", "key_hash", "code_hash", "totp_secret"}  # salted or random
# carries a random link (a confirmation, a reset) until it is sent; the last two-step time step a sign-in took
SECRET_IN = {("outgoing_mail", "body"), ("forum_user", "totp_last_step")}


def _normalised(value: Any, moment: datetime) -> Any:
    """Times of the two runs differ by milliseconds (and so do expiries counted from them: a link's 3 days, a token's
    90); a time an extra field set would be years away."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return "(now)" if abs(aware - moment) < timedelta(days=400) else aware.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


async def database_state() -> dict[tuple[str, Any], dict[str, Any]]:
    from forum.core.tables import ALL_TABLES

    moment = now()
    state = {}
    for table in ALL_TABLES:
        for row in await table.select().order_by(table._meta.primary_key):
            key = (table._meta.tablename, row[table._meta.primary_key._meta.name])
            name = table._meta.tablename
            state[key] = {column: "(secret)" if column in SECRET_COLUMNS or (name, column) in SECRET_IN
                          else _normalised(value, moment) for column, value in row.items()}  # fmt: skip
    return state


def _differences(plain: dict, attacked: dict) -> list[str]:
    found = []
    for key in sorted(set(plain) | set(attacked), key=str):
        before, after = plain.get(key), attacked.get(key)
        if before == after:
            continue
        if before is None or after is None:
            found.append(f"{key}: row {'added' if before is None else 'missing'} ({after or before})")
            continue
        found += [f"{key}.{column}: {before[column]!r} → {after[column]!r}"
                  for column in before if before[column] != after.get(column)]  # fmt: skip
    return found


WRITES = [route for route in ROUTES if route.method != "GET"]


def _cells() -> list[Any]:
    return [pytest.param(route, persona, id=f"{route.surface}:{route.label}-{persona}")
            for route in WRITES for persona in PERSONAS]  # fmt: skip


async def _run(client: httpx.AsyncClient, route: Route, persona: str) -> tuple[int, dict]:
    api_persona = persona if route.surface == "api" and persona != "anonymous" else None
    world = await build_world(route.setup, token_persona=api_persona)
    client.cookies.clear()
    response = await _act(client, route, persona, world)
    return response.status_code, await database_state()


@pytest.mark.anyio
@pytest.mark.parametrize(("route", "persona"), _cells())
async def test_privileged_fields_change_nothing(client: httpx.AsyncClient, route: Route, persona: str) -> None:
    plain_status, plain = await _run(client, route, persona)
    await _empty_database()
    attacked_status, attacked = await _run(client, _with_extras(route), persona)
    assert plain_status == route.expect[persona]
    assert attacked_status == plain_status, f"the extra fields changed the answer: {plain_status} → {attacked_status}"
    differences = _differences(plain, attacked)
    assert not differences, "privileged fields sent along were stored:\n" + "\n".join(differences)


def test_the_matrix_sees_a_stored_privileged_field() -> None:
    """The comparison notices what an extra field would do: a role, a time long ago, a row more."""
    moment = now()
    plain = {("forum_user", 1): {"role": "member", "verified_at": _normalised(moment, moment)}}
    assert _differences(plain, {("forum_user", 1): {"role": "admin", "verified_at": "(now)"}}) == [
        "('forum_user', 1).role: 'member' → 'admin'"]  # fmt: skip
    old = datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert _differences(plain, {("forum_user", 1): {"role": "member", "verified_at": _normalised(old, moment)}})
    assert _differences(plain, {**plain, ("thread", 2): {"title": "x"}})
