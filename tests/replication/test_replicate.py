"""Replication end to end: the state machine, who may take each step, and what everyone sees."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from forum.core.tables import Notification, Replication, Thread
from forum.replication.service import TRANSITIONS
from tests.support.factories import login, make_thread, make_user, post_form, token_for

pytestmark = pytest.mark.anyio  # at collection time, so that parametrized async tests get their parameters


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def world() -> dict:
    source = await make_user("ani@sleman.go.id", agency="Disdukcapil Kabupaten Sleman")
    colleague = await make_user("rudi@sleman.go.id", agency="Disdukcapil Kabupaten Sleman")
    replicator = await make_user("budi@bantul.go.id", agency="Disdukcapil Kabupaten Bantul")
    outsider = await make_user("sari@klaten.go.id", agency="Disdukcapil Kabupaten Klaten")
    case = await make_thread(source)
    return {"source": source, "colleague": colleague, "replicator": replicator, "outsider": outsider, "case": case,
            "tokens": {name: bearer(await token_for(user)) for name, user in
                       (("source", source), ("colleague", colleague), ("replicator", replicator), ("outsider", outsider))}}  # fmt: skip


async def step(client: httpx.AsyncClient, world: dict, who: str, rid: int, action: str, **extra: object) -> httpx.Response:
    return await client.post(f"/api/replications/{rid}/transitions", json={"action": action, **extra},
                             headers=world["tokens"][who])  # fmt: skip


async def test_full_replication_lifecycle(client: httpx.AsyncClient, world: dict) -> None:
    case = world["case"]
    created = await client.post(f"/api/threads/{case['id']}/replications", json={"note": "Mulai tahun depan"},
                                headers=world["tokens"]["replicator"])  # fmt: skip
    assert created.status_code == 201 and created.json()["state"] == "interest"
    rid = created.json()["id"]
    # The source agency is told.
    assert await Notification.count().where(Notification.user == world["source"].id) == 1
    # Only the source agency's members acknowledge; a colleague (not the author) may.
    assert (await step(client, world, "replicator", rid, "agree")).status_code == 403
    assert (await step(client, world, "outsider", rid, "agree")).status_code == 403
    assert (await step(client, world, "colleague", rid, "agree")).json()["state"] == "agreed"
    assert (await Thread.select(Thread.replication_count).first())["replication_count"] == 1
    implemented = await step(client, world, "replicator", rid, "implement",
                             implemented_on=(date.today() - timedelta(days=3)).isoformat(),
                             adaptation_note="Memakai kurir kecamatan, bukan pos")  # fmt: skip
    assert implemented.status_code == 200 and implemented.json()["state"] == "implemented"
    outcome = await step(client, world, "replicator", rid, "report_outcome", outcome_note="Waktu tunggu turun 60%")
    assert outcome.json()["state"] == "reported"
    listed = (await client.get(f"/api/threads/{case['id']}/replications")).json()
    assert [(r["agency_name"], r["state"]) for r in listed] == [("Disdukcapil Kabupaten Bantul", "reported")]
    page = await client.get(case["url"])
    assert "Disdukcapil Kabupaten Bantul" in page.text and "Hasil dilaporkan" in page.text
    assert "Waktu tunggu turun 60%" in page.text


@pytest.mark.parametrize(
    ("from_state", "move"),
    [(state, action) for action, (sources, _, _) in TRANSITIONS.items()
     for state in ("interest", "agreed", "implemented", "reported", "cancelled") if state not in sources],
)  # fmt: skip
async def test_every_invalid_transition_is_a_clear_409_and_changes_nothing(
    client: httpx.AsyncClient, world: dict, from_state: str, move: str
) -> None:
    state, action = from_state, move
    replication = Replication(source_thread=world["case"]["id"], agency=world["replicator"].agency_id,
                              requested_by=world["replicator"].id, state=state)  # fmt: skip
    await replication.save()
    who = "source" if action == "agree" else "replicator"
    response = await step(client, world, who, replication.id, action, implemented_on=date.today().isoformat(),
                          adaptation_note="catatan", outcome_note="hasil", reason="alasan")  # fmt: skip
    assert response.status_code == 409, response.text
    assert response.json()["detail"]
    assert (await Replication.select(Replication.state).first())["state"] == state


async def test_interest_rules(client: httpx.AsyncClient, world: dict) -> None:
    case = world["case"]
    own = await client.post(f"/api/threads/{case['id']}/replications", json={}, headers=world["tokens"]["colleague"])
    assert own.status_code == 422  # an agency cannot replicate its own innovation
    first = await client.post(f"/api/threads/{case['id']}/replications", json={}, headers=world["tokens"]["replicator"])
    assert first.status_code == 201
    again = await client.post(f"/api/threads/{case['id']}/replications", json={}, headers=world["tokens"]["replicator"])
    assert again.status_code == 409
    talk = await make_thread(world["source"], kind="diskusi", title="Diskusi yang bukan kasus inovasi")
    assert (await client.post(f"/api/threads/{talk['id']}/replications", json={},
                              headers=world["tokens"]["replicator"])).status_code == 422  # fmt: skip
    # Cancelling frees the agency to declare interest again, and the count never counted "interest".
    rid = first.json()["id"]
    assert (await step(client, world, "outsider", rid, "cancel", reason="bukan urusan saya")).status_code == 403
    assert (await step(client, world, "replicator", rid, "cancel", reason="anggaran dipotong")).json()["state"] == "cancelled"
    assert (await Thread.select(Thread.replication_count).where(Thread.id == case["id"]).first())["replication_count"] == 0
    assert (await client.post(f"/api/threads/{case['id']}/replications", json={},
                              headers=world["tokens"]["replicator"])).status_code == 201  # fmt: skip


async def test_implementation_needs_a_date_and_what_was_adapted(client: httpx.AsyncClient, world: dict) -> None:
    replication = Replication(source_thread=world["case"]["id"], agency=world["replicator"].agency_id,
                              requested_by=world["replicator"].id, state="agreed")  # fmt: skip
    await replication.save()
    future = (date.today() + timedelta(days=5)).isoformat()
    response = await step(client, world, "replicator", replication.id, "implement", implemented_on=future)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"implemented_on", "adaptation_note"}


async def test_lineage_follows_replicas_of_replicas(client: httpx.AsyncClient, world: dict) -> None:
    case = world["case"]
    rid = (await client.post(f"/api/threads/{case['id']}/replications", json={},
                             headers=world["tokens"]["replicator"])).json()["id"]  # fmt: skip
    await step(client, world, "source", rid, "agree")
    replica = await make_thread(world["replicator"], title="KTP-el antar ke rumah versi Bantul")
    done = await step(client, world, "replicator", rid, "implement", implemented_on=date.today().isoformat(),
                      adaptation_note="Versi Bantul", replica_thread_id=replica["id"])  # fmt: skip
    assert done.status_code == 200
    second = (await client.post(f"/api/threads/{replica['id']}/replications", json={},
                                headers=world["tokens"]["outsider"])).json()["id"]  # fmt: skip
    tree = (await client.get(f"/api/threads/{case['id']}/lineage")).json()
    child = tree["children"][0]
    assert child["thread_id"] == replica["id"]
    assert child["children"][0]["replication"]["id"] == second
    page = await client.get(f"/topik/{case['id']}/silsilah-replikasi")
    assert "Disdukcapil Kabupaten Klaten" in page.text and "versi Bantul" in page.text


async def test_replication_through_the_pages(client: httpx.AsyncClient, other_client: httpx.AsyncClient,
                                            world: dict) -> None:  # fmt: skip
    case = world["case"]
    await login(client, "budi@bantul.go.id")
    assert (await post_form(client, f"/topik/{case['id']}/replikasi", {"note": "Kami tertarik"})).status_code == 303
    rid = (await Replication.select(Replication.id).first())["id"]
    await login(other_client, "ani@sleman.go.id")
    page = await other_client.get(case["url"])
    assert "Sepakati replikasi" in page.text
    assert (await post_form(other_client, f"/replikasi/{rid}/setujui", {})).status_code == 303
    assert (await Replication.select(Replication.state).first())["state"] == "agreed"
