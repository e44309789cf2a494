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
* one open flag on R, raised by agency_admin;
* C: a follow-up commitment on T, recorded by and owned by other;
* I: an impact indicator on T by member, verified by agency_admin; J: another by member, not verified;
* N: one notification for each signed-in persona (each persona's own N is the one its cells read);
* with setup "interest" / "agreed" / "implemented": X, agency B's replication of T (declared by other), left
  in that state (agreed by member, implemented by other). Without it nobody replicates T yet, so that other
  can declare interest (a second open replication by the same agency is a 409).

Building that world with the domain functions costs ~0.15 s on SQLite (every query its own round trip), times
~540 cells. So each distinct world (one per ``setup``) is built once, with those functions, and copied into
snapshot tables; every later cell that needs it copies the rows back (one INSERT … SELECT per table, ids and
all) into the emptied database: row for row what building it again would give, timestamps a few seconds older.

Pages are driven like a browser (log in through the form, post forms with the CSRF token); the API with a
bearer token. Anonymous visitors post page forms with a CSRF token but without logging in, and call the API
with no credentials and no cookies at all.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from litestar import Litestar

from forum.collaboration.indicators import IndicatorInput, add_indicator, set_indicator_verification
from forum.commitments.service import (
    CommitmentInput,
    add_commitment,
)
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.identity import CurrentUser
from forum.core.tables import Notification
from forum.featured.service import (
    Feature,
    feature_thread,
)
from forum.moderation.flags import (
    FlagReport,
    flag_content,
)
from forum.notifications.service import notify
from forum.posting.service import ReplyInput, add_reply, edit_post
from forum.replication.service import (
    Interest,
    ReplicationStep,
    declare_interest,
    move_replication,
)
from forum.threads.service import ThreadInput, edit_thread
from forum.threads.solutions import mark_solution
from forum.web.flood import NO_LIMITS
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

PERSONAS = ("anonymous", "member", "other", "agency_admin", "moderator", "admin", "unconfirmed")
SIGNED_IN = PERSONAS[1:]
EMAILS = {
    "member": "member@sleman.go.id",
    "other": "other@surakarta.go.id",
    "agency_admin": "admin-instansi@sleman.go.id",
    "moderator": "moderator@menpan.go.id",
    "admin": "admin@menpan.go.id",
    "newbie": "newbie@sleman.go.id",
    "unconfirmed": "belum.konfirmasi@surakarta.go.id",
}

# What an anonymous visitor gets from a route that needs a login.
ANON_PAGE = 302  # LoginRequired on a page: Redirect to /masuk?next=... (Litestar's default redirect status)
# A cookie-less, token-less API write has no ambient authority, so CSRF lets it through to the login guard: 401.
ANON_API_WRITE = 401
ANON_API_READ = 401

FEATURE_NOTE = "Layanan jemput bola yang mudah ditiru kabupaten lain."
RESOLVE_NOTE = "Laporan tidak terbukti setelah ditinjau."
REPLICATION_STATES = ("interest", "agreed", "implemented")  # setups: X left in that state
SECTOR = "administrasi-kependudukan-pencatatan-sipil"


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
    commitment_c: int
    indicator_i: int
    indicator_j: int
    notices: dict[str, int]  # persona -> N, that persona's own notification
    replication_x: int | None = None
    tokens: dict[str, str] = field(default_factory=dict)  # every signed-in persona's API token
    token: str | None = None  # the acting persona's API token, for API cells

    def ids(self, persona: str) -> dict[str, Any]:
        return {"T": self.thread_t, "P": self.thread_p, "R": self.reply_r, "M": self.reply_m,
                "newbie": self.users["newbie"].id, "C": self.commitment_c, "I": self.indicator_i,
                "J": self.indicator_j, "X": self.replication_x,
                # anonymous has no notification of its own: it tries member's
                "N": self.notices.get(persona, self.notices["member"])}  # fmt: skip


@dataclass
class Snapshot:
    world: World
    tables: list[tuple[str, str, int]]  # (table, its snapshot copy, next id), parents first; empty ones left out


_SNAPSHOTS: dict[frozenset[str], Snapshot] = {}


async def build_world(setup: frozenset[str], token_persona: str | None = None) -> World:
    """The world for this setup in the (empty) database: built the first time, restored from its snapshot
    after that."""
    snapshot = _SNAPSHOTS.get(setup)
    if snapshot is None:
        # One transaction: the domain functions' own write transactions nest into it, so the whole world is
        # written over one connection and committed once (on SQLite each query would otherwise open its own).
        async with write_transaction():
            world = await _build_world(setup)
            world.tokens = {persona: await token_for(world.users[persona]) for persona in SIGNED_IN}
            snapshot = _SNAPSHOTS[setup] = Snapshot(world, await _copy_tables(f"authz_matrix_{len(_SNAPSHOTS)}_"))
    else:
        await _restore(snapshot)
    return replace(snapshot.world, token=snapshot.world.tokens[token_persona] if token_persona else None)


async def _copy_tables(prefix: str) -> list[tuple[str, str, int]]:
    from forum.core.db import engine
    from forum.core.tables import ALL_TABLES

    copies = []
    for table in ALL_TABLES:
        name = table._meta.tablename
        rows = await table.raw(f'SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS top FROM "{name}"')
        if not rows[0]["n"]:
            continue
        copy = f"{prefix}{name}"
        await engine().run_ddl(f'DROP TABLE IF EXISTS "{copy}"')
        await engine().run_ddl(f'CREATE TABLE "{copy}" AS SELECT * FROM "{name}"')
        copies.append((name, copy, int(rows[0]["top"]) + 1))
    return copies


async def _restore(snapshot: Snapshot) -> None:
    from forum.core.db import engine, is_sqlite

    async with write_transaction():
        for name, copy, _ in snapshot.tables:
            await engine().run_ddl(f'INSERT INTO "{name}" SELECT * FROM "{copy}"')
        if not is_sqlite():  # SQLite hands out max(id) + 1 by itself
            resets = ", ".join(f"setval(pg_get_serial_sequence('\"{name}\"', 'id'), {next_id}, false)"
                               for name, _, next_id in snapshot.tables)  # fmt: skip
            await engine().run_ddl(f"SELECT {resets}")


async def _drop_snapshots() -> None:
    from forum.core.db import engine

    async with write_transaction():
        for snapshot in _SNAPSHOTS.values():
            for _, copy, _ in snapshot.tables:
                await engine().run_ddl(f'DROP TABLE IF EXISTS "{copy}"')
    _SNAPSHOTS.clear()


async def _build_world(setup: frozenset[str]) -> World:
    member = await make_user(EMAILS["member"], name="Member Uji")
    other = await make_user(EMAILS["other"], agency=AGENCY_B, name="Other Uji")
    agency_admin = await make_user(EMAILS["agency_admin"], agency_admin=True, name="Admin Instansi Uji")
    moderator = await make_user(EMAILS["moderator"], role="moderator", agency=AGENCY_C, name="Moderator Uji")
    admin = await make_user(EMAILS["admin"], role="admin", agency=AGENCY_C, name="Admin Uji")
    newbie = await make_user(EMAILS["newbie"], verified=False, name="Newbie Uji")
    unconfirmed = await make_user(EMAILS["unconfirmed"], agency=AGENCY_B, verified=False, confirmed=False,
                                  name="Belum Konfirmasi Uji")  # fmt: skip
    assert member.agency_id == agency_admin.agency_id == newbie.agency_id
    assert len({member.agency_id, other.agency_id, moderator.agency_id}) == 3
    assert moderator.agency_id == admin.agency_id and not newbie.is_verified

    thread_t = await make_thread(member)
    edited_t = await edit_thread(member, thread_t["id"], ThreadInput.pick({"title": "Layanan KTP-el antar ke rumah bagi lansia"}), 1)
    reply_m = await add_reply(member, thread_t["id"], ReplyInput(body="Tambahan: jadwal kami umumkan lewat RT."), limits=NO_LIMITS)
    edited_m = await edit_post(member, reply_m["id"], ReplyInput(body="Tambahan: jadwal diumumkan lewat RT dan RW."), 1)
    thread_p = await make_thread(
        member,
        kind="permasalahan",
        title="Antrean rekam KTP-el selalu membludak",
        body="Setiap Senin antrean rekam KTP-el mengular sampai ke jalan. Ada saran?",
    )
    reply_r = await add_reply(other, thread_p["id"], ReplyInput(body="Coba buka layanan sore dan nomor antrean daring."), limits=NO_LIMITS)
    await flag_content(agency_admin, "post", reply_r["id"], FlagReport.pick({"reason": "spam"}))
    if "featured" in setup:
        await feature_thread(moderator, thread_t["id"], Feature.pick({"note": FEATURE_NOTE}))
    if "solved" in setup:
        await mark_solution(member, thread_p["id"], reply_r["id"])
    commitment = await add_commitment(other, thread_t["id"], CommitmentInput.pick({"what": "Menyusun SOP layanan antar KTP-el",
                                                              "due_on": _days_from_today(30)}))  # fmt: skip
    indicator_i = await add_indicator(member, thread_t["id"], IndicatorInput.pick(_indicator_fields("Waktu tunggu KTP-el")))
    await set_indicator_verification(agency_admin, indicator_i, True)
    indicator_j = await add_indicator(member, thread_t["id"], IndicatorInput.pick(_indicator_fields("Aduan warga lansia")))
    people = {"member": member, "other": other, "agency_admin": agency_admin, "moderator": moderator, "admin": admin,
              "unconfirmed": unconfirmed}  # fmt: skip
    notices = {}
    for persona, person in people.items():
        text = f"Pemberitahuan uji untuk {persona}"
        await notify([person.id], "watch_reply", text, thread_t["url"], thread_id=thread_t["id"])
        found = (
            await Notification.select(Notification.id)
            .where((Notification.user == person.id) & (Notification.text == text))
            .first()
        )
        notices[persona] = found["id"]
    replication_x = None
    if setup & set(REPLICATION_STATES):
        replication_x = (await declare_interest(other, thread_t["id"], Interest.pick({"note": "Kami ingin menirunya."})))["id"]
        if setup & {"agreed", "implemented"}:
            await move_replication(member, replication_x, "agree", ReplicationStep.pick({}))
        if "implemented" in setup:
            await move_replication(other, replication_x, "implement", ReplicationStep.pick(_implemented()))
    return World(
        users={"member": member, "other": other, "agency_admin": agency_admin, "moderator": moderator,
               "admin": admin, "newbie": newbie, "unconfirmed": unconfirmed},  # fmt: skip
        thread_t=thread_t["id"],
        thread_p=thread_p["id"],
        reply_r=reply_r["id"],
        reply_m=reply_m["id"],
        thread_t_version=edited_t["version"],
        reply_m_version=edited_m["version"],
        commitment_c=commitment["id"],
        indicator_i=indicator_i,
        indicator_j=indicator_j,
        notices=notices,
        replication_x=replication_x,
    )


def _days_from_today(days: int) -> str:
    return (now().date() + timedelta(days=days)).isoformat()


def _indicator_fields(name: str) -> dict[str, Any]:
    return {"name": name, "unit": "hari", "baseline_value": "14", "baseline_on": _days_from_today(-400),
            "result_value": "3", "result_on": _days_from_today(-30), "source": "Laporan SKM 2024",
            "higher_is_better": "0"}  # fmt: skip


def _implemented() -> dict[str, Any]:
    return {"implemented_on": _days_from_today(-3), "adaptation_note": "Memakai kurir kecamatan, bukan pos."}


# -- expectations -----------------------------------------------------------------------------------------


def anyone_signed_in(ok: int, anonymous: int) -> dict[str, int]:
    """Any signed-in account with a confirmed address: one still to confirm reads but does not write (403)."""
    return {**anyone_with_an_account(ok, anonymous), "unconfirmed": 403}


def anyone_with_an_account(ok: int, anonymous: int) -> dict[str, int]:
    """One's own account, inbox and follows: open to an account whose address is not confirmed yet."""
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, ok)}


