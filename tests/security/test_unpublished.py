"""Finding 5: nothing of a hidden or pending thread leaks through a redirect or a commitments list."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from forum.commitments.service import CommitmentInput, add_commitment
from forum.moderation.service import hide_thread
from forum.posting.service import add_reply
from tests.support.factories import login, make_thread, make_user
from forum.flood import NO_LIMITS
from forum.posting.service import ReplyInput

pytestmark = pytest.mark.anyio

SECRET_TITLE = "Rahasia zamrudkelabu yang disembunyikan moderator"


async def _hidden_thread_with_reply_and_commitment() -> tuple[dict, dict]:
    author = await make_user("penulis@uji.go.id", agency="Dinas Rahasia Kota")
    moderator = await make_user("mod@uji.go.id", role="moderator", agency="Kementerian Uji")
    thread = await make_thread(author, title=SECRET_TITLE)
    reply = await add_reply(author, thread["id"], ReplyInput(body="Balasan di topik yang nanti disembunyikan."), limits=NO_LIMITS)
    due = (date.today() + timedelta(days=30)).isoformat()
    await add_commitment(author, thread["id"], CommitmentInput(what="Komitmen kacapiring rahasia", due_on=due))
    await hide_thread(moderator, thread["id"], "Melanggar aturan.", None)
    return thread, reply


async def test_a_reply_permalink_in_a_hidden_thread_is_not_found(client: httpx.AsyncClient) -> None:
    _, reply = await _hidden_thread_with_reply_and_commitment()
    response = await client.get(f"/balasan/{reply['id']}", follow_redirects=False)
    assert response.status_code == 404
    assert "zamrudkelabu" not in response.headers.get("location", "") + response.text
    assert (await client.get("/balasan/999999", follow_redirects=False)).status_code == 404


async def test_the_author_still_finds_their_reply(client: httpx.AsyncClient) -> None:
    _, reply = await _hidden_thread_with_reply_and_commitment()
    await login(client, "penulis@uji.go.id")
    response = await client.get(f"/balasan/{reply['id']}", follow_redirects=False)
    assert response.status_code in {302, 303}


async def test_commitment_lists_leave_out_hidden_threads(client: httpx.AsyncClient) -> None:
    await _hidden_thread_with_reply_and_commitment()
    for path in ("/tindak-lanjut?instansi=dinas-rahasia-kota", "/api/commitments?agency=dinas-rahasia-kota",
                 "/tindak-lanjut", "/api/commitments"):  # fmt: skip
        response = await client.get(path)
        assert response.status_code == 200, path
        assert "kacapiring" not in response.text and "zamrudkelabu" not in response.text, path
