from __future__ import annotations

import httpx

from forum.core import taxonomy


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"


async def test_taxonomies_api(client: httpx.AsyncClient) -> None:
    body = (await client.get("/api/taxonomies")).json()
    assert [v["label"] for v in body["values"]] == [
        "Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"]  # fmt: skip
    assert all(len(v["guidelines"]) == 3 for v in body["values"])
    assert len(body["sectors"]) == 33 and len(body["provinces"]) == 38
    assert {s["slug"] for s in body["sectors"]} == set(taxonomy.SECTOR_BY_SLUG)


async def test_openapi_schema_lists_the_api(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    for path in ("/api/threads", "/api/threads/{thread_id}", "/api/threads/{thread_id}/posts", "/api/posts/{post_id}",
                 "/api/agencies", "/api/taxonomies"):  # fmt: skip
        assert path in schema["paths"], path
    assert not any(path.startswith("/topik") for path in schema["paths"])  # pages stay out of the API docs


async def test_unknown_page_and_api_route(client: httpx.AsyncClient) -> None:
    page = await client.get("/tidak-ada")
    assert page.status_code == 404 and "Tidak ditemukan" in page.text
    api = await client.get("/api/tidak-ada")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/problem+json")
    assert api.json()["detail"].startswith("Halaman atau data")


async def test_method_not_allowed_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.delete("/api/taxonomies", headers={"Authorization": "Bearer sng_x"})
    assert response.status_code in (401, 405)


async def test_agencies_api(client: httpx.AsyncClient) -> None:
    from tests.support.factories import make_user, token_for

    user = await make_user("ani@x.go.id")
    auth = {"Authorization": f"Bearer {await token_for(user)}"}
    created = await client.post(
        "/api/agencies", json={"name": "Dinas Perpustakaan Kota Malang", "kind": "pemkot", "province": "jawa-timur"},
        headers=auth,
    )
    assert created.status_code == 201 and created.json()["slug"] == "dinas-perpustakaan-kota-malang"
    duplicate = await client.post(
        "/api/agencies", json={"name": "Dinas Perpustakaan Kota Malang", "kind": "pemkot", "province": "jawa-timur"},
        headers=auth,
    )
    assert duplicate.status_code == 422
    bad = await client.post("/api/agencies", json={"name": "X", "kind": "planet", "province": "mars"}, headers=auth)
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"name", "kind", "province"}
    listed = (await client.get("/api/agencies")).json()
    assert {a["name"] for a in listed} == {"Dinas Perpustakaan Kota Malang", user.agency_name}


async def test_unexpected_errors_are_a_friendly_500_without_details(app, client: httpx.AsyncClient) -> None:
    from litestar import get

    @get("/api/rusak", sync_to_thread=False)
    def broken_api() -> None:
        raise RuntimeError("secret internals")

    @get("/rusak", sync_to_thread=False)
    def broken_page() -> None:
        raise RuntimeError("secret internals")

    app.register(broken_api)
    app.register(broken_page)
    page = await client.get("/rusak")
    assert page.status_code == 500 and "Terjadi kesalahan" in page.text and "secret internals" not in page.text
    api = await client.get("/api/rusak")
    assert api.status_code == 500 and api.headers["content-type"].startswith("application/problem+json")
    assert "secret internals" not in api.text


async def test_oversized_request_is_413(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/threads", content=b"x" * (3 * 1024 * 1024),
                                 headers={"Authorization": "Bearer sng_x", "Content-Type": "application/json"})  # fmt: skip
    assert response.status_code in (401, 413)


async def test_ids_beyond_the_database_range_are_404(client: httpx.AsyncClient) -> None:
    huge = "99999999999999999999"
    page = await client.get(f"/topik/{huge}")
    assert page.status_code == 404 and "Tidak ditemukan" in page.text
    api = await client.get(f"/api/threads/{huge}")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/problem+json")
