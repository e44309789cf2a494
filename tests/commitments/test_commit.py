"""Follow-up commitments: record, close with evidence, permissions, overdue lists and reminders."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from forum.commitments.service import send_reminders
from forum.core.tables import Commitment, Notification
from tests.support.factories import login, make_thread, make_user, post_form, token_for


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_commitment_lifecycle_and_permissions(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@sleman.go.id")
    # A member assigns themselves or a colleague of their own agency (test_review_fixes_input covers the rest).
    owner = await make_user("budi@sleman.go.id", name="Budi Santoso")
    other = await make_user("sari@klaten.go.id", agency="Dinkes Kabupaten Klaten")
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    thread = await make_thread(author, kind="diskusi", title="Tindak lanjut rapat koordinasi antrean")
    due = (date.today() + timedelta(days=10)).isoformat()
    created = await client.post(f"/api/threads/{thread['id']}/commitments",
                                json={"what": "Menyusun SOP antrean bersama", "owner_id": owner.id, "due_on": due},
                                headers=bearer(await token_for(author)))  # fmt: skip
    assert created.status_code == 201
    cid = created.json()["id"]
    assert await Notification.count().where(Notification.user == owner.id) == 1
    listed = (await client.get(f"/api/threads/{thread['id']}/commitments")).json()
    assert listed[0]["owner_name"] == "Budi Santoso" and listed[0]["agency_name"] == "Disdukcapil Kabupaten Sleman"
    # Only the owner or a moderator closes it; the author who recorded it may not.
    for who in (author, other):
        refused = await client.post(f"/api/commitments/{cid}/complete", json={"evidence": "sudah"},
                                    headers=bearer(await token_for(who)))  # fmt: skip
        assert refused.status_code == 403
    no_evidence = await client.post(f"/api/commitments/{cid}/complete", json={}, headers=bearer(await token_for(owner)))
    assert no_evidence.status_code == 422
    done = await client.post(f"/api/commitments/{cid}/complete", json={"evidence": "https://example.go.id/sop"},
                             headers=bearer(await token_for(owner)))  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "done"
    again = await client.post(f"/api/commitments/{cid}/cancel", json={"reason": "ubah pikiran"},
                              headers=bearer(await token_for(moderator)))  # fmt: skip
    assert again.status_code == 409
    assert (await Commitment.select(Commitment.status).first())["status"] == "done"


async def test_bad_commitments_are_rejected(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@sleman.go.id")
    thread = await make_thread(author)
    auth = bearer(await token_for(author))
    past = (date.today() - timedelta(days=1)).isoformat()
    response = await client.post(f"/api/threads/{thread['id']}/commitments",
                                 json={"what": "x", "due_on": past, "owner_id": 999}, headers=auth)  # fmt: skip
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"what", "due_on"}
    unknown_owner = await client.post(f"/api/threads/{thread['id']}/commitments",
                                      json={"what": "Menyusun laporan", "due_on": date.today().isoformat(),
                                            "owner_id": 999}, headers=auth)  # fmt: skip
    assert unknown_owner.status_code == 422
    assert await Commitment.count() == 0


async def test_overdue_lists_and_reminders(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@sleman.go.id")
    owner = await make_user("budi@bantul.go.id", agency="Bappeda Kabupaten Bantul")
    thread = await make_thread(author)
    today = date.today()
    for what, due in (("Sudah lewat tenggat", today - timedelta(days=2)), ("Segera jatuh tempo", today + timedelta(days=1)),
                      ("Masih lama", today + timedelta(days=30))):  # fmt: skip
        await Commitment.insert(Commitment(thread=thread["id"], what=what, owner=owner.id, owner_agency=owner.agency_id,
                                           due_on=due, created_by=author.id))  # fmt: skip
    overdue = (await client.get("/api/commitments?overdue=true")).json()
    assert [c["what"] for c in overdue] == ["Sudah lewat tenggat"]
    per_agency = (await client.get("/api/commitments?agency=bappeda-kabupaten-bantul")).json()
    assert len(per_agency) == 3
    board = await client.get("/tindak-lanjut?terlambat=1")
    assert "Sudah lewat tenggat" in board.text and "Masih lama" not in board.text
    assert await send_reminders() == {"before": 1, "after": 1}
    assert await send_reminders() == {"before": 0, "after": 0}  # each reminder once
    texts = {row["text"] for row in await Notification.select(Notification.text).where(Notification.user == owner.id)}
    assert any("Lewat tenggat" in t for t in texts) and any("Tenggat" in t for t in texts)


async def test_commitment_through_the_page(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@sleman.go.id")
    thread = await make_thread(author)
    await login(client, "ani@sleman.go.id")
    response = await post_form(client, f"/topik/{thread['id']}/tindak-lanjut",
                               {"what": "Mengirim draf MoU", "due_on": (date.today() + timedelta(days=7)).isoformat()})  # fmt: skip
    assert response.status_code == 303
    page = await client.get(thread["url"])
    assert "Mengirim draf MoU" in page.text and "Terbuka" in page.text
