"""Authorization matrix: every write route (pages and API), plus the two review-queue views, against six
personas. Each cell is its own test with the exact status code the policy asks for, so a change in who may
do what shows up as one named cell (for example ``api:PATCH /api/threads/{id}-moderator``).

Every cell starts from the same small world, built with the domain functions (not over HTTP) and wiped by
the ``app`` fixture afterwards:

* agencies A (Disdukcapil Kabupaten Sleman), B and C;
* ``member`` (A) wrote everything; ``other`` (B); ``agency_admin`` (A); ``moderator`` and ``admin`` (C);
  ``newbie`` is an unverified member of A: the target of the role and verification routes;
* T: an "inovasi" thread by member, edited once (revisions 1 and 2);
* M: member's reply on T, edited once (revisions 1 and 2);
* P: a "permasalahan" thread by member, with R: a reply by other;
* one open flag on R, raised by agency_admin.

Pages are driven like a browser (log in through the form, post forms with the CSRF token); the API with a
bearer token. Anonymous visitors post page forms with a CSRF token but without logging in, and call the API
with no credentials and no cookies at all.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from litestar import Litestar

from forum.accounts.service import CurrentUser
from forum.db import write_transaction
from forum.featured.service import feature_thread
from forum.moderation.flags import flag_content
from forum.posting.service import add_reply, edit_post
from forum.solutions import mark_solution
from forum.threads.service import edit_thread
from tests.support.factories import (
    PASSWORD,
    VALID_THREAD,
    login,
    make_thread,
    make_user,
    post_form,
    token_for,
)

AGENCY_A = "Disdukcapil Kabupaten Sleman"
AGENCY_B = "Dinas Kominfo Kota Surakarta"
AGENCY_C = "Kementerian PANRB"

PERSONAS = ("anonymous", "member", "other", "agency_admin", "moderator", "admin")
SIGNED_IN = PERSONAS[1:]
EMAILS = {
    "member": "member@sleman.go.id",
    "other": "other@surakarta.go.id",
    "agency_admin": "admin-instansi@sleman.go.id",
    "moderator": "moderator@menpan.go.id",
    "admin": "admin@menpan.go.id",
    "newbie": "newbie@sleman.go.id",
}

# What an anonymous visitor gets from a route that needs a login.
ANON_PAGE = 302  # LoginRequired on a page: Redirect to /masuk?next=... (Litestar's default redirect status)
# A cookie-less, token-less API write has no ambient authority, so CSRF lets it through to the login guard: 401.
ANON_API_WRITE = 401
ANON_API_READ = 401

FEATURE_NOTE = "Layanan jemput bola yang mudah ditiru kabupaten lain."
RESOLVE_NOTE = "Laporan tidak terbukti setelah ditinjau."


# -- the world --------------------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, CurrentUser]
    thread_t: int
    thread_p: int
    reply_r: int
    reply_m: int
    thread_t_version: int
    reply_m_version: int
    token: str | None = None  # the acting persona's API token, for API cells

    def ids(self) -> dict[str, Any]:
        return {"T": self.thread_t, "P": self.thread_p, "R": self.reply_r, "M": self.reply_m,
                "newbie": self.users["newbie"].id}  # fmt: skip


async def build_world(setup: frozenset[str], token_persona: str | None = None) -> World:
    # One transaction: the domain functions' own write transactions nest into it, so the whole world is
    # written over one connection and committed once (on SQLite each query would otherwise open its own).
    async with write_transaction():
        world = await _build_world(setup)
        if token_persona:
            world.token = await token_for(world.users[token_persona])
    return world


async def _build_world(setup: frozenset[str]) -> World:
    member = await make_user(EMAILS["member"], name="Member Uji")
    other = await make_user(EMAILS["other"], agency=AGENCY_B, name="Other Uji")
    agency_admin = await make_user(EMAILS["agency_admin"], agency_admin=True, name="Admin Instansi Uji")
    moderator = await make_user(EMAILS["moderator"], role="moderator", agency=AGENCY_C, name="Moderator Uji")
    admin = await make_user(EMAILS["admin"], role="admin", agency=AGENCY_C, name="Admin Uji")
    newbie = await make_user(EMAILS["newbie"], verified=False, name="Newbie Uji")
    assert member.agency_id == agency_admin.agency_id == newbie.agency_id
    assert len({member.agency_id, other.agency_id, moderator.agency_id}) == 3
    assert moderator.agency_id == admin.agency_id and not newbie.is_verified

    thread_t = await make_thread(member)
    edited_t = await edit_thread(member, thread_t["id"], {"title": "Layanan KTP-el antar ke rumah bagi lansia"}, 1)
    reply_m = await add_reply(member, thread_t["id"], {"body": "Tambahan: jadwal kami umumkan lewat RT."})
    edited_m = await edit_post(member, reply_m["id"], {"body": "Tambahan: jadwal diumumkan lewat RT dan RW."}, 1)
    thread_p = await make_thread(
        member,
        kind="permasalahan",
        title="Antrean rekam KTP-el selalu membludak",
        body="Setiap Senin antrean rekam KTP-el mengular sampai ke jalan. Ada saran?",
    )
    reply_r = await add_reply(other, thread_p["id"], {"body": "Coba buka layanan sore dan nomor antrean daring."})
    await flag_content(agency_admin, "post", reply_r["id"], {"reason": "spam"})
    if "featured" in setup:
        await feature_thread(moderator, thread_t["id"], {"note": FEATURE_NOTE})
    if "solved" in setup:
        await mark_solution(member, thread_p["id"], reply_r["id"])
    return World(
        users={"member": member, "other": other, "agency_admin": agency_admin, "moderator": moderator,
               "admin": admin, "newbie": newbie},  # fmt: skip
        thread_t=thread_t["id"],
        thread_p=thread_p["id"],
        reply_r=reply_r["id"],
        reply_m=reply_m["id"],
        thread_t_version=edited_t["version"],
        reply_m_version=edited_m["version"],
    )


# -- expectations -----------------------------------------------------------------------------------------


def anyone_signed_in(ok: int, anonymous: int) -> dict[str, int]:
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, ok)}


def only(allowed: tuple[str, ...], ok: int, anonymous: int) -> dict[str, int]:
    return {"anonymous": anonymous, **{p: (ok if p in allowed else 403) for p in SIGNED_IN}}


AUTHOR_OR_MODERATOR = ("member", "moderator", "admin")
MODERATORS = ("moderator", "admin")
ADMINS = ("admin",)
VERIFIERS = ("agency_admin", "moderator", "admin")  # agency_admin shares agency A with newbie


def everyone(ok: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, ok)


def flag_thread_t(ok: int, anonymous: int) -> dict[str, int]:
    return {**anyone_signed_in(ok, anonymous), "member": 422}  # member wrote T


def flag_reply_r(ok: int, anonymous: int) -> dict[str, int]:
    return {**anyone_signed_in(ok, anonymous), "other": 422, "agency_admin": 409}  # other wrote R; aa flagged it


# -- request bodies ---------------------------------------------------------------------------------------


def thread_form(thread: dict[str, Any]) -> dict[str, Any]:
    form = {key: value for key, value in thread.items() if value is not None}
    form["start_year"] = str(form["start_year"])
    form["is_digital"] = "true" if thread["is_digital"] else "false"
    return form


def _edited_thread_form(w: World, persona: str) -> dict[str, Any]:
    return {**thread_form(VALID_THREAD), "title": f"Layanan KTP-el antar ke rumah ({persona})",
            "version": str(w.thread_t_version)}  # fmt: skip


def _registration(w: World, persona: str) -> dict[str, Any]:
    return {"email": f"baru-{persona}@contoh.go.id", "password": PASSWORD, "display_name": f"Baru {persona}",
            "agency_id": "baru", "agency_name": f"Dinas Baru {persona}", "agency_kind": "pemkab",
            "agency_province": "di-yogyakarta"}  # fmt: skip


# -- the matrix -------------------------------------------------------------------------------------------


PATH_PARAM = re.compile(r"\{(\w+)(:\w+)?\}")


@dataclass(frozen=True)
class Route:
    surface: str  # "page" or "api"
    method: str
    path: str  # exactly as the app declares it, e.g. "/topik/{thread_id:int}/ubah"
    params: dict[str, str]  # path parameter -> "T" / "P" / "R" / "M" / "newbie" or a literal
    expect: dict[str, int]
    body: Callable[[World, str], dict[str, Any] | None] = lambda w, p: None
    setup: frozenset[str] = frozenset()
    bugs: dict[str, str] = field(default_factory=dict)  # persona -> why the app's answer is wrong

    @property
    def label(self) -> str:
        return f"{self.method} {PATH_PARAM.sub(_short_name, self.path)}"

    def url(self, world: World) -> str:
        ids = world.ids()

        def fill(match: re.Match[str]) -> str:
            value = self.params[match.group(1)]
            return str(ids.get(value, value))

        return PATH_PARAM.sub(fill, self.path)


def _short_name(match: re.Match[str]) -> str:
    name = match.group(1)
    return "{id}" if name in {"thread_id", "post_id", "user_id", "target_id"} else "{" + name + "}"


T = {"thread_id": "T"}
P = {"thread_id": "P"}
M = {"post_id": "M"}
R = {"post_id": "R"}
NEWBIE = {"user_id": "newbie"}

# fmt: off
PAGE_ROUTES = [
    Route("page", "POST", "/topik/baru", {}, anyone_signed_in(303, ANON_PAGE),
          lambda w, p: {**thread_form(VALID_THREAD), "title": f"Layanan KTP-el keliling ({p})"}),
    Route("page", "POST", "/topik/{thread_id:int}/ubah", T, only(AUTHOR_OR_MODERATOR, 303, ANON_PAGE),
          _edited_thread_form),
    Route("page", "POST", "/topik/{thread_id:int}/hapus", T, only(AUTHOR_OR_MODERATOR, 303, ANON_PAGE),
          lambda w, p: {}),
    Route("page", "POST", "/pratinjau", {}, everyone(200), lambda w, p: {"body": "Pratinjau **tebal**."}),
    Route("page", "POST", "/topik/{thread_id:int}/balas", T, anyone_signed_in(303, ANON_PAGE),
          lambda w, p: {"body": f"Balasan dari {p}: terima kasih atas praktiknya."}),
    Route("page", "POST", "/balasan/{post_id:int}/ubah", M, only(AUTHOR_OR_MODERATOR, 303, ANON_PAGE),
          lambda w, p: {"body": f"Balasan disunting oleh {p}.", "version": str(w.reply_m_version)}),
    # Account routes are open to anyone with a CSRF token (logging in or registering switches the session).
    Route("page", "POST", "/masuk", {}, everyone(303),
          lambda w, p: {"email": EMAILS["newbie"], "password": PASSWORD}),
    Route("page", "POST", "/keluar", {}, everyone(303), lambda w, p: {}),
    # Registration with "agency_id=baru" is also how a page creates a new agency.
    Route("page", "POST", "/daftar", {}, everyone(303), _registration),
    Route("page", "POST", "/topik/{thread_id:int}/moderasi", T, only(MODERATORS, 303, ANON_PAGE),
          lambda w, p: {"action": "pin"}),
    Route("page", "POST", "/balasan/{post_id:int}/moderasi", M, only(MODERATORS, 303, ANON_PAGE),
          lambda w, p: {"action": "hide", "reason": "Berisi data pribadi warga."}),
    Route("page", "POST", "/topik/{thread_id:int}/laporkan", T, flag_thread_t(303, ANON_PAGE),
          lambda w, p: {"reason": "informasi-keliru"}),
    Route("page", "POST", "/balasan/{post_id:int}/laporkan", R, flag_reply_r(303, ANON_PAGE),
          lambda w, p: {"reason": "spam"}),
    Route("page", "POST", "/topik/{thread_id:int}/solusi", P, only(AUTHOR_OR_MODERATOR, 303, ANON_PAGE),
          lambda w, p: {"post_id": str(w.reply_r)}),
    Route("page", "POST", "/topik/{thread_id:int}/solusi/batal", P, only(AUTHOR_OR_MODERATOR, 303, ANON_PAGE),
          lambda w, p: {}, setup=frozenset({"solved"})),
    Route("page", "POST", "/topik/{thread_id:int}/pilih", T, only(MODERATORS, 303, ANON_PAGE),
          lambda w, p: {"note": FEATURE_NOTE, "position": "0"}),
    Route("page", "POST", "/topik/{thread_id:int}/batal-pilih", T, only(MODERATORS, 303, ANON_PAGE),
          lambda w, p: {"reason": "Diganti praktik yang lebih baru."}, setup=frozenset({"featured"})),
    Route("page", "GET", "/moderasi", {}, only(MODERATORS, 200, ANON_PAGE)),
    Route("page", "POST", "/moderasi/laporan/{target_type:str}/{target_id:int}",
          {"target_type": "post", "target_id": "R"}, only(MODERATORS, 303, ANON_PAGE),
          lambda w, p: {"resolution": "dismiss", "note": RESOLVE_NOTE}),
    Route("page", "POST", "/topik/{thread_id:int}/riwayat/{version:int}/pulihkan", {**T, "version": "1"},
          only(MODERATORS, 303, ANON_PAGE), lambda w, p: {}),
    Route("page", "POST", "/balasan/{post_id:int}/riwayat/{version:int}/pulihkan", {**M, "version": "1"},
          only(MODERATORS, 303, ANON_PAGE), lambda w, p: {}),
    Route("page", "POST", "/pengguna/{user_id:int}/peran", NEWBIE, only(ADMINS, 303, ANON_PAGE),
          lambda w, p: {"role": "moderator"}),
    Route("page", "POST", "/pengguna/{user_id:int}/admin-instansi", NEWBIE, only(ADMINS, 303, ANON_PAGE),
          lambda w, p: {"value": "1"}),
    Route("page", "POST", "/pengguna/{user_id:int}/verifikasi", NEWBIE, only(VERIFIERS, 303, ANON_PAGE),
          lambda w, p: {"value": "1"}),
]

API_ROUTES = [
    Route("api", "POST", "/api/threads", {}, anyone_signed_in(201, ANON_API_WRITE),
          lambda w, p: {**VALID_THREAD, "title": f"Layanan KTP-el keliling ({p})"}),
    Route("api", "PATCH", "/api/threads/{thread_id:int}", T, only(AUTHOR_OR_MODERATOR, 200, ANON_API_WRITE),
          lambda w, p: {"version": w.thread_t_version, "title": f"Layanan KTP-el antar ke rumah ({p})"}),
    Route("api", "DELETE", "/api/threads/{thread_id:int}", T, only(AUTHOR_OR_MODERATOR, 204, ANON_API_WRITE)),
    Route("api", "POST", "/api/threads/{thread_id:int}/posts", T, anyone_signed_in(201, ANON_API_WRITE),
          lambda w, p: {"body": f"Balasan dari {p}: terima kasih atas praktiknya."}),
    Route("api", "PATCH", "/api/posts/{post_id:int}", M, only(AUTHOR_OR_MODERATOR, 200, ANON_API_WRITE),
          lambda w, p: {"body": f"Balasan disunting oleh {p}.", "version": w.reply_m_version}),
    Route("api", "POST", "/api/agencies", {}, anyone_signed_in(201, ANON_API_WRITE),
          lambda w, p: {"name": f"Dinas Uji Matriks {p}", "kind": "pemkab", "province": "di-yogyakarta"}),
    Route("api", "POST", "/api/threads/{thread_id:int}/moderation", T, only(MODERATORS, 200, ANON_API_WRITE),
          lambda w, p: {"action": "pin"}),
    Route("api", "POST", "/api/posts/{post_id:int}/moderation", M, only(MODERATORS, 200, ANON_API_WRITE),
          lambda w, p: {"action": "hide", "reason": "Berisi data pribadi warga."}),
    Route("api", "POST", "/api/threads/{thread_id:int}/flags", T, flag_thread_t(201, ANON_API_WRITE),
          lambda w, p: {"reason": "informasi-keliru"}),
    Route("api", "POST", "/api/posts/{post_id:int}/flags", R, flag_reply_r(201, ANON_API_WRITE),
          lambda w, p: {"reason": "spam"}),
    Route("api", "GET", "/api/moderation/queue", {}, only(MODERATORS, 200, ANON_API_READ)),
    Route("api", "POST", "/api/moderation/flags/{target_type:str}/{target_id:int}",
          {"target_type": "post", "target_id": "R"}, only(MODERATORS, 200, ANON_API_WRITE),
          lambda w, p: {"resolution": "dismiss", "note": RESOLVE_NOTE}),
    Route("api", "POST", "/api/threads/{thread_id:int}/feature", T, only(MODERATORS, 200, ANON_API_WRITE),
          lambda w, p: {"note": FEATURE_NOTE}),
    Route("api", "DELETE", "/api/threads/{thread_id:int}/feature", T, only(MODERATORS, 200, ANON_API_WRITE),
          setup=frozenset({"featured"})),
    Route("api", "POST", "/api/threads/{thread_id:int}/solution", P, only(AUTHOR_OR_MODERATOR, 200, ANON_API_WRITE),
          lambda w, p: {"post_id": w.reply_r}),
    Route("api", "DELETE", "/api/threads/{thread_id:int}/solution", P,
          only(AUTHOR_OR_MODERATOR, 200, ANON_API_WRITE), setup=frozenset({"solved"})),
    Route("api", "POST", "/api/threads/{thread_id:int}/revisions/{version:int}/revert", {**T, "version": "1"},
          only(MODERATORS, 200, ANON_API_WRITE)),
    Route("api", "POST", "/api/posts/{post_id:int}/revisions/{version:int}/revert", {**M, "version": "1"},
          only(MODERATORS, 200, ANON_API_WRITE)),
    Route("api", "POST", "/api/users/{user_id:int}/role", NEWBIE, only(ADMINS, 200, ANON_API_WRITE),
          lambda w, p: {"role": "moderator"}),
    Route("api", "POST", "/api/users/{user_id:int}/agency-admin", NEWBIE, only(ADMINS, 200, ANON_API_WRITE),
          lambda w, p: {"value": True}),
    Route("api", "POST", "/api/users/{user_id:int}/verification", NEWBIE, only(VERIFIERS, 200, ANON_API_WRITE),
          lambda w, p: {"value": True}),
]

# fmt: on
ROUTES = PAGE_ROUTES + API_ROUTES


def _cells() -> list[Any]:
    cells = []
    for route in ROUTES:
        assert set(route.expect) == set(PERSONAS), route.label
        for persona in PERSONAS:
            marks = []
            if persona in route.bugs:
                marks.append(pytest.mark.xfail(strict=True, reason=f"BUG: {route.bugs[persona]}"))
            cells.append(pytest.param(route, persona, id=f"{route.surface}:{route.label}-{persona}", marks=marks))
    return cells


# -- fixtures ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"  # module scope, so one event loop serves the shared app below and every cell


@pytest.fixture(scope="module")
async def matrix_app() -> AsyncIterator[Litestar]:
    from forum.app import create_app

    application = create_app()
    async with application.lifespan():
        yield application


async def _empty_database() -> None:
    """What database.wipe() leaves (empty tables, ids from 1 again), in one transaction and without TRUNCATE:
    on PostgreSQL, truncating every table (new files for each) costs ~0.2 s a cell; deleting a world's few
    rows and resetting the id sequences does not."""
    from forum.db import engine, is_sqlite
    from forum.tables import ALL_TABLES

    names = [table._meta.tablename for table in ALL_TABLES]
    async with write_transaction():
        for name in reversed(names):
            await engine().run_ddl(f'DELETE FROM "{name}"')
        if not is_sqlite():
            resets = ", ".join(f"setval(pg_get_serial_sequence('\"{name}\"', 'id'), 1, false)" for name in names)
            await engine().run_ddl(f"SELECT {resets}")


@pytest.fixture
async def app(matrix_app: Litestar) -> AsyncIterator[Litestar]:
    """conftest's ``app`` (which ``client`` uses), built once for this module instead of once per cell:
    create_app() alone costs ~0.15 s, times 270 cells. The database is still emptied after every cell, so
    each cell starts from nothing and builds its own world."""
    try:
        yield matrix_app
    finally:
        await _empty_database()


# -- the tests --------------------------------------------------------------------------------------------


async def _act(client: httpx.AsyncClient, route: Route, persona: str, world: World) -> httpx.Response:
    url = route.url(world)
    body = route.body(world, persona)
    if route.surface == "page":
        if persona != "anonymous":
            await login(client, EMAILS[persona])
        if route.method == "GET":
            return await client.get(url)
        return await post_form(client, url, body or {})
    headers = {"Authorization": f"Bearer {world.token}"} if persona != "anonymous" else {}
    return await client.request(route.method, url, json=body, headers=headers)


# Marked here, not only by conftest's collection hook: anyio's plugin rebuilds async items that reach the end of
# collection without the anyio_backend fixture, and the rebuilt item would lose this parametrization.
@pytest.mark.anyio
@pytest.mark.parametrize(("route", "persona"), _cells())
async def test_authorization_matrix(client: httpx.AsyncClient, route: Route, persona: str) -> None:
    api_persona = persona if route.surface == "api" and persona != "anonymous" else None
    world = await build_world(route.setup, token_persona=api_persona)
    response = await _act(client, route, persona, world)
    expected = route.expect[persona]
    assert response.status_code == expected, (
        f"{route.surface}:{route.label} as {persona}: expected {expected}, got {response.status_code}: "
        f"{response.text[:300]}"
    )
    if expected == 302:  # anonymous on a page that needs a login: sent to the login form
        assert response.headers["location"].startswith("/masuk"), response.headers["location"]
    if route.surface == "api" and persona == "anonymous":
        assert response.status_code == 401  # the API never serves an anonymous write (or the queue)


# The modules whose routes this matrix (and its policy) covers. Routes that other features add elsewhere
# need their own rows, and their own policy, before they belong here.
COVERED_MODULES = ("forum.threads.", "forum.posting.", "forum.agencies.", "forum.accounts.", "forum.moderation.",
                   "forum.api")  # fmt: skip


def test_matrix_covers_every_write_route() -> None:
    """Every POST/PATCH/DELETE/PUT the covered modules serve (and the two queue views) has a row, and every
    row is a route the app really serves."""
    from forum.app import create_app

    served = set()
    for route in create_app().routes:
        for handler in getattr(route, "route_handlers", ()):
            if not handler.fn.__module__.startswith(COVERED_MODULES):
                continue
            for method in handler.http_methods:
                if method in {"POST", "PATCH", "PUT", "DELETE"} or (method, route.path) in {
                    ("GET", "/moderasi"),
                    ("GET", "/api/moderation/queue"),
                }:
                    served.add((method, route.path))
    in_matrix = {(route.method, route.path) for route in ROUTES}
    assert len(in_matrix) == len(ROUTES), "a route is listed twice"
    assert len(ROUTES) == 45  # 23 page POSTs + GET /moderasi, 20 API writes + GET /api/moderation/queue
    assert served - in_matrix == set(), "write routes missing from the matrix"
    assert in_matrix - served == set(), "matrix rows for routes the app does not serve"
