"""Changes reach the index through the outbox: create, edit, reply, delete."""

from __future__ import annotations

from typing import Any

from forum.core.db import write_transaction
from forum.core.indexing import enqueue_thread
from forum.core.tables import Post, SearchOutbox, Thread
from forum.posting.service import ReplyInput, add_reply
from forum.threads.service import ThreadInput, delete_thread, edit_thread
from forum.web.flood import NO_LIMITS
from search.documents import build_documents
from tests.search.helpers import discussion, ids, pending, person, post, settle


async def test_created_thread_becomes_searchable_after_the_outbox_drains(service: Any) -> None:
    author = await person()
    thread = await post(author, title="Antrean posyandu digital untuk balita", body="Warga mendaftar lewat WhatsApp.")
    assert await pending() == 1
    await settle()
    assert await ids(service, "posyandu") == [thread["id"]]
    row = await SearchOutbox.select().first()
    assert row["done_at"] is not None and row["attempts"] == 0


async def test_edit_replaces_the_old_words(service: Any) -> None:
    author = await person()
    thread = await post(author, title="Pendaftaran sekolah dengan zonasi manual")
    await settle()
    assert await ids(service, "zonasi") == [thread["id"]]
    await edit_thread(author, thread["id"], ThreadInput.pick({"title": "Pendaftaran sekolah dengan peta daring"}), 1)
    await settle()
    assert await ids(service, "zonasi") == []
    assert await ids(service, "peta daring") == [thread["id"]]


async def test_reply_text_finds_its_thread(service: Any) -> None:
    author = await person()
    thread = await post(author, title="Layanan akta kelahiran di rumah sakit")
    await add_reply(author, thread["id"], ReplyInput(body="Kami memakai formulir berbasis kuesioner elektronik."), limits=NO_LIMITS)
    await settle()
    assert await ids(service, "kuesioner") == [thread["id"]]


async def test_deleted_thread_leaves_the_index(service: Any) -> None:
    author = await person()
    kept = await post(author, title="Inovasi timbangan digital di posyandu")
    gone = await post(author, title="Inovasi timbangan pintar di posyandu")
    await settle()
    assert sorted(await ids(service, "timbangan")) == sorted([kept["id"], gone["id"]])
    await delete_thread(author, gone["id"])
    await settle()
    assert await ids(service, "timbangan") == [kept["id"]]


async def test_many_changes_to_one_thread_become_one_document(service: Any) -> None:
    author = await person()
    thread = await post(author, **discussion("Diskusi jadwal pelayanan malam hari"))
    for number in range(5):
        await add_reply(author, thread["id"], ReplyInput(body=f"Balasan nomor {number} tentang shift petugas."), limits=NO_LIMITS)
    assert await SearchOutbox.count() == 6
    await settle()
    documents = await service.client.index(service.uid).get_documents(limit=10)
    assert [document["id"] for document in documents.results] == [thread["id"]]
    assert documents.results[0]["reply_count"] == 5
    assert (await build_documents([thread["id"]]))[0]["replies"].count("shift petugas") == 5


async def test_only_published_threads_and_replies_are_searchable(service: Any) -> None:
    """Pending (review queue) and hidden content is for its author and moderators only (forum.core.visibility)."""
    author = await person()
    shown = await post(author, **discussion("Piket malam layanan pengaduan kelurahan"))
    hidden = await post(author, **discussion("Piket malam layanan ambulans desa"))
    reply = await add_reply(author, shown["id"], ReplyInput(body="Rahasia: nomor pribadi petugas piket."), limits=NO_LIMITS)
    async with write_transaction():
        # What the moderation functions do: change the status, queue the thread.
        await Thread.update({Thread.status: "hidden"}).where(Thread.id == hidden["id"])
        await Post.update({Post.status: "hidden"}).where(Post.id == reply["id"])
        await enqueue_thread(hidden["id"])
        await enqueue_thread(shown["id"])
    await settle()
    assert await ids(service, "piket malam") == [shown["id"]]
    assert await ids(service, "nomor pribadi") == []


async def test_featured_threads_rank_first_among_equals(service: Any) -> None:
    author = await person()
    plain = await post(author, **discussion("Inovasi kios informasi desa"))
    chosen = await post(author, **discussion("Inovasi kios informasi kota"))
    await settle()
    assert await ids(service, "kios informasi") == [chosen["id"], plain["id"]]  # equal relevance: newest first
    async with write_transaction():
        await Thread.update({Thread.is_featured: True}).where(Thread.id == plain["id"])
        await enqueue_thread(plain["id"])
    await settle()
    assert await ids(service, "kios informasi") == [plain["id"], chosen["id"]]
