"""Accounts: registration, login, API tokens, and the user a request acts as."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from forum.accounts.confirmation import send_confirmation
from forum.accounts.names import display_name_problem
from forum.accounts.nip import nip_problem
from forum.accounts.passwords import hash_password, password_problem, verify_against_dummy, verify_password
from forum.accounts.privacy import PRIVACY_NOTICE_VERSION
from forum.accounts.sessions import touch_session
from forum.agencies.service import AgencyInput, find_or_insert_agency, validate_agency
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import InvalidInput, NotFound, TooManyRequests
from forum.core.hashing import fingerprint
from forum.core.identity import CurrentUser
from forum.core.inputs import Input
from forum.core.prepared import prepared
from forum.core.ratelimit import clear_hits, give_back, take_hit
from forum.core.settings import get_settings
from forum.core.tables import Agency, User, UserSession
from forum.core.taxonomy import ROLE_BY_SLUG
from forum.core.validation import clean_text, require_text

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


_USER_FIELDS = (
    User.id,
    User.email,
    User.display_name,
    User.role,
    User.agency.id.as_alias("agency_id"),
    User.agency.name.as_alias("agency_name"),
    User.agency.slug.as_alias("agency_slug"),
    User.is_agency_admin,
    User.verified_at,
    User.email_confirmed_at,
    User.totp_enabled_at,
)


def _to_current_user(row: dict[str, Any], operator: bool = False) -> CurrentUser:
    verified_at, confirmed_at = row.pop("verified_at"), row.pop("email_confirmed_at")
    two_factor = row.pop("totp_enabled_at") is not None
    held = ""
    if not two_factor and not operator and (row["role"] != "member" or row["is_agency_admin"]):
        # Staff without two-step sign-in act as plain members until they enrol (forum.accounts.two_factor).
        held = row["role"] if row["role"] != "member" else "agency_admin"
        row.update(role="member", is_agency_admin=False)
    return CurrentUser(**row, is_verified=verified_at is not None, email_confirmed=confirmed_at is not None,
                       two_factor=two_factor, held_powers=held)  # fmt: skip


def normalise_email(email: object) -> str:
    return clean_text(email).lower()


@prepared(1, first=True)
def _active_user(user_id: Any) -> Any:
    return User.select(*_USER_FIELDS).where((User.id == user_id) & (User.is_active == True)).limit(1)  # noqa: E712


@prepared(2, first=True)
def _session_and_user(key_hash: Any, user_id: Any) -> Any:
    owner = UserSession.user
    return UserSession.select(
        UserSession.id.as_alias("session_id"),
        UserSession.last_seen_at,
        owner.id.as_alias("id"),
        owner.email.as_alias("email"),
        owner.display_name.as_alias("display_name"),
        owner.role.as_alias("role"),
        owner.agency.id.as_alias("agency_id"),
        owner.agency.name.as_alias("agency_name"),
        owner.agency.slug.as_alias("agency_slug"),
        owner.is_agency_admin.as_alias("is_agency_admin"),
        owner.verified_at.as_alias("verified_at"),
        owner.email_confirmed_at.as_alias("email_confirmed_at"),
        owner.totp_enabled_at.as_alias("totp_enabled_at"),
    ).where((UserSession.key_hash == key_hash) & (UserSession.user == user_id) & (owner.is_active == True)).limit(1)  # noqa: E712


async def session_user(user_id: object, key: object) -> CurrentUser | None:
    """The person a browser's session signs in, while its session row lives and the account is active: one query
    for both (every signed-in request makes it). The row's last-seen time is touched now and then."""
    if not isinstance(user_id, int) or not isinstance(key, str) or len(key) > 100:
        return None
    row = await _session_and_user(fingerprint(key), user_id)
    if row is None:
        return None
    await touch_session(row.pop("session_id"), row.pop("last_seen_at"))
    return _to_current_user(row)


async def load_current_user(user_id: int, *, operator: bool = False) -> CurrentUser | None:
    """The active account as a request acts for it. ``operator``: the server's own commands (CLI, demo data) act
    with the account's stored powers; whoever runs commands on the server needs no second sign-in step."""
    row = await _active_user(user_id)
    return _to_current_user(row, operator) if row else None


@dataclass(frozen=True, slots=True)
class Registration(Input):
    """What the public registration form may set. No role, no verification, no agency-admin flag: a new account
    is a plain member; only an administrator (or the CLI) grants more."""

    email: object = None
    display_name: object = None
    password: object = None
    nip: object = None
    agency_id: object = None  # an existing agency, or empty/"baru" for a new one named below
    agency_name: object = None
    agency_kind: object = None
    agency_province: object = None
    consent: object = None  # the privacy notice's box, ticked


@dataclass(frozen=True, slots=True)
class AccountCreation(Registration):
    """What the operator's `sinergi create-user` may set: a registration plus the global role."""

    role: object = "member"


def _validate_registration(data: Registration) -> dict[str, Any]:
    errors: dict[str, str] = {}
    email = normalise_email(data.email)
    if not EMAIL_RE.match(email) or len(email) > 254:
        errors["email"] = "Alamat email tidak valid."
    display_name = require_text(errors, "display_name", data.display_name, "Nama tampilan", max_len=120, min_len=2)
    password = data.password if isinstance(data.password, str) else ""
    problem = password_problem(password, email=email, display_name=display_name)
    if problem:
        errors["password"] = problem
    nip = clean_text(data.nip).replace(" ", "")
    if nip and (problem := nip_problem(nip)):
        errors["nip"] = problem
    if errors:
        raise InvalidInput(errors)
    return {"email": email, "display_name": display_name, "password": password, "nip": nip or None}


