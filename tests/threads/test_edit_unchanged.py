"""Saving without a change is not a new version: no revision, no "diedit", nothing re-indexed."""

from __future__ import annotations

import httpx

from forum.core.tables import Post, Revision, SearchOutbox, Thread
from forum.posting.service import ReplyInput, add_reply
from forum.web.flood import NO_LIMITS
from tests.support.factories import make_thread, make_user, token_for


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def state(thread_id: int, post_id: int) -> tuple:
    thread = await Thread.select(Thread.version, Thread.updated_at).where(Thread.id == thread_id).first()
    post = await Post.select(Post.version, Post.edited_at).where(Post.id == post_id).first()
    return (thread["version"], thread["updated_at"], post["version"], post["edited_at"], await Revision.count(),
            await SearchOutbox.count())  # fmt: skip


async def test_saving_a_thread_or_reply_unchanged_keeps_its_version(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    ani, mod = bearer(await token_for(author)), bearer(await token_for(moderator))
    thread = await make_thread(author)
    reply = await add_reply(author, thread["id"], ReplyInput(body="Balasan yang tidak berubah."), limits=NO_LIMITS)
    changed = await client.patch(f"/api/threads/{thread['id']}", json={"version": 1, "title": "Judul yang sudah diubah"},
                                 headers=ani)  # fmt: skip
    assert changed.status_code == 200 and changed.json()["version"] == 2
    before = await state(thread["id"], reply["id"])

    same = await client.patch(f"/api/threads/{thread['id']}", json={"version": 2}, headers=ani)
    assert same.status_code == 200 and same.json()["version"] == 2
    same = await client.patch(f"/api/threads/{thread['id']}", headers=ani,
                              json={"version": 2, "title": "  Judul yang  sudah diubah ", "values": ["kolaboratif", "berorientasi-pelayanan"]})  # fmt: skip
    assert same.status_code == 200 and same.json()["version"] == 2  # same after the usual clean-up and in any order
    same = await client.patch(f"/api/posts/{reply['id']}", json={"version": 1, "body": "Balasan yang tidak berubah."},
                              headers=ani)  # fmt: skip
    assert same.status_code == 200 and same.json()["version"] == 1
    restored = await client.post(f"/api/threads/{thread['id']}/revisions/2/revert", headers=mod)  # the current one
    assert restored.status_code == 200 and restored.json()["version"] == 2
    assert await state(thread["id"], reply["id"]) == before

    stale = await client.patch(f"/api/threads/{thread['id']}", json={"version": 1}, headers=ani)
    assert stale.status_code == 409  # an unchanged save from an old form is still a conflict
    restored = await client.post(f"/api/threads/{thread['id']}/revisions/1/revert", headers=mod)
    assert restored.status_code == 200 and restored.json()["version"] == 3  # a real change is a version
