"""Fixes from a black-box review of moderation: the public modlog never publishes a hidden reply's text nor the
title of a thread the public cannot see, /topik/<id> does not reveal hidden or pending titles, and merges
cannot make cycles or land in threads nobody can read."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest

from forum.core.clock import now
from forum.core.errors import InvalidInput
from forum.core.tables import ModerationLog, Post, Thread
from forum.posting.service import ReplyInput, add_reply
from forum.web.flood import NO_LIMITS
from tests.support.factories import login, make_thread, make_user, token_for

SECRET_REPLY = "NIK saya 3404012345678901, hubungi 0812-3456-7890 (Bu Sari)"
HIDDEN_TITLE = "Topik rahasia yang disembunyikan moderator"
PENDING_TITLE = "Topik anggota baru yang menunggu tinjauan"
PUBLIC_TITLE = "Topik terbit yang boleh dibaca semua orang"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def anonymous(app: object) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.3", 50002))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def _moderate(client: httpx.AsyncClient, headers: dict[str, str], kind: str, object_id: int,
                    **data: Any) -> httpx.Response:  # fmt: skip
    path = f"/api/threads/{object_id}/moderation" if kind == "thread" else f"/api/posts/{object_id}/moderation"
    return await client.post(path, json=data, headers=headers)


# 1. The moderation log: no reply text, no titles of unpublished threads for the public.


async def test_hiding_a_reply_never_publishes_its_text_in_the_modlog(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    mod = bearer(await token_for(moderator))
    thread = await make_thread(author)
    reply = await add_reply(author, thread["id"], ReplyInput(body=SECRET_REPLY), limits=NO_LIMITS)
    hidden = await _moderate(client, mod, "post", reply["id"], action="hide", reason="Data pribadi")
    assert hidden.status_code == 200, hidden.text

    # Not stored, and not returned by the API or shown on the page, to anyone.
    stored = await ModerationLog.select(ModerationLog.target_label).where(ModerationLog.target_type == "post")
    assert [row["target_label"] for row in stored] == [f"balasan #{reply['id']}"]
    for headers in ({}, mod):
        api = await anonymous.get("/api/modlog", headers=headers)
        assert api.status_code == 200
        assert "3404012345678901" not in api.text
        item = api.json()["items"][0]
        assert (item["action"], item["target_label"], item["reason"]) == (
            "hide_post", f"balasan #{reply['id']}", "Data pribadi")  # fmt: skip
    assert "3404012345678901" not in (await anonymous.get("/modlog")).text


async def test_reply_text_already_stored_in_the_log_is_not_returned(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    """Rows written before the fix hold the reply's first 120 characters; the read path derives the label."""
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    thread = await make_thread(author)
    reply = await add_reply(author, thread["id"], ReplyInput(body=SECRET_REPLY), limits=NO_LIMITS)
    await ModerationLog.insert(
        ModerationLog(actor=moderator.id, action="hide_post", target_type="post", target_id=reply["id"],
                      target_label=SECRET_REPLY[:120], reason="Data pribadi", created_at=now())  # fmt: skip
    )
    for headers in ({}, bearer(await token_for(moderator))):
        api = await anonymous.get("/api/modlog", headers=headers)
        assert "3404012345678901" not in api.text
        assert api.json()["items"][0]["target_label"] == f"balasan #{reply['id']}"