async def register_user(data: Registration) -> CurrentUser:
    """Create a member's account in an existing agency (``agency_id``) or a new one (``agency_name``, kind,
    province). Everything is validated before anything is written; the agency, the user and the mail with the
    confirmation link are created together. Until the link is used the account reads but does not write."""
    if data.consent not in ("1", "on", True):
        errors = {"consent": "Setujui pemberitahuan privasi untuk mendaftar."}
        try:
            _validate_registration(data)
        except InvalidInput as exc:
            errors = {**exc.errors, **errors}
        raise InvalidInput(errors)
    return await _create_account(data, role="member", confirmed=False)


async def create_account(data: AccountCreation) -> CurrentUser:
    """The operator's account creation (CLI): like a registration, with the role it names; the operator vouches
    for the address, so it needs no confirmation."""
    role = clean_text(data.role) or "member"
    if role not in ROLE_BY_SLUG:
        raise InvalidInput({"role": "Peran tidak dikenal."})
    return await _create_account(data, role=role, confirmed=True)


def _new_agency(data: Registration) -> tuple[str, str, str] | None:
    if data.agency_id not in (None, "", "baru"):
        return None
    try:
        return validate_agency(AgencyInput(name=data.agency_name, kind=data.agency_kind, province=data.agency_province))
    except InvalidInput as exc:
        raise InvalidInput({f"agency_{key}": message for key, message in exc.errors.items()}) from None


async def _create_account(data: Registration, *, role: str, confirmed: bool) -> CurrentUser:
    fields = _validate_registration(data)
    if not confirmed:  # a public registration (the operator names staff accounts as they like)
        problem = await display_name_problem(fields["display_name"])
        if problem:
            raise InvalidInput({"display_name": problem})
    new_agency = _new_agency(data)
    password_hash = await hash_password(fields.pop("password"))
    async with write_transaction():
        if await User.exists().where(User.email == fields["email"]):
            raise InvalidInput({"email": "Email ini sudah terdaftar. Silakan masuk."})
        if new_agency:
            agency = await find_or_insert_agency(*new_agency)
            agency_id = agency["id"]
        else:
            agency_id = _agency_id(data.agency_id)
            if not await Agency.exists().where(Agency.id == agency_id):
                raise InvalidInput({"agency_id": "Instansi tidak dikenal."})
        consent = {} if confirmed else {"consent_version": PRIVACY_NOTICE_VERSION, "consented_at": now()}
        user = User(password_hash=password_hash, agency=agency_id, role=role,
                    email_confirmed_at=now() if confirmed else None, **consent, **fields)  # fmt: skip
        await user.save()
        if not confirmed:
            await send_confirmation(user.id, fields["display_name"], fields["email"])
    current = await load_current_user(user.id, operator=True)  # the CLI prints the role it gave
    assert current is not None
    return current


def _agency_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidInput({"agency_id": "Instansi tidak dikenal."})
    try:
        return int(value)
    except ValueError:
        raise InvalidInput({"agency_id": "Instansi tidak dikenal."}) from None


LOGIN_FAILED = "Email atau kata sandi salah."
_TOO_MANY_LOGINS = "Terlalu banyak percobaan masuk. Coba lagi dalam {minutes} menit."


async def authenticate(email: object, password: object, client_ip: str) -> CurrentUser:
    """Check a login. Attempts are counted per IP and per account before the password is checked (so a burst of
    concurrent guesses gets no more tries than the limit); past the limit it answers 429. A successful login gives
    its attempts back."""
    settings = get_settings()
    window = settings.login_window_seconds
    address = normalise_email(email)
    ip_hit = await take_hit("login-ip", client_ip, settings.login_max_per_ip, window, _TOO_MANY_LOGINS)
    try:
        await take_hit("login-account", address, settings.login_max_per_account, window, _TOO_MANY_LOGINS)
    except TooManyRequests:
        await give_back(ip_hit)  # refused before any password was tried
        raise
    password = password if isinstance(password, str) else ""
    row = await User.select(User.id, User.password_hash).where(
        (User.email == address) & (User.is_active == True)  # noqa: E712
    ).first()
    if row is None:
        await verify_against_dummy(password)
        ok = False
    else:
        ok = await verify_password(row["password_hash"], password)
    if not ok:
        raise InvalidInput({"email": LOGIN_FAILED}, detail=LOGIN_FAILED)
    await clear_hits("login-account", address)
    await give_back(ip_hit)
    current = await load_current_user(row["id"])
    assert current is not None
    return current


async def user_id_by_email(email: object) -> int:
    row = await User.select(User.id).where(User.email == normalise_email(email)).first()
    if row is None:
        raise NotFound(f"Pengguna dengan email {str(email)[:200]} tidak ditemukan.")
    return row["id"]


async def get_profile(user_id: int, *, include_suspended: bool = False) -> dict[str, Any]:
    """A member's public profile; a suspended account's only for those who may reinstate it."""
    query = User.id == user_id
    if not include_suspended:  # an erased account still shows, as "Mantan anggota", with nothing about them
        query &= (User.is_active == True) | (User.erased_at.is_not_null())  # noqa: E712
    row = await User.select(
        User.id,
        User.is_active,
        User.erased_at,
        User.position,
        User.bio,
        User.display_name,
        User.role,
        User.created_at,
        User.agency,
        User.is_agency_admin,
        User.verified_at,
        User.agency.name.as_alias("agency_name"),
        User.agency.slug.as_alias("agency_slug"),
    ).where(query).first()
    if row is None:
        raise NotFound("Pengguna tidak ditemukan.")
    return row
