"""One's own sessions (listed with their device, ended one by one or all but this one) and an admin's
suspension, which ends the account's sessions and refuses its tokens from the very next request."""

from __future__ import annotations

import httpx

from forum.accounts.sessions import describe_device
from forum.core.tables import ModerationLog, UserSession
from tests.support.factories import PASSWORD, login, make_user, post_form, token_for

PHONE = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
SIGNED_IN = 'action="/keluar"'


async def test_the_account_page_lists_sessions_and_ends_the_others(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await make_user("ani@sleman.go.id")
    await login(client, "ani@sleman.go.id")
    other_client.headers["user-agent"] = PHONE
    await login(other_client, "ani@sleman.go.id")
    page = await client.get("/akun")
    assert page.status_code == 200
    assert "Chrome di Android" in page.text and "sesi ini" in page.text
    assert (await post_form(client, "/akun/sesi/akhiri-lainnya", {})).status_code == 303
    assert SIGNED_IN in (await client.get("/")).text
    assert SIGNED_IN not in (await other_client.get("/")).text
    assert await UserSession.count() == 1


async def test_one_session_ends_and_another_persons_is_not_found(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await make_user("ani@sleman.go.id")
    await make_user("budi@bantul.go.id", agency="Dinkes Kabupaten Bantul")
    await login(client, "ani@sleman.go.id")
    await login(other_client, "budi@bantul.go.id")
    budis = await UserSession.select(UserSession.id).where(UserSession.user != 1).first()
    refused = await post_form(client, f"/akun/sesi/{budis['id']}/akhiri", {})
    assert refused.status_code == 404
    assert SIGNED_IN in (await other_client.get("/")).text
    mine = await UserSession.select(UserSession.id).where(UserSession.user == 1).first()
    ended = await post_form(client, f"/akun/sesi/{mine['id']}/akhiri", {})
    assert ended.status_code == 303 and ended.headers["location"] == "/"
    assert SIGNED_IN not in (await client.get("/")).text


async def test_suspension_ends_sessions_and_tokens_at_the_next_request(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    admin = await make_user("admin@menpan.go.id", role="admin", agency="Kementerian PANRB")
    member = await make_user("ani@sleman.go.id", name="Ani Wulandari")
    token = await token_for(member)
    bearer = {"Authorization": f"Bearer {token}"}
    await login(other_client, "ani@sleman.go.id")
    assert (await other_client.get("/api/notifications", headers=bearer)).status_code == 200
    await login(client, admin.email)

    no_reason = await post_form(client, f"/pengguna/{member.id}/tangguhkan", {"value": "1", "reason": ""})
    assert no_reason.status_code == 422
    for unclear in ("yes", "2", "", " 1"):
        assert (await post_form(client, f"/pengguna/{member.id}/tangguhkan", {"value": unclear, "reason": "X."})).status_code == 422
    done = await post_form(client, f"/pengguna/{member.id}/tangguhkan", {"value": "1", "reason": "Akun ganda."})
    assert done.status_code == 303
    assert SIGNED_IN not in (await other_client.get("/")).text
    assert (await other_client.get("/api/notifications", headers=bearer)).status_code == 401
    assert (await post_form(other_client, "/masuk", {"email": "ani@sleman.go.id", "password": PASSWORD})).status_code == 422
    assert (await other_client.get(f"/pengguna/{member.id}")).status_code == 404  # gone from public view
    profile = await client.get(f"/pengguna/{member.id}")
    assert profile.status_code == 200 and "Ditangguhkan" in profile.text and "Pulihkan akun" in profile.text
    logged = await ModerationLog.select(ModerationLog.action, ModerationLog.reason).first()
    assert logged == {"action": "suspend_user", "reason": "Akun ganda."}

    await post_form(client, f"/pengguna/{member.id}/tangguhkan", {"value": "0", "reason": "Sudah diklarifikasi."})
    assert (await other_client.get("/api/notifications", headers=bearer)).status_code == 200  # the token again
    await login(other_client, "ani@sleman.go.id")  # and a fresh sign-in


async def test_an_admin_cannot_suspend_themselves(client: httpx.AsyncClient) -> None:
    admin = await make_user("admin@menpan.go.id", role="admin", agency="Kementerian PANRB")
    await login(client, admin.email)
    refused = await post_form(client, f"/pengguna/{admin.id}/tangguhkan", {"value": "1", "reason": "Uji."})
    assert refused.status_code == 403


def test_devices_are_told_apart() -> None:
    assert describe_device(PHONE) == "Chrome di Android"
    iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1"
    assert describe_device(iphone) == "Safari di iPhone"
    edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0"
    assert describe_device(edge) == "Edge di Windows"
    assert describe_device("") == "Perangkat tidak dikenal"
