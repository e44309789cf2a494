"""What people get back: facets, filters, morphology, typos, acronyms, safe highlights, order and pages."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from forum.core.errors import InvalidInput
from forum.core.tables import SearchMiss
from forum.posting.service import ReplyInput, add_reply
from forum.web.flood import NO_LIMITS
from search.documents import build_documents
from search.query import SearchRequest, parse_search_params, run_search
from tests.search.helpers import api, discussion, ids, person, post, settle


async def _places() -> dict[str, Any]:
    """Four threads about queues in three provinces, two sectors, three kinds."""
    central = await person("Dinkes Kota Semarang", "jawa-tengah", "pemkot")
    west = await person("Dinkes Kota Bandung", "jawa-barat", "pemkot")
    bali = await person("Disdik Kabupaten Badung", "bali")
    threads = {
        "a": await post(
            central, title="Antrean puskesmas tanpa kertas", sector="kesehatan", values=["berorientasi-pelayanan"]
        ),
        "b": await post(
            west, **discussion("Antrean rumah sakit saat pagi", sector="kesehatan", values=["kolaboratif"])
        ),
        "c": await post(
            central, title="Antrean daftar ulang sekolah", sector="pendidikan", values=["adaptif", "kolaboratif"]
        ),
        "d": await post(
            bali,
            **discussion("Antrean pengambilan rapor", kind="permasalahan", sector="pendidikan", values=["akuntabel"]),
        ),
    }
    await settle()
    return {name: thread["id"] for name, thread in threads.items()}


async def test_facets_count_threads_and_filters_combine(client: httpx.AsyncClient) -> None:
    t = await _places()
    everything = await api(client, q="antrean")
    assert everything["total"] == 4 and everything["degraded"] is False
    assert everything["facets"]["province"] == {"jawa-tengah": 2, "jawa-barat": 1, "bali": 1}
    assert everything["facets"]["sector"] == {"kesehatan": 2, "pendidikan": 2}
    assert everything["facets"]["kind"] == {"inovasi": 2, "diskusi": 1, "permasalahan": 1}
    assert everything["facets"]["value"] == {
        "kolaboratif": 2,
        "berorientasi-pelayanan": 1,
        "adaptif": 1,
        "akuntabel": 1,
    }
    assert everything["facets"]["agency"] == {"dinkes-kota-semarang": 2, "dinkes-kota-bandung": 1,
                                              "disdik-kabupaten-badung": 1}  # fmt: skip

    central = await api(client, q="antrean", province="jawa-tengah")
    assert sorted(hit["id"] for hit in central["hits"]) == sorted([t["a"], t["c"]])
    # The chosen facet keeps the counts of its other values (so they can be added), the others narrow.
    assert central["facets"]["province"] == {"jawa-tengah": 2, "jawa-barat": 1, "bali": 1}
    assert central["facets"]["sector"] == {"kesehatan": 1, "pendidikan": 1}

    either = await api(client, q="antrean", province=["jawa-tengah", "jawa-barat"])  # OR within a facet
    assert either["total"] == 3

    both = await api(client, q="antrean", province="jawa-tengah", sector="pendidikan")  # AND across facets
    assert [hit["id"] for hit in both["hits"]] == [t["c"]]
    assert both["facets"]["province"] == {"jawa-tengah": 1, "bali": 1}
    assert both["facets"]["sector"] == {"kesehatan": 1, "pendidikan": 1}

    shared = await api(client, value="kolaboratif")  # no keyword: filters alone
    assert sorted(hit["id"] for hit in shared["hits"]) == sorted([t["b"], t["c"]])
    assert (await api(client, kind="permasalahan", stage="penerapan"))["total"] == 0
    assert [hit["id"] for hit in (await api(client, agency="disdik-kabupaten-badung"))["hits"]] == [t["d"]]


async def test_a_chosen_value_keeps_its_count_beyond_the_listed_ones(client: httpx.AsyncClient, service: Any) -> None:
    """Meilisearch lists only the largest MAX_VALUES_PER_FACET values of a facet (500 agencies do not fit):
    a chosen value outside them still shows its own count, not 0."""
    from meilisearch_python_sdk.models.settings import Faceting

    from search.client import wait_for_task

    await _places()
    task = await service.client.index(service.uid).update_faceting(
        Faceting(max_values_per_facet=1, sort_facet_values_by={"*": "count"})
    )
    await wait_for_task(service.client, task.task_uid)
    counts = (await api(client, q="antrean", province="bali"))["facets"]["province"]
    assert counts == {"jawa-tengah": 2, "bali": 1}  # the largest, and the chosen one
    counts = (await api(client, q="antrean", province=["bali", "jawa-barat"], sector="kesehatan"))["facets"]
    assert counts["province"]["jawa-barat"] == 1 and "bali" not in counts["province"]  # Bali: no health thread


async def test_other_word_forms_match_through_stems(service: Any) -> None:
    author = await person()
    exact = await post(author, **discussion("Cara melayani warga yang datang tanpa janji"))
    other_form = await post(author, title="Peningkatan pelayanan perizinan di kecamatan")
    unrelated = await post(author, **discussion("Sistem arsip digital kelurahan"))
    await settle()
    found = await ids(service, "melayani")
    assert found[:2] == [exact["id"], other_form["id"]]  # the word as typed ranks first
    assert unrelated["id"] not in found


async def test_typos_are_tolerated(service: Any) -> None:
    author = await person()
    thread = await post(author, **discussion("Pemutakhiran data kependudukan di desa"))
    await settle()
    assert await ids(service, "kependudkan") == [thread["id"]]


# Query -> the thread it must find. KTP-el is tokenized "ktp el"; four-word and stop-word long forms are
# expanded by the app (search.vocabulary), the rest are Meilisearch synonyms.
ACRONYM_CASES = {
    "KTP elektronik": "ktp",
    "kartu tanda penduduk elektronik": "ktp",
    "MPP": "mall",
    "mal pelayanan publik": "mpp",
    "dukcapil": "long-form",
    "UMKM": "umkm",
    "usaha mikro kecil dan menengah": "umkm-short",
}


async def test_acronyms_and_long_forms_find_each_other(service: Any) -> None:
    author = await person(
        "Dinas Pekerjaan Umum Kota Surakarta", "jawa-tengah", "pemkot"
    )  # agency names are searched too
    threads = {
        "ktp": await post(author, **discussion("Antar KTP-el ke rumah warga")),
        "mall": await post(author, **discussion("Belajar dari mal pelayanan publik di kota lain")),
        "mpp": await post(author, **discussion("Jam buka MPP diperpanjang")),
        "long-form": await post(
            author, **discussion("Kerja sama Dinas Kependudukan dan Pencatatan Sipil dengan sekolah")
        ),
        "umkm": await post(author, **discussion("Pendampingan usaha mikro, kecil, dan menengah di pasar")),
        "umkm-short": await post(author, **discussion("Katalog produk UMKM desa")),
        "other": await post(author, **discussion("Perbaikan drainase jalan kampung")),
    }
    await settle()
    for query, expected in ACRONYM_CASES.items():
        found = await ids(service, query)
        assert threads[expected]["id"] in found, query
        assert threads["other"]["id"] not in found, query


async def test_highlights_are_escaped_before_marking(client: httpx.AsyncClient) -> None:
    author = await person()
    await post(author, **discussion("<script>alert(1)</script> antrean <b>loket</b>",
                                    body="Isi dengan <img src=x onerror=alert(1)> tentang antrean loket & jadwal."))  # fmt: skip
    await settle()
    hit = (await api(client, q="antrean loket"))["hits"][0]
    assert "<script>" not in hit["title"] and "<b>" not in hit["title"]
    # (Meilisearch's tokenizer keeps "<b>loket</b>" as one token, so only "antrean" is marked there.)
    assert hit["title"] == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>antrean</mark> &lt;b&gt;loket&lt;/b&gt;"
    assert "<img" not in hit["snippet"] and "<mark>antrean</mark>" in hit["snippet"]
    page = await client.get("/cari", params={"q": "antrean"})
    assert page.status_code == 200
    assert (
        "<script>alert(1)" not in page.text
        and "&lt;script&gt;alert(1)&lt;/script&gt; <mark>antrean</mark>" in page.text
    )


async def test_sort_orders_and_pages(client: httpx.AsyncClient) -> None:
    author = await person()
    made = [await post(author, **discussion(f"Inovasi arsip nomor {n}")) for n in range(5)]
    await add_reply(author, made[1]["id"], ReplyInput(body="Kami tertarik mereplikasi."), limits=NO_LIMITS)
    await settle()
    newest = await api(client, q="arsip", sort="terbaru", per_page=2)
    assert [hit["id"] for hit in newest["hits"]] == [made[4]["id"], made[3]["id"]]
    assert (newest["total"], newest["total_pages"], newest["page"]) == (5, 3, 1)
    last = await api(client, q="arsip", sort="terbaru", per_page=2, page=3)
    assert [hit["id"] for hit in last["hits"]] == [made[0]["id"]]
    assert (await api(client, q="arsip", sort="balasan"))["hits"][0]["id"] == made[1]["id"]
    assert (await api(client, q="arsip", sort="aktif"))["hits"][0]["id"] == made[1]["id"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "acak"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "dua"}, "page"),
        ({"page": "999"}, "page"),
        ({"per_page": "51"}, "per_page"),
        ({"sector": "luar-angkasa"}, "sector"),
        ({"value": ["akuntabel", "galak"]}, "value"),
        ({"province": "atlantis"}, "province"),
        ({"kind": "gosip"}, "kind"),
        ({"stage": "mimpi"}, "stage"),
        ({"agency": "Bukan Slug!"}, "agency"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_are_rejected_in_indonesian(params: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_search_params(params)
    assert field in caught.value.errors


def test_parameters_accept_repeats_and_indonesian_names() -> None:
    request = parse_search_params({"q": "  ktp   el ", "nilai": ["akuntabel", "adaptif"], "sektor": "kesehatan",
                                   "urut": "terbaru", "halaman": "2"})  # fmt: skip
    assert request.q == "ktp el" and request.sort == "terbaru" and request.page == 2
    assert request.chosen("value") == ("akuntabel", "adaptif") and request.chosen("sector") == ("kesehatan",)


async def test_api_answers_422_with_field_errors(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/search", params={"sort": "acak", "page": "nol"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert {error["field"] for error in response.json()["errors"]} == {"sort", "page"}
    unknown = await client.get("/api/search", params={"agency": "instansi-yang-tidak-ada"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "agency"
    schema = await client.get("/schema/openapi.json")
    assert schema.status_code == 200
    parameters = {p["name"] for p in schema.json()["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "value", "sector", "province", "agency", "kind", "stage", "sort", "page"} <= parameters


async def test_zero_hit_searches_are_recorded(service: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    await post(await person(), **discussion("Layanan perpustakaan keliling"))
    await settle()
    result = await run_search(
        service.client, service.uid, SearchRequest(q="kapal selam", filters={"sector": ("kesehatan",)})
    )
    assert result.total == 0 and not result.degraded
    miss = await SearchMiss.select().first()
    assert miss["query"] == "kapal selam" and '"sector": ["kesehatan"]' in miss["filters"]

    # Recording is a statistic: its failure must not fail the search.
    async def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(SearchMiss, "insert", broken)
    assert (await run_search(service.client, service.uid, SearchRequest(q="kereta gantung"))).total == 0


async def test_search_page_and_htmx_partial(client: httpx.AsyncClient) -> None:
    t = await _places()
    page = await client.get("/cari", params={"q": "antrean", "province": "jawa-tengah"})
    assert page.status_code == 200 and page.headers["vary"] == "HX-Request"
    assert '<input type="search" id="q" name="q" value="antrean"' in page.text
    assert 'hx-trigger="input changed delay:300ms, search"' in page.text
    assert 'id="f-province-jawa-tengah" name="province" value="jawa-tengah" checked' in page.text
    assert 'Jawa Barat <span class="muted">(1)</span>' in page.text
    assert "Provinsi: Jawa Tengah" in page.text  # the removable chip
    assert (
        'Inovasi · <a href="/instansi/dinkes-kota-semarang">Dinkes Kota Semarang</a> · Jawa Tengah · <time' in page.text
    )
    assert f'href="/topik/{t["a"]}/' in page.text and "style=" not in page.text and "<script>" not in page.text
    partial = await client.get("/cari", params={"q": "antrean"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.text and "4 topik" in partial.text
    empty = await client.get("/cari", params={"q": "kapal selam"})
    assert "Belum ada topik yang cocok dengan «kapal selam»" in empty.text
    bad = await client.get("/cari", params={"sector": "luar-angkasa"})
    assert bad.status_code == 422 and "Sektor tidak dikenal" in bad.text


async def test_words_deep_in_a_long_discussion_still_find_it(client: httpx.AsyncClient) -> None:
    """Replies past the snippet part (search.documents.REPLIES_SNIPPET_MAX) are searched just the same."""
    author = await person()
    thread = await post(author, **discussion("Diskusi panjang tentang arsip kelurahan"))
    for number in range(50):
        await add_reply(author, thread["id"], ReplyInput(body=f"Balasan nomor {number}: kami masih menata lemari arsip."), limits=NO_LIMITS)
    await add_reply(author, thread["id"], ReplyInput(body="Akhirnya kami memakai aplikasi srikandi untuk surat."), limits=NO_LIMITS)
    await settle()
    (document,) = await build_documents([thread["id"]])
    assert "srikandi" in document["replies_more"] and "srikandi" not in document["replies"]
    found = await api(client, q="srikandi")
    assert [hit["id"] for hit in found["hits"]] == [thread["id"]]


async def test_a_reply_match_is_the_snippet_and_browsing_shows_the_start(client: httpx.AsyncClient) -> None:
    author = await person()
    thread = await post(author, **discussion("Jadwal piket loket", body="Mohon masukan tentang jadwal piket."))
    await add_reply(author, thread["id"], ReplyInput(body="Kami memakai papan kanban untuk jadwal piket."), limits=NO_LIMITS)
    await settle()
    hit = (await api(client, q="kanban"))["hits"][0]
    assert hit["id"] == thread["id"] and "<mark>kanban</mark>" in hit["snippet"]
    browsed = (await api(client, kind="diskusi"))["hits"][0]
    assert browsed["snippet"] == "Mohon masukan tentang jadwal piket." and "<mark>" not in browsed["title"]


async def test_stems_find_the_root_written_as_a_word(service: Any) -> None:
    """The stemmed field keeps only stems a thread lacks as words; a root the text has is found in the text."""
    author = await person()
    root = await post(author, **discussion("Daftar ulang peserta didik secara daring"))
    await settle()
    assert root["id"] in await ids(service, "mendaftar")
