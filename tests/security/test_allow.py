"""`Allow` lists exactly the methods a path answers, on OPTIONS and on 405 (RFC 9110 §10.2.1, §15.5.6)."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.anyio


async def test_options_lists_every_method_of_the_path(client: httpx.AsyncClient) -> None:
    # Litestar answered "GET, OPTIONS" here: the list of the first route object built for the path.
    response = await client.options("/api/threads/1")
    assert response.status_code == 204
    assert response.headers["allow"] == "DELETE, GET, HEAD, OPTIONS, PATCH"
    response = await client.options("/api/agencies")
    assert response.headers["allow"] == "GET, HEAD, OPTIONS, POST"


async def test_method_not_allowed_says_what_is(client: httpx.AsyncClient) -> None:
    response = await client.request("TRACE", "/api/agencies")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, OPTIONS, POST"
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_every_api_operation_documents_its_problems(app: object) -> None:
    operations = app.openapi_schema.to_schema()["paths"]  # type: ignore[attr-defined]
    for path, item in operations.items():
        for method, operation in item.items():
            if method not in {"get", "post", "patch", "delete", "put"}:
                continue
            responses = operation["responses"]
            assert {"400", "404", "422", "503"} <= set(responses), f"{method} {path}"
            assert "application/problem+json" in responses["404"]["content"], f"{method} {path}"
            if method != "get":
                assert {"401", "403", "409", "429"} <= set(responses), f"{method} {path}"
