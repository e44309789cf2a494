"""Finding 1: public registration must not set a role (or any other privileged field)."""

from __future__ import annotations

import httpx
import pytest

from forum.accounts.service import AccountCreation, Registration, create_account, register_user
from forum.core.tables import Agency, User
from tests.accounts.test_accounts import REGISTRATION
from tests.support.factories import post_form

pytestmark = pytest.mark.anyio  # at collection time, so parametrized async tests get their parameters

PRIVILEGED = {
    "role": "admin",
    "is_agency_admin": "1",
    "verified_at": "2020-01-01T00:00:00Z",
    "is_active": "0",
    "id": "9999",
    "password_hash": "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA",
    "created_at": "2000-01-01T00:00:00Z",
    "trust_level": "9",
}


@pytest.mark.parametrize("field", sorted(PRIVILEGED))
async def test_registration_ignores_a_privileged_field(client: httpx.AsyncClient, field: str) -> None:
    response = await post_form(client, "/daftar", {**REGISTRATION, field: PRIVILEGED[field]})
    assert response.status_code == 303
    user = await User.select().first()
    assert user["role"] == "member"
    assert user["is_agency_admin"] is False
    assert user["verified_at"] is None
    assert user["is_active"] is True
    assert user["id"] != 9999
    assert user["password_hash"] != PRIVILEGED["password_hash"]
    assert user["created_at"].year > 2000


async def test_self_registered_admin_cannot_grant_roles(client: httpx.AsyncClient) -> None:
    """The audit's chain: register with role=admin, then promote through the API. Both must fail."""
    await post_form(client, "/daftar", {**REGISTRATION, "role": "admin"})
    row = await User.select(User.id).first()
    response = await client.post(
        f"/api/users/{row['id']}/role",
        json={"role": "admin"},
        headers={"x-csrftoken": client.cookies.get("csrftoken", "")},
    )
    assert response.status_code in {401, 403}
    assert (await User.select(User.role).first())["role"] == "member"


async def test_registration_input_has_no_role() -> None:
    """The type itself has nowhere to put a role: picking from a dict that carries one drops it."""
    picked = Registration.pick({**REGISTRATION, "role": "admin"})
    assert not hasattr(picked, "role")
    user = await register_user(Registration.pick({**REGISTRATION, "role": "admin", "email": "x@y.go.id"}))
    assert user.role == "member"
    assert await Agency.count() == 1


async def test_operator_account_creation_sets_the_role(app: object) -> None:
    """The CLI's `create-user` goes through its own input type, the only one with a role."""
    user = await create_account(AccountCreation.pick({**REGISTRATION, "role": "admin"}))
    assert user.role == "admin"