def only(allowed: tuple[str, ...], ok: int, anonymous: int) -> dict[str, int]:
    return {"anonymous": anonymous, **{p: (ok if p in allowed else 403) for p in SIGNED_IN}}


AUTHOR_OR_MODERATOR = ("member", "moderator", "admin")
MODERATORS = ("moderator", "admin")
ADMINS = ("admin",)
VERIFIERS = ("agency_admin", "moderator", "admin")  # agency_admin shares agency A with newbie
SOURCE_AGENCY = ("member", "agency_admin")  # agency A, whose innovation T is
REPLICATOR = ("other",)  # agency B, replicating T (a moderator is not the replicating agency)
COMMITMENT_CLOSERS = ("other", "moderator", "admin")  # C's owner, or a moderator
# Indicators: managed by the case's author or a moderator (forum.collaboration.indicators.can_manage_indicators:
# an agency admin of the case's agency may verify them, not edit them); verified by an agency admin of the case's
# agency (agency_admin, A) or a moderator (can_verify_indicators).
INDICATOR_VERIFIERS = ("agency_admin", "moderator", "admin")


def everyone(ok: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, ok)


def flag_thread_t(ok: int, anonymous: int) -> dict[str, int]:
    return {**anyone_signed_in(ok, anonymous), "member": 422}  # member wrote T


