"""Documents: plain text only, built in a fixed number of queries, with stems and aliases."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from forum.core import db, markup
from forum.core.settings import PROJECT_ROOT
from forum.posting.service import ReplyInput, add_reply
from forum.web.flood import NO_LIMITS
from search.documents import build_documents, plain_text
from tests.search.helpers import discussion, person, post
from tests.support.xss import PAYLOADS


def _samples() -> list[str]:
    demo = json.loads((PROJECT_ROOT / "forum" / "demo" / "demo.json").read_text(encoding="utf-8"))
    texts = [thread["body"] for thread in demo["threads"]]
    texts += [reply["body"] for thread in demo["threads"] for reply in thread.get("replies", [])]
    return [*PAYLOADS, *texts, 'Tautan [a>b](https://example.com "judul > dengan tanda") & <b>tebal</b> &amp; teks']


def test_plain_text_agrees_with_the_sanitiser_on_stored_html() -> None:
    for source in _samples():
        stored = markup.render(source)
        assert plain_text(stored) == markup.to_plain_text(stored), source


async def test_documents_are_plain_text_with_stems_and_aliases(app: Any) -> None:
    author = await person()
    thread = await post(author, title="Melayani <warga> tanpa antre",
                        body="Kami **melayani** pengurusan dokumen bersama Dinas Kependudukan dan Pencatatan Sipil.")  # fmt: skip
    await add_reply(author, thread["id"], ReplyInput(body="Apakah _pelayanan_ ini juga untuk usaha mikro kecil menengah?"), limits=NO_LIMITS)
    (document,) = await build_documents([thread["id"], 999_999])  # a missing thread is simply absent
    assert document["id"] == thread["id"] and document["url"] == thread["url"]
    assert document["title"] == "Melayani <warga> tanpa antre"  # stored as typed; escaped when shown
    assert document["body"] == "Kami melayani pengurusan dokumen bersama Dinas Kependudukan dan Pencatatan Sipil."
    assert "<" not in document["replies"] and "pelayanan ini" in document["replies"]
    assert document["problem"] == "Warga lansia sulit datang ke kantor Dukcapil."
    assert "layan" in document["stemmed"].split() and "urus" in document["stemmed"].split()
    assert "warga" not in document["stemmed"].split()  # a root the text has as a word is found in the text
    assert document["replies_more"] == ""  # short replies are all in the snippet part
    # Long forms (four words and more, or with a stop word) get their short form as an alias.
    assert document["aliases"] == ["dukcapil", "umkm"] and document["title_aliases"] == []
    assert document["values"] == ["berorientasi-pelayanan", "kolaboratif"]
    assert document["value_labels"] == ["Berorientasi Pelayanan", "Kolaboratif"]
    assert (document["province"], document["province_label"]) == ("di-yogyakarta", "DI Yogyakarta")
    assert document["agency"] == "disdukcapil-kabupaten-sleman" and document["reply_count"] == 1
    assert isinstance(document["created_at"], float) and document["featured"] is False


async def test_documents_take_a_fixed_number_of_queries(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    engine_class = type(db.engine())
    original = engine_class.run_querystring
    calls: list[str] = []
    me = asyncio.current_task()

    async def counting(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        if asyncio.current_task() is me:  # not the app's outbox worker, which runs meanwhile
            calls.append(str(querystring))
        return await original(self, querystring, *args, **kwargs)

    author = await person()
    threads = [await post(author, **discussion(f"Diskusi nomor {n} tentang arsip")) for n in range(6)]
    for thread in threads:
        await add_reply(author, thread["id"], ReplyInput(body="Balasan pertama."), limits=NO_LIMITS)
        await add_reply(author, thread["id"], ReplyInput(body="Balasan kedua."), limits=NO_LIMITS)
    monkeypatch.setattr(engine_class, "run_querystring", counting)
    await build_documents([threads[0]["id"]])
    one = len(calls)
    calls.clear()
    documents = await build_documents([thread["id"] for thread in threads])
    # threads, values, replies, and the best improvement of all indicators and of verified ones
    assert len(documents) == 6 and len(calls) == one == 5
