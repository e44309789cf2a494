"""API tokens: made by their owner with scopes and an expiry, refused once revoked or expired, and narrowed by
their scopes on every API route (the scope matrix below walks the app's own route table)."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from litestar import Litestar

from forum.core.clock import now
from forum.core.hashing import fingerprint
from forum.core.tables import ApiToken
from tests.support.factories import login, make_user, post_form

SCOPE_REFUSAL = "tidak mencakup izin"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _new_token(client: httpx.AsyncClient, **fields: object) -> str:
    page = await post_form(client, "/akun/token", fields)
    assert page.status_code == 201, page.text[:400]
    found = re.search(r'<code class="token-value">(sng_[^<]+)</code>', page.text)
    assert found
    return found.group(1)


async def test_a_member_makes_a_read_only_token_that_cannot_write(client: httpx.AsyncClient) -> None:
    user = await make_user("ani@sleman.go.id")
    await login(client, user.email)
    token = await _new_token(client, name="Laporan bulanan", scopes=["read"], days="30")
    stored = await ApiToken.select(ApiToken.token_hash, ApiToken.scopes, ApiToken.expires_at, ApiToken.created_at).first()
    assert stored["token_hash"] == fingerprint(token) and token not in str(stored)
    assert stored["scopes"] == "read" and stored["expires_at"] - stored["created_at"] == timedelta(days=30)
    api = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")  # no cookies: the token alone
    me = await api.get("/api/me", headers=bearer(token))
    assert me.status_code == 200 and me.json()["email"] == user.email
    refused = await api.post("/api/threads", json={"title": "x"}, headers=bearer(token))
    assert refused.status_code == 403 and SCOPE_REFUSAL in refused.json()["detail"]
    listed = (await client.get("/akun/token")).text
    assert "Laporan bulanan" in listed and "belum pernah" not in listed  # its last use is shown


async def test_revoked_and_expired_tokens_are_refused(client: httpx.AsyncClient) -> None:
    user = await make_user("ani@sleman.go.id")
    await login(client, user.email)
    first = await _new_token(client, name="Skrip A", scopes=["read", "write"])
    second = await _new_token(client, name="Skrip B", scopes=["read"])
    api = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    assert (await api.get("/api/me", headers=bearer(first))).status_code == 200
    row = await ApiToken.select(ApiToken.id).where(ApiToken.name == "Skrip A").first()
    assert (await post_form(client, f"/akun/token/{row['id']}/cabut", {})).status_code == 303
    assert (await api.get("/api/me", headers=bearer(first))).status_code == 401
    await ApiToken.update({ApiToken.expires_at: now() - timedelta(seconds=1)}).where(ApiToken.name == "Skrip B")
    assert (await api.get("/api/me", headers=bearer(second))).status_code == 401
    assert "kedaluwarsa" in (await client.get("/akun/token")).text


async def test_a_member_cannot_give_a_token_more_than_their_account(client: httpx.AsyncClient) -> None:
    user = await make_user("ani@sleman.go.id")
    await login(client, user.email)
    for fields in ({"name": "X", "scopes": ["read", "moderate"]}, {"name": "Y", "scopes": []},
                   {"name": "Z", "scopes": ["read"], "days": "400"}, {"name": "Z", "scopes": ["read"], "days": "x"}):  # fmt: skip
        assert (await post_form(client, "/akun/token", fields)).status_code == 422, fields
    assert await ApiToken.count() == 0
    other = await make_user("budi@bantul.go.id", agency="Dinkes Kabupaten Bantul")
    await login(client, other.email)
    row = await ApiToken.insert(ApiToken(user=user.id, token_hash="x" * 64, name="milik Ani", scopes="read",
                                         created_at=now(), expires_at=now() + timedelta(days=1))).returning(ApiToken.id)  # fmt: skip
    assert (await post_form(client, f"/akun/token/{row[0]['id']}/cabut", {})).status_code == 404
    assert await ApiToken.count() == 1


def _api_routes(app: Litestar) -> list[tuple[str, str, str]]:
    """Every (method, path, scope it needs) the API serves, from the app's route table."""
    found = []
    for route in app.routes:
        if not route.path.startswith("/api/"):
            continue
        for handler in getattr(route, "route_handlers", ()):
            for method in handler.http_methods:
                if method in {"OPTIONS", "HEAD"}:
                    continue
                needed = handler.opt.get("token_scope") or ("read" if method == "GET" else "write")
                found.append((method, route.path, needed))
    return sorted(set(found))


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: "thread" if m.group(1) == "target_type" else "1", path)


async def test_scopes_narrow_every_api_route(app: Litestar, client: httpx.AsyncClient) -> None:
    """An admin's tokens with fewer scopes: each route refuses exactly those without the scope it needs, and a
    token with all three is never refused for its scope (what the route then answers is the policy's business)."""
    from forum.accounts.api_tokens import _insert

    admin = await make_user("admin@menpan.go.id", role="admin", agency="Kementerian PANRB")
    tokens = {scopes: await _insert(admin.id, scopes, tuple(scopes.split()), 1)
              for scopes in ("read", "read write", "read moderate", "read write moderate")}  # fmt: skip
    routes = _api_routes(app)
    assert len(routes) > 40 and {scope for _, _, scope in routes} == {"read", "write", "moderate"}
    wrong = []
    for method, path, needed in routes:
        for scopes, token in tokens.items():
            response = await client.request(method, _url(path), json={}, headers=bearer(token))
            refused_for_scope = response.status_code == 403 and SCOPE_REFUSAL in response.text
            if refused_for_scope != (needed not in scopes.split()):
                wrong.append(f"{method} {path} with [{scopes}]: {response.status_code} {response.text[:120]}")
    assert not wrong, "\n".join(wrong)
