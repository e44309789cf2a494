"""Queued (new-member) and hidden content never reaches search results; featured practices are a facet."""

from __future__ import annotations

from typing import Any

import httpx

from forum.accounts.service import Registration, register_user
from forum.core.clock import now
from forum.featured.service import (
    Feature,
    feature_thread,
    unfeature_thread,
)
from forum.moderation.hide import hide_post, hide_thread, restore_thread
from forum.moderation.review import approve_thread
from forum.posting.service import ReplyInput, add_reply
from forum.replication.service import (
    Interest,
    ReplicationStep,
)
from forum.web.flood import NO_LIMITS
from tests.search.helpers import api, discussion, person, post, settle
from tests.support.factories import PASSWORD


async def found(client: httpx.AsyncClient, q: str) -> list[int]:
    return [hit["id"] for hit in (await api(client, q=q))["hits"]]


async def test_queued_and_hidden_threads_and_replies_are_not_searchable(client: httpx.AsyncClient, service: Any) -> None:
    moderator = await person(agency="Kementerian PANRB")
    from forum.core.tables import User

    await User.update({User.role: "moderator", User.totp_enabled_at: now()}).where(User.id == moderator.id)  # enrolled
    from forum.accounts.service import load_current_user

    moderator = await load_current_user(moderator.id)
    newbie = await register_user(Registration.pick({"email": "baru@uji.go.id", "password": PASSWORD, "display_name": "Anggota Baru",
                                  "agency_name": "Dinas Baru", "agency_kind": "pemkab",
                                  "agency_province": "bali", "consent": "1"}))  # fmt: skip
    queued = await post(newbie, **discussion("Inovasi zebrakuda yang menunggu tinjauan"))
    assert queued["status"] == "pending"
    veteran = await person()
    visible = await post(veteran, **discussion("Layanan kijangmas untuk warga lansia"))
    spam = await add_reply(veteran, visible["id"], ReplyInput(body="Iklan obatnyamuk ajaib diskon"), limits=NO_LIMITS)
    await settle()
    assert await found(client, "zebrakuda") == []
    assert await found(client, "kijangmas") == [visible["id"]]
    assert await found(client, "obatnyamuk") == [visible["id"]]  # replies are part of the thread's document

    await hide_post(moderator, spam["id"], "Iklan")
    await approve_thread(moderator, queued["id"])
    await settle()
    assert await found(client, "obatnyamuk") == []
    assert await found(client, "zebrakuda") == [queued["id"]]

    await hide_thread(moderator, visible["id"], "Di luar topik")
    await settle()
    assert await found(client, "kijangmas") == []
    await restore_thread(moderator, visible["id"])
    await settle()
    assert await found(client, "kijangmas") == [visible["id"]]


async def test_featured_is_a_facet_and_follows_curation(client: httpx.AsyncClient, service: Any) -> None:
    from forum.accounts.service import load_current_user
    from forum.core.tables import User

    moderator = await person(agency="Kementerian PANRB")
    await User.update({User.role: "moderator", User.totp_enabled_at: now()}).where(User.id == moderator.id)  # enrolled
    moderator = await load_current_user(moderator.id)
    author = await person()
    case = await post(author, title="Antrean lumbalumba di puskesmas")
    await post(author, title="Antrean lumbalumba di kelurahan")
    await feature_thread(moderator, case["id"], Feature.pick({"note": "Layak direplikasi karena murah dan terukur."}))
    await settle()
    featured = await api(client, q="lumbalumba", featured="true")
    assert [hit["id"] for hit in featured["hits"]] == [case["id"]]
    await unfeature_thread(moderator, case["id"])
    await settle()
    assert (await api(client, q="lumbalumba", featured="true"))["hits"] == []


async def test_most_replicated_sort_and_facet(client: httpx.AsyncClient, service: Any) -> None:
    from forum.replication.service import declare_interest, move_replication

    owner = await person()
    copier = await person(agency="Disdukcapil Kabupaten Bantul")
    plain = await post(owner, title="Kasus penyubelang yang belum direplikasi")
    popular = await post(owner, title="Kasus penyubelang yang sudah direplikasi")
    replication = await declare_interest(copier, popular["id"], Interest.pick({"note": "kami tertarik"}))
    await move_replication(owner, replication["id"], "agree", ReplicationStep.pick({}))
    await settle()
    ranked = await api(client, q="penyubelang", sort="replikasi")
    assert [hit["id"] for hit in ranked["hits"]] == [popular["id"], plain["id"]]
    assert ranked["facets"]["replicated"] == {"true": 1, "false": 1}
    only = await api(client, q="penyubelang", replicated="true")
    assert [hit["id"] for hit in only["hits"]] == [popular["id"]]


async def test_filter_by_measured_improvement(client: httpx.AsyncClient, service: Any) -> None:
    from forum.core.clock import now
    from forum.core.indexing import enqueue_thread
    from forum.core.tables import Indicator

    author = await person()
    big = await post(author, title="Kasus gajahbiru dengan dampak besar")
    small = await post(author, title="Kasus gajahbiru dengan dampak kecil")
    await Indicator.insert(
        Indicator(thread=big["id"], name="Waktu tunggu", unit="menit", baseline_value=60, result_value=15,
                  higher_is_better=False, created_by=author.id, verified_by=author.id, verified_at=now()),
        Indicator(thread=small["id"], name="Kunjungan", unit="orang", baseline_value=100, result_value=110,
                  created_by=author.id),
    )  # fmt: skip
    await enqueue_thread(big["id"])
    await enqueue_thread(small["id"])
    await settle()
    half = await api(client, q="gajahbiru", min_improvement="50")
    assert [hit["id"] for hit in half["hits"]] == [big["id"]]
    some = await api(client, q="gajahbiru", min_improvement="5")
    assert {hit["id"] for hit in some["hits"]} == {big["id"], small["id"]}
    verified = await api(client, q="gajahbiru", min_improvement="5", improvement_verified="true")
    assert [hit["id"] for hit in verified["hits"]] == [big["id"]]
    bad = await client.get("/api/search", params={"q": "gajahbiru", "min_improvement": "banyak"})
    assert bad.status_code == 422