def flag_reply_r(ok: int, anonymous: int) -> dict[str, int]:
    return {**anyone_signed_in(ok, anonymous), "other": 422, "agency_admin": 409}  # other wrote R; aa flagged it


def outside_agency_a(ok: int, anonymous: int) -> dict[str, int]:
    """Declaring interest in replicating T: agency A owns it (422 for its own members)."""
    return {**anyone_signed_in(ok, anonymous), "member": 422, "agency_admin": 422}


def appreciate_members_writing(ok: int, anonymous: int) -> dict[str, int]:
    return {**anyone_signed_in(ok, anonymous), "member": 422}  # member wrote T and M: no appreciating oneself


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
    return {"email": f"baru-{persona}@contoh.go.id", "password": PASSWORD,
            "display_name": f"Pendaftar Baru {PERSONAS.index(persona)}",
            "agency_id": "baru", "agency_name": f"Dinas Baru {persona}", "agency_kind": "pemkab",
            "agency_province": "di-yogyakarta", "consent": "1"}  # fmt: skip


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
    variant: str = ""  # which action of a route that does several (by its body), e.g. "agree"
    query: dict[str, str] = field(default_factory=dict)  # query parameters, filled like params

    @property
    def label(self) -> str:
        def short(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in LITERAL_PARAMS:  # the step a path names: part of what the row is
                return self.params[name]
            return "{id}" if name in ID_PARAMS else "{" + name + "}"

        label = f"{self.method} {PATH_PARAM.sub(short, self.path)}"
        return f"{label} [{self.variant}]" if self.variant else label

    def url(self, world: World, persona: str) -> str:
        ids = world.ids(persona)

        def fill(match: re.Match[str]) -> str:
            value = self.params[match.group(1)]
            return str(ids.get(value, value))

        url = PATH_PARAM.sub(fill, self.path)
        if self.query:
            url += "?" + urlencode({name: str(ids.get(value, value)) for name, value in self.query.items()})
        return url


ID_PARAMS = {"thread_id", "post_id", "user_id", "target_id", "replication_id", "commitment_id", "indicator_id",
             "notification_id"}  # fmt: skip
LITERAL_PARAMS = {"step", "token", "session_id", "token_id", "move_id"}


T = {"thread_id": "T"}
P = {"thread_id": "P"}
M = {"post_id": "M"}
R = {"post_id": "R"}
NEWBIE = {"user_id": "newbie"}
C = {"commitment_id": "C"}
I = {"indicator_id": "I"}  # noqa: E741
J = {"indicator_id": "J"}
N = {"notification_id": "N"}
INTEREST, AGREED, IMPLEMENTED = (frozenset({state}) for state in REPLICATION_STATES)


def x_step(step: str) -> dict[str, str]:
    return {"replication_id": "X", "step": step}


def c_step(step: str) -> dict[str, str]:
    return {"commitment_id": "C", "step": step}


def _indicator_form(w: World, persona: str) -> dict[str, Any]:
    return _indicator_fields(f"Waktu tunggu KTP-el ({persona})")


def _indicator_json(w: World, persona: str) -> dict[str, Any]:
    return {"name": f"Waktu tunggu KTP-el ({persona})", "unit": "hari", "baseline_value": 14, "result_value": 3,
            "higher_is_better": False}  # fmt: skip


def _commitment(w: World, persona: str) -> dict[str, Any]:
    return {"what": f"Uji coba layanan antar KTP-el ({persona})", "due_on": _days_from_today(60)}


# fmt: off
PAGE_ROUTES = [
    Route("page", "POST", "/topik/baru", {}, anyone_signed_in(303, ANON_PAGE),
          lambda w, p: {**thread_form(VALID_THREAD), "title": f"Layanan KTP-el keliling ({p})"}),
    Route("page", "POST", "/topik/{thread_id:int}/ubah", T, only(AUTHOR_OR_MODERATOR, 303, ANON_PAGE),
          _edited_thread_form),
    Route("page", "POST", "/topik/{thread_id:int}/hapus", T, only(AUTHOR_OR_MODERATOR, 303, ANON_PAGE),
          lambda w, p: {}),
    Route("page", "POST", "/pratinjau", {}, anyone_signed_in(200, ANON_PAGE), lambda w, p: {"body": "Pratinjau **tebal**."}),
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
    # One's own identity. A link with a wrong token is refused alike for everyone (the token, not the session,
    # is what counts); asking for a new confirmation is for an unconfirmed account (409 when there is nothing to
    # confirm); a password change with the wrong current password is refused (422) for every signed-in account.
    Route("page", "POST", "/konfirmasi/{token:str}", {"token": "bukan-tautan-yang-berlaku"}, everyone(410),
          lambda w, p: {}),
    Route("page", "POST", "/konfirmasi/kirim-ulang", {}, {**anyone_with_an_account(409, ANON_PAGE), "unconfirmed": 303},
          lambda w, p: {}),
    Route("page", "POST", "/lupa-sandi", {}, everyone(200), lambda w, p: {"email": EMAILS["newbie"]}),
    Route("page", "POST", "/atur-ulang-sandi/{token:str}", {"token": "bukan-tautan-yang-berlaku"}, everyone(410),
          lambda w, p: {"password": "kuda-laut-menari-di-senja"}),
    Route("page", "POST", "/akun/sandi", {}, anyone_with_an_account(422, ANON_PAGE),
          lambda w, p: {"current_password": "bukan-sandinya-sama-sekali", "password": "kuda-laut-menari-di-senja"}),
    Route("page", "POST", "/akun/profil", {}, anyone_signed_in(303, ANON_PAGE),  # a public name and bio
          lambda w, p: {"display_name": f"Nama Baru {PERSONAS.index(p)}", "position": "Analis Kebijakan"}),
    Route("page", "POST", "/akun/email", {}, anyone_with_an_account(422, ANON_PAGE),
          lambda w, p: {"email": f"baru-{p}@contoh.go.id", "password": "bukan-sandinya-sama-sekali"}),
    # One's own API tokens: making one (a member may not give it the moderate scope); another's is not found.
    Route("page", "POST", "/akun/token", {}, {**anyone_with_an_account(201, ANON_PAGE)},
          lambda w, p: {"name": f"Skrip {PERSONAS.index(p)}", "scopes": ["read", "write"], "days": "30"}),
    Route("page", "POST", "/akun/token/{token_id:int}/cabut", {"token_id": "999999"},
          anyone_with_an_account(404, ANON_PAGE), lambda w, p: {}),
    # One's own sessions: another's (or none, as here) is not found; ending the others always works.
    Route("page", "POST", "/akun/sesi/{session_id:int}/akhiri", {"session_id": "999999"},
          anyone_with_an_account(404, ANON_PAGE), lambda w, p: {}),
    Route("page", "POST", "/akun/sesi/akhiri-lainnya", {}, anyone_with_an_account(303, ANON_PAGE), lambda w, p: {}),
    # Two-step sign-in: the code page without a password first has nothing to finish (410) for anyone; enrolling
    # with no enrolment started is refused (422), and for staff, already enrolled, there is nothing to enrol (409);
    # new recovery codes and turning it off need the password (wrong here: 422).
    Route("page", "POST", "/masuk/kode", {}, everyone(410), lambda w, p: {"code": "000000"}),
    # Mutasi: asking needs a destination (none here: 422); someone else's request, or none, is not found.
    Route("page", "POST", "/akun/mutasi", {}, anyone_signed_in(422, ANON_PAGE), lambda w, p: {"to_agency_id": ""}),
    Route("page", "POST", "/akun/mutasi/{move_id:int}/batal", {"move_id": "999999"}, anyone_signed_in(404, ANON_PAGE),
          lambda w, p: {}),
    Route("page", "POST", "/mutasi/{move_id:int}/putuskan", {"move_id": "999999"}, anyone_signed_in(404, ANON_PAGE),
          lambda w, p: {"decision": "setujui"}),
    # One's picture: a form without a file is refused (422); removing it always works.
    Route("page", "POST", "/akun/foto", {}, anyone_signed_in(422, ANON_PAGE), lambda w, p: {}),
    Route("page", "POST", "/akun/foto/hapus", {}, anyone_with_an_account(303, ANON_PAGE), lambda w, p: {}),
    # Erasing one's account needs the password (wrong here: 422, nothing erased).
    Route("page", "POST", "/akun/hapus", {}, anyone_with_an_account(422, ANON_PAGE),
          lambda w, p: {"password": "bukan-sandinya-sama-sekali", "confirm": "HAPUS"}),
    Route("page", "POST", "/akun/dua-langkah", {}, {**anyone_with_an_account(422, ANON_PAGE),
          **dict.fromkeys(("agency_admin", "moderator", "admin"), 409)}, lambda w, p: {"code": "000000"}),
    Route("page", "POST", "/akun/dua-langkah/kode-email", {}, {**anyone_with_an_account(303, ANON_PAGE),
          **dict.fromkeys(("agency_admin", "moderator", "admin"), 409)}, lambda w, p: {}),
    Route("page", "POST", "/akun/dua-langkah/kode-pemulihan", {}, anyone_with_an_account(422, ANON_PAGE),
          lambda w, p: {"password": "bukan-sandinya-sama-sekali", "code": "000000"}),
    Route("page", "POST", "/akun/dua-langkah/matikan", {}, anyone_with_an_account(422, ANON_PAGE),
          lambda w, p: {"password": "bukan-sandinya-sama-sekali", "code": "000000"}),
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
    Route("page", "POST", "/pengguna/{user_id:int}/tangguhkan", NEWBIE, only(ADMINS, 303, ANON_PAGE),
          lambda w, p: {"value": "1", "reason": "Akun ganda, dilaporkan instansinya."}),
    Route("page", "POST", "/pengguna/{user_id:int}/verifikasi", NEWBIE, only(VERIFIERS, 303, ANON_PAGE),
          lambda w, p: {"value": "1"}),
    Route("page", "GET", "/moderasi/pencarian-kosong", {}, only(MODERATORS, 200, ANON_PAGE)),
    # Members waiting for verification: agency admins (their own agency's) and moderators.
    Route("page", "GET", "/verifikasi-anggota", {}, only(("agency_admin", *MODERATORS), 200, ANON_PAGE)),
    # Replication (forum.replication) of T: declared by anyone outside agency A, then one step at a time.
    Route("page", "POST", "/topik/{thread_id:int}/replikasi", T, outside_agency_a(303, ANON_PAGE),
          lambda w, p: {"note": f"Rencana replikasi ({p})"}),
    Route("page", "POST", "/replikasi/{replication_id:int}/{step:str}", x_step("setujui"),
          only(SOURCE_AGENCY, 303, ANON_PAGE), lambda w, p: {}, setup=INTEREST),
    Route("page", "POST", "/replikasi/{replication_id:int}/{step:str}", x_step("terapkan"),
          only(REPLICATOR, 303, ANON_PAGE), lambda w, p: _implemented(), setup=AGREED),
    Route("page", "POST", "/replikasi/{replication_id:int}/{step:str}", x_step("hasil"),
          only(REPLICATOR, 303, ANON_PAGE), lambda w, p: {"outcome_note": "Waktu tunggu turun 60%."},
          setup=IMPLEMENTED),
    Route("page", "POST", "/replikasi/{replication_id:int}/{step:str}", x_step("batalkan"),
          anyone_signed_in(303, ANON_PAGE), lambda w, p: {"reason": f"Anggaran dialihkan ({p})."}, setup=INTEREST),
    # Follow-up commitments: anyone records one; C's owner (other) or a moderator closes it.
    Route("page", "POST", "/topik/{thread_id:int}/tindak-lanjut", T, anyone_signed_in(303, ANON_PAGE), _commitment),
    Route("page", "POST", "/tindak-lanjut/{commitment_id:int}/{step:str}", c_step("selesai"),
          only(COMMITMENT_CLOSERS, 303, ANON_PAGE), lambda w, p: {"evidence": "SOP ditetapkan, tautan di Drive."}),
    Route("page", "POST", "/tindak-lanjut/{commitment_id:int}/{step:str}", c_step("batalkan"),
          only(COMMITMENT_CLOSERS, 303, ANON_PAGE), lambda w, p: {"reason": "Digabung ke SOP provinsi."}),
    # Appreciation of member's writing; withdrawing one never given is a 409.
    Route("page", "POST", "/topik/{thread_id:int}/apresiasi", T, appreciate_members_writing(303, ANON_PAGE),
          lambda w, p: {"aksi": "beri"}, variant="aksi=beri"),
    Route("page", "POST", "/topik/{thread_id:int}/apresiasi", T, anyone_signed_in(409, ANON_PAGE),
          lambda w, p: {"aksi": "tarik"}, variant="aksi=tarik"),
    Route("page", "POST", "/balasan/{post_id:int}/apresiasi", M, appreciate_members_writing(303, ANON_PAGE),
          lambda w, p: {"aksi": "beri"}, variant="aksi=beri"),
    Route("page", "POST", "/balasan/{post_id:int}/apresiasi", M, anyone_signed_in(409, ANON_PAGE),
          lambda w, p: {"aksi": "tarik"}, variant="aksi=tarik"),
    # Impact indicators of T.
    Route("page", "POST", "/topik/{thread_id:int}/indikator", T, only(AUTHOR_OR_MODERATOR, 303, ANON_PAGE),
          _indicator_form),
    Route("page", "POST", "/indikator/{indicator_id:int}/ubah", I, only(AUTHOR_OR_MODERATOR, 303, ANON_PAGE),
          _indicator_form),
    Route("page", "POST", "/indikator/{indicator_id:int}/hapus", I, only(AUTHOR_OR_MODERATOR, 303, ANON_PAGE),
          lambda w, p: {}),
    Route("page", "POST", "/indikator/{indicator_id:int}/verifikasi", J, only(INDICATOR_VERIFIERS, 303, ANON_PAGE),
          lambda w, p: {"value": "1"}),
    # Notifications (each persona's own N), watches and e-mail preferences: one's own, so anyone signed in, confirmed or not.
    Route("page", "POST", "/notifikasi/{notification_id:int}/baca", N, anyone_with_an_account(303, ANON_PAGE),
          lambda w, p: {"next": "/notifikasi"}),
    Route("page", "GET", "/notifikasi/{notification_id:int}/buka", N, anyone_with_an_account(303, ANON_PAGE)),
    Route("page", "POST", "/notifikasi/baca-semua", {}, anyone_with_an_account(303, ANON_PAGE), lambda w, p: {}),
    Route("page", "POST", "/ikuti", {}, anyone_with_an_account(303, ANON_PAGE),
          lambda w, p: {"target_type": "thread", "target_key": str(w.thread_t), "action": "ikuti"},
          variant="ikuti topik"),
    Route("page", "POST", "/ikuti", {}, anyone_with_an_account(303, ANON_PAGE),
          lambda w, p: {"target_type": "sector", "target_key": SECTOR, "action": "ikuti"}, variant="ikuti sektor"),
    Route("page", "POST", "/ikuti", {}, anyone_with_an_account(303, ANON_PAGE),
          lambda w, p: {"target_type": "thread", "target_key": str(w.thread_t), "action": "berhenti"},
          variant="berhenti"),
    Route("page", "POST", "/ikuti/email", {}, anyone_with_an_account(303, ANON_PAGE),
          lambda w, p: {"instant": "0", "digest": "1"}),
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
    Route("api", "POST", "/api/threads/{thread_id:int}/replications", T, outside_agency_a(201, ANON_API_WRITE),
          lambda w, p: {"note": f"Rencana replikasi ({p})"}),
    Route("api", "POST", "/api/replications/{replication_id:int}/transitions", {"replication_id": "X"},
          only(SOURCE_AGENCY, 200, ANON_API_WRITE), lambda w, p: {"action": "agree"}, setup=INTEREST, variant="agree"),
    Route("api", "POST", "/api/replications/{replication_id:int}/transitions", {"replication_id": "X"},
          only(REPLICATOR, 200, ANON_API_WRITE), lambda w, p: {"action": "implement", **_implemented()},
          setup=AGREED, variant="implement"),
    Route("api", "POST", "/api/replications/{replication_id:int}/transitions", {"replication_id": "X"},
          only(REPLICATOR, 200, ANON_API_WRITE),
          lambda w, p: {"action": "report_outcome", "outcome_note": "Waktu tunggu turun 60%."},
          setup=IMPLEMENTED, variant="report_outcome"),
    Route("api", "POST", "/api/replications/{replication_id:int}/transitions", {"replication_id": "X"},
          anyone_signed_in(200, ANON_API_WRITE), lambda w, p: {"action": "cancel", "reason": f"Dialihkan ({p})."},
          setup=INTEREST, variant="cancel"),
    Route("api", "POST", "/api/threads/{thread_id:int}/commitments", T, anyone_signed_in(201, ANON_API_WRITE),
          _commitment),
    Route("api", "POST", "/api/commitments/{commitment_id:int}/complete", C,
          only(COMMITMENT_CLOSERS, 200, ANON_API_WRITE), lambda w, p: {"evidence": "SOP ditetapkan, tautan di Drive."}),
    Route("api", "POST", "/api/commitments/{commitment_id:int}/cancel", C,
          only(COMMITMENT_CLOSERS, 200, ANON_API_WRITE), lambda w, p: {"reason": "Digabung ke SOP provinsi."}),
    Route("api", "POST", "/api/threads/{thread_id:int}/appreciation", T,
          appreciate_members_writing(201, ANON_API_WRITE)),
    Route("api", "DELETE", "/api/threads/{thread_id:int}/appreciation", T, anyone_signed_in(409, ANON_API_WRITE)),
    Route("api", "POST", "/api/posts/{post_id:int}/appreciation", M, appreciate_members_writing(201, ANON_API_WRITE)),
    Route("api", "DELETE", "/api/posts/{post_id:int}/appreciation", M, anyone_signed_in(409, ANON_API_WRITE)),
    Route("api", "POST", "/api/threads/{thread_id:int}/indicators", T, only(AUTHOR_OR_MODERATOR, 201, ANON_API_WRITE),
          _indicator_json),
    Route("api", "PATCH", "/api/indicators/{indicator_id:int}", I, only(AUTHOR_OR_MODERATOR, 200, ANON_API_WRITE),
          lambda w, p: {"result_value": 2}),
    Route("api", "DELETE", "/api/indicators/{indicator_id:int}", I, only(AUTHOR_OR_MODERATOR, 204, ANON_API_WRITE)),
    Route("api", "POST", "/api/indicators/{indicator_id:int}/verification", J,
          only(INDICATOR_VERIFIERS, 200, ANON_API_WRITE), lambda w, p: {"value": True}),
    Route("api", "POST", "/api/notifications/read-all", {}, anyone_with_an_account(200, ANON_API_WRITE)),
    Route("api", "POST", "/api/notifications/{notification_id:int}/read", N, anyone_with_an_account(200, ANON_API_WRITE)),
    # 201 for a new watch, 200 for one that exists: member, T's author, follows T already.
    Route("api", "POST", "/api/watches", {}, {**anyone_with_an_account(201, ANON_API_WRITE), "member": 200},
          lambda w, p: {"target_type": "thread", "target_key": str(w.thread_t)}, variant="thread"),
    Route("api", "POST", "/api/watches", {}, anyone_with_an_account(201, ANON_API_WRITE),
          lambda w, p: {"target_type": "sector", "target_key": SECTOR}, variant="sector"),
    Route("api", "DELETE", "/api/watches", {}, anyone_with_an_account(204, ANON_API_WRITE),
          query={"target_type": "thread", "target_key": "T"}),
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
        try:
            yield application
        finally:
            await _drop_snapshots()


async def _empty_database() -> None:
    """What database.wipe() leaves (empty tables, ids from 1 again), in one transaction and without TRUNCATE:
    on PostgreSQL, truncating every table (new files for each) costs ~0.2 s a cell; deleting a world's few
    rows and resetting the id sequences does not."""
    from forum.core.db import engine, is_sqlite
    from forum.core.tables import ALL_TABLES

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
    create_app() alone costs ~0.15 s, times 540 cells. The database is still emptied after every cell, so
    each cell starts from nothing and builds its own world."""
    try:
        yield matrix_app
    finally:
        await _empty_database()


# -- the tests --------------------------------------------------------------------------------------------


async def _act(client: httpx.AsyncClient, route: Route, persona: str, world: World) -> httpx.Response:
    url = route.url(world, persona)
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
                   "forum.api", "forum.replication.", "forum.collaboration.", "forum.notifications.")  # fmt: skip
# GETs that belong in the matrix: the moderators' views, and following a notification (which marks it read).
MATRIX_GETS = {
    ("GET", "/moderasi"),
    ("GET", "/api/moderation/queue"),
    ("GET", "/moderasi/pencarian-kosong"),
    ("GET", "/notifikasi/{notification_id:int}/buka"),
    ("GET", "/verifikasi-anggota"),
}


def test_matrix_covers_every_write_route() -> None:
    """Every POST/PATCH/DELETE/PUT the covered modules serve (and the GETs above) has a row, every action of
    a route that does several has its own row, and every row is a route the app really serves."""
    from forum.app import create_app
    from forum.replication.routes import ACTIONS
    from forum.replication.service import TRANSITIONS

    served = set()
    for route in create_app().routes:
        for handler in getattr(route, "route_handlers", ()):
            if not handler.fn.__module__.startswith(COVERED_MODULES):
                continue
            for method in handler.http_methods:
                if method in {"POST", "PATCH", "PUT", "DELETE"} or (method, route.path) in MATRIX_GETS:
                    served.add((method, route.path))
    in_matrix = {(route.method, route.path) for route in ROUTES}
    assert len({(route.surface, route.label) for route in ROUTES}) == len(ROUTES), "a row is listed twice"
    assert len(in_matrix) == 102  # 60 page POSTs + 4 page GETs, 37 API writes + GET /api/moderation/queue...
    assert len(ROUTES) == 114  # ...with one row per action where a route does several
    assert served - in_matrix == set(), "write routes missing from the matrix"
    assert in_matrix - served == set(), "matrix rows for routes the app does not serve"

    def actions(path: str, key: Callable[[Route], str]) -> set[str]:
        return {key(route) for route in ROUTES if route.path == path}

    assert actions("/replikasi/{replication_id:int}/{step:str}", lambda r: r.params["step"]) == set(ACTIONS)
    assert actions("/api/replications/{replication_id:int}/transitions", lambda r: r.variant) == set(TRANSITIONS)
    assert actions("/tindak-lanjut/{commitment_id:int}/{step:str}", lambda r: r.params["step"]) == {
        "selesai", "batalkan"}  # fmt: skip
    for path in ("/topik/{thread_id:int}/apresiasi", "/balasan/{post_id:int}/apresiasi"):
        assert actions(path, lambda r: r.variant) == {"aksi=beri", "aksi=tarik"}