async def test_titles_of_hidden_or_pending_threads_only_for_moderators(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    mod = bearer(await token_for(moderator))
    public = await make_thread(author, title=PUBLIC_TITLE)
    hidden = await make_thread(author, title=HIDDEN_TITLE)
    pending = await make_thread(author, title=PENDING_TITLE)
    await Thread.update({Thread.status: "pending"}).where(Thread.id == pending["id"])
    assert (await _moderate(client, mod, "thread", public["id"], action="pin")).status_code == 200
    assert (await _moderate(client, mod, "thread", hidden["id"], action="hide", reason="Melanggar")).status_code == 200
    assert (await _moderate(client, mod, "thread", pending["id"], action="pin")).status_code == 200

    labels = {item["target_id"]: item["target_label"] for item in (await anonymous.get("/api/modlog")).json()["items"]}
    assert labels == {public["id"]: PUBLIC_TITLE, hidden["id"]: f"topik #{hidden['id']}",
                      pending["id"]: f"topik #{pending['id']}"}  # fmt: skip
    page = (await anonymous.get("/modlog")).text
    assert PUBLIC_TITLE in page and f"topik #{hidden['id']}" in page and f"topik #{pending['id']}" in page
    assert HIDDEN_TITLE not in page and PENDING_TITLE not in page
    # Not even their author sees them here (the rule is "moderators only").
    as_author = (await anonymous.get("/api/modlog", headers=bearer(await token_for(author)))).text
    assert HIDDEN_TITLE not in as_author and PENDING_TITLE not in as_author

    labels = {item["target_id"]: item["target_label"]
              for item in (await anonymous.get("/api/modlog", headers=mod)).json()["items"]}  # fmt: skip
    assert labels == {public["id"]: PUBLIC_TITLE, hidden["id"]: HIDDEN_TITLE, pending["id"]: PENDING_TITLE}
    await login(client, "mod@x.go.id")
    page = (await client.get("/modlog")).text
    assert HIDDEN_TITLE in page and PENDING_TITLE in page

    # Restored, the title is public again.
    assert (await _moderate(client, mod, "thread", hidden["id"], action="restore")).status_code == 200
    assert HIDDEN_TITLE in (await anonymous.get("/api/modlog")).text


# 2. /topik/<id> and merged threads do not reveal what the viewer may not see.


async def test_short_address_of_hidden_or_pending_thread_is_not_found(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    author = await make_user("ani@x.go.id")
    await make_user("budi@y.go.id", agency="Dinas Kominfo Kota Surabaya")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    mod = bearer(await token_for(moderator))
    public = await make_thread(author, title=PUBLIC_TITLE)
    hidden = await make_thread(author, title=HIDDEN_TITLE)
    pending = await make_thread(author, title=PENDING_TITLE)
    await Thread.update({Thread.status: "pending"}).where(Thread.id == pending["id"])
    assert (await _moderate(client, mod, "thread", hidden["id"], action="hide", reason="Melanggar")).status_code == 200

    found = await anonymous.get(f"/topik/{public['id']}")
    assert found.status_code == 301 and found.headers["location"] == public["url"]
    await login(client, "budi@y.go.id")  # another member: no better than anonymous
    for viewer in (anonymous, client):
        for thread in (hidden, pending):
            response = await viewer.get(f"/topik/{thread['id']}")
            assert response.status_code == 404, response.headers
            assert "location" not in response.headers and thread["slug"] not in response.text
            assert "Topik tidak ditemukan." in response.text
    # Their author and moderators still get the canonical address.
    for headers in (bearer(await token_for(author)), mod):
        for thread in (hidden, pending):
            response = await anonymous.get(f"/topik/{thread['id']}", headers=headers)
            assert response.status_code == 301 and response.headers["location"] == thread["url"]


async def test_a_merged_thread_leads_only_to_a_target_the_viewer_may_see(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    mod = bearer(await token_for(moderator))
    target = await make_thread(author, title=HIDDEN_TITLE)
    duplicate = await make_thread(author, title="Topik duplikat")
    merged = await _moderate(client, mod, "thread", duplicate["id"], action="merge", target_id=target["id"])
    assert merged.status_code == 200, merged.text
    # While the target is public, both addresses of the duplicate lead to it.
    for path in (duplicate["url"], f"/topik/{duplicate['id']}"):
        response = await anonymous.get(path, follow_redirects=True)
        assert response.status_code == 200 and response.url.path == target["url"], path
    # Once the target is hidden, the duplicate leads nowhere (its address must not reveal the target's title).
    assert (await _moderate(client, mod, "thread", target["id"], action="hide", reason="Melanggar")).status_code == 200
    for path in (duplicate["url"], f"/topik/{duplicate['id']}"):
        response = await anonymous.get(path)
        assert response.status_code == 404 and "location" not in response.headers, path
        assert target["slug"] not in response.text
    # The target's author may still see it, so is still led there.
    response = await anonymous.get(duplicate["url"], headers=bearer(await token_for(author)))
    assert response.status_code == 301 and response.headers["location"] == target["url"]


async def test_merges_made_before_the_fix_end_in_a_page_or_not_found(anonymous: httpx.AsyncClient) -> None:
    """A chain A → B → C leads to C; a cycle A ⇄ B (possible before merges were checked) is not found, never an
    endless redirect."""
    author = await make_user("ani@x.go.id")
    a = await make_thread(author, title="Topik duplikat A")
    b = await make_thread(author, title="Topik duplikat B")
    c = await make_thread(author, title="Topik duplikat C")
    await Thread.update({Thread.status: "hidden", Thread.merged_into: b["id"]}).where(Thread.id == a["id"])
    await Thread.update({Thread.status: "hidden", Thread.merged_into: c["id"]}).where(Thread.id == b["id"])
    response = await anonymous.get(a["url"])
    assert response.status_code == 301 and response.headers["location"] == c["url"]
    await Thread.update({Thread.merged_into: a["id"]}).where(Thread.id == b["id"])
    for path in (a["url"], f"/topik/{b['id']}"):
        assert (await anonymous.get(path)).status_code == 404


# 3. Merges: no cycles, no hidden/pending/merged targets, no second merge; no pinning of a merged thread.


async def test_merge_refuses_cycles_and_targets_nobody_can_read(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    mod = bearer(await token_for(moderator))
    a = await make_thread(author, title="Topik duplikat A")
    b = await make_thread(author, title="Topik duplikat B")
    c = await make_thread(author, title="Topik duplikat C")
    hidden = await make_thread(author, title=HIDDEN_TITLE)
    pending = await make_thread(author, title=PENDING_TITLE)
    assert (await _moderate(client, mod, "thread", hidden["id"], action="hide", reason="Melanggar")).status_code == 200
    await Thread.update({Thread.status: "pending"}).where(Thread.id == pending["id"])

    async def merge(source: dict[str, Any], target: dict[str, Any]) -> httpx.Response:
        return await _moderate(client, mod, "thread", source["id"], action="merge", target_id=target["id"])

    def target_error(response: httpx.Response) -> str:
        assert response.status_code == 422, response.text
        errors = {e["field"]: e["message"] for e in response.json()["errors"]}
        assert set(errors) == {"target_id"}
        return errors["target_id"]

    assert "terbit" in target_error(await merge(a, hidden))
    assert "terbit" in target_error(await merge(a, pending))
    assert (await merge(a, b)).status_code == 200
    # B into A would loop A → B → A; A is merged away, so it is refused (and so is any other merged target).
    assert "sudah digabungkan" in target_error(await merge(b, a))
    assert "sudah digabungkan" in target_error(await merge(c, a))
    # A was merged already: it cannot be merged a second time.
    assert "sudah digabungkan" in target_error(await merge(a, c))
    rows = {r["id"]: r for r in await Thread.select(Thread.id, Thread.status, Thread.merged_into)}
    assert rows[a["id"]]["merged_into"] == b["id"]
    assert rows[b["id"]]["merged_into"] is None and rows[b["id"]]["status"] == "published"
    assert rows[c["id"]]["merged_into"] is None and rows[hidden["id"]]["merged_into"] is None
    assert [r["action"] for r in await ModerationLog.select(ModerationLog.action).where(
        ModerationLog.action == "merge_thread")] == ["merge_thread"]  # fmt: skip
    # No redirect loop: B is a normal page, A leads to B.
    assert (await client.get(b["url"])).status_code == 200
    response = await client.get(a["url"])
    assert response.status_code == 301 and response.headers["location"] == b["url"]


async def test_opposite_merges_at_the_same_time_make_no_cycle(app: object) -> None:
    """A into B and B into A at once: one wins, the other sees it (rows are locked on PostgreSQL) and is refused."""
    from forum.moderation.merge import merge_thread

    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    a = await make_thread(author, title="Topik duplikat A")
    b = await make_thread(author, title="Topik duplikat B")
    outcomes: list[str] = []

    async def merge(source: int, target: int) -> None:
        try:
            await merge_thread(moderator, source, target)
            outcomes.append("ok")
        except InvalidInput as exc:
            outcomes.append(exc.errors["target_id"])

    async with anyio.create_task_group() as group:
        group.start_soon(merge, a["id"], b["id"])
        group.start_soon(merge, b["id"], a["id"])
    assert outcomes.count("ok") == 1 and any("sudah digabungkan" in o for o in outcomes), outcomes
    merged = [r["merged_into"] for r in await Thread.select(Thread.merged_into).order_by(Thread.id)]
    assert merged in ([b["id"], None], [None, a["id"]])


async def test_a_merged_thread_cannot_be_pinned(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    mod = bearer(await token_for(moderator))
    target = await make_thread(author)
    duplicate = await make_thread(author, title="Topik duplikat")
    await add_reply(author, duplicate["id"], ReplyInput(body="Balasan di duplikat"), limits=NO_LIMITS)
    assert (await _moderate(client, mod, "thread", duplicate["id"], action="merge",
                            target_id=target["id"])).status_code == 200  # fmt: skip
    refused = await _moderate(client, mod, "thread", duplicate["id"], action="pin")
    assert refused.status_code in {409, 422}, refused.text
    assert "digabungkan" in refused.text
    assert (await Thread.select(Thread.is_pinned).where(Thread.id == duplicate["id"]).first())["is_pinned"] is False
    assert not await ModerationLog.exists().where(ModerationLog.action == "pin_thread")
    assert await Post.count().where(Post.thread == target["id"]) == 1
    # Nor published again (its replies live in the target now), and the log names the target by number only.
    restored = await _moderate(client, mod, "thread", duplicate["id"], action="restore")
    assert restored.status_code == 409 and "digabungkan" in restored.text
    merge = await ModerationLog.select(ModerationLog.reason).where(ModerationLog.action == "merge_thread").first()
    assert merge["reason"] == f"digabungkan ke topik #{target['id']}"
    # The surviving thread can still be pinned.
    assert (await _moderate(client, mod, "thread", target["id"], action="pin")).status_code == 200


async def test_an_overlong_reason_is_refused_not_cut(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    mod = bearer(await token_for(moderator))
    thread = await make_thread(author)
    refused = await _moderate(client, mod, "thread", thread["id"], action="hide", reason="x" * 1001)
    assert refused.status_code == 422
    assert {"field": "reason", "message": "Alasan maksimal 1.000 karakter."} in refused.json()["errors"]
    assert (await Thread.select(Thread.status).where(Thread.id == thread["id"]).first())["status"] == "published"
    missing = await _moderate(client, mod, "thread", thread["id"], action="hide", reason="\u200b ")
    assert missing.status_code == 422 and missing.json()["errors"][0]["message"].startswith("Alasan wajib diisi")
