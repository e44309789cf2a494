"""Single sign-on with an OpenID Connect provider (a ministry's or a province's identity service), configured from
the environment (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET; forum.core.settings).

The authorization code flow with PKCE, through authlib's client. The ID token is checked here: its signature
against the provider's published keys, its issuer, audience, expiry and the nonce this browser was given.
It links to an existing account, never creates one (an account needs an agency, and the NIP or the address is
what an agency admin checks): first by the NIP claim, then by the address when the provider says it verified it.
Signing in this way still asks for the two-step code of an enrolled account.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from forum.accounts.nip import nip_problem
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import InvalidInput
from forum.core.inputs import Input
from forum.core.settings import get_settings
from forum.core.tables import User

SCOPES = "openid email profile"
TIMEOUT_SECONDS = 5.0
METADATA_SECONDS = 600  # discovery and keys are fetched again after this (a provider rotates its keys)
PENDING_SECONDS = 600  # a sign-in started longer ago than this is refused on return
ALGORITHMS = ("RS256", "ES256", "PS256")

FAILED = "Masuk lewat SSO gagal. Coba lagi, atau masuk dengan email dan kata sandi."
NO_ACCOUNT = ("Belum ada akun Sinergi untuk identitas ini (NIP atau email terverifikasi dari SSO tidak cocok dengan "
              "akun mana pun). Daftar dulu dengan email dinas Anda, lalu masuk lewat SSO.")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    label: str
    nip_claim: str


def configured_provider() -> Provider | None:
    settings = get_settings()
    if not (settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret):
        return None
    return Provider(settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret, settings.oidc_label,
                    settings.oidc_nip_claim)  # fmt: skip


def button_label() -> str | None:
    """The login page's "Masuk dengan …" button, when single sign-on is set up."""
    provider = configured_provider()
    return provider.label if provider else None


def redirect_uri() -> str:
    return f"{get_settings().base_url}/masuk/sso/kembali"


_metadata: dict[str, tuple[float, dict[str, Any], KeySet]] = {}


async def _discover(issuer: str) -> tuple[dict[str, Any], KeySet]:
    cached = _metadata.get(issuer)
    if cached and time.monotonic() - cached[0] < METADATA_SECONDS:
        return cached[1], cached[2]
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as http:
            metadata = (await http.get(f"{issuer}/.well-known/openid-configuration")).raise_for_status().json()
            keys = KeySet.import_key_set((await http.get(metadata["jwks_uri"])).raise_for_status().json())
    except (httpx.HTTPError, KeyError, ValueError, JoseError) as exc:
        raise InvalidInput({"sso": "Layanan SSO tidak dapat dihubungi saat ini. " + FAILED}) from exc
    if metadata.get("issuer") != issuer:
        raise InvalidInput({"sso": FAILED})
    _metadata[issuer] = (time.monotonic(), metadata, keys)
    return metadata, keys


def _client(provider: Provider) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(client_id=provider.client_id, client_secret=provider.client_secret, scope=SCOPES,
                             redirect_uri=redirect_uri(), code_challenge_method="S256", timeout=TIMEOUT_SECONDS)  # fmt: skip


async def begin(provider: Provider, next_path: str) -> tuple[str, dict[str, Any]]:
    """Where to send the browser, and what its session keeps until it comes back."""
    metadata, _ = await _discover(provider.issuer)
    state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    async with _client(provider) as client:
        url, _ = client.create_authorization_url(metadata["authorization_endpoint"], state=state, nonce=nonce,
                                                 code_verifier=verifier)  # fmt: skip
    return url, {"state": state, "nonce": nonce, "verifier": verifier, "next": next_path, "at": time.time()}


@dataclass(frozen=True, slots=True)
class ProviderAnswer(Input):
    """What the provider's redirect back carries (its query string), and nothing else."""

    state: object = None
    code: object = None
    error: object = None


async def complete(provider: Provider, pending: object, answer: ProviderAnswer) -> dict[str, Any]:
    """The provider sent the browser back: the checked ID token's claims."""
    state, code = str(answer.state or "")[:200], str(answer.code or "")[:2000]
    if (not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS
            or not secrets.compare_digest(state, str(pending.get("state", "")))):  # fmt: skip
        raise InvalidInput({"sso": "Permintaan masuk SSO ini kedaluwarsa atau bukan dari peramban ini. " + FAILED})
    if answer.error or not code:
        raise InvalidInput({"sso": "Masuk lewat SSO dibatalkan."})
    metadata, keys = await _discover(provider.issuer)
    try:
        async with _client(provider) as client:
            token = await client.fetch_token(metadata["token_endpoint"], code=code,
                                             code_verifier=pending["verifier"])  # fmt: skip
        decoded = jwt.decode(str(token["id_token"]), keys, algorithms=list(ALGORITHMS))
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": provider.issuer}, aud={"essential": True, "value": provider.client_id},
            exp={"essential": True}, nonce={"essential": True, "value": pending["nonce"]}, sub={"essential": True},
        ).validate(decoded.claims)  # fmt: skip
    except (httpx.HTTPError, KeyError, ValueError, JoseError, AuthlibBaseError) as exc:  # a refused code, a bad token
        raise InvalidInput({"sso": FAILED}) from exc
    return dict(decoded.claims)


async def account_for(provider: Provider, claims: dict[str, Any]) -> int:
    """The active account these claims name: by an address the provider verified, else by NIP. A NIP is typed by
    the member, so it links only an account whose agency verified them, and only when no other account has it."""
    email = str(claims.get("email") or "").strip().lower()
    if email and claims.get("email_verified") is True:
        async with write_transaction():
            row = await User.select(User.id, User.email_confirmed_at).where(
                (User.email == email) & (User.is_active == True)  # noqa: E712
            ).first()
            if row:
                if row["email_confirmed_at"] is None:  # the provider confirmed the address, as our link would
                    await User.update({User.email_confirmed_at: now()}).where(User.id == row["id"])
                return row["id"]
    nip = str(claims.get(provider.nip_claim) or "").replace(" ", "")
    if nip and not nip_problem(nip):
        rows = await User.select(User.id, User.verified_at).where((User.nip == nip) & (User.is_active == True))  # noqa: E712
        if len(rows) == 1 and rows[0]["verified_at"] is not None:
            return rows[0]["id"]
    raise InvalidInput({"sso": NO_ACCOUNT})
