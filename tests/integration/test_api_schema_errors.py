"""JSON that does not fit the schema names the field and says what it should be (RFC 9457 problem+json)."""

from __future__ import annotations

import httpx

from tests.support.factories import make_user, token_for


async def test_schema_errors_name_the_field(client: httpx.AsyncClient) -> None:
    headers = {"Authorization": f"Bearer {await token_for(await make_user('ani@x.go.id'))}"}
    cases = [
        ({}, "kind", "Wajib diisi."),
        ({"kind": "inovasi", "title": 5, "body": "x", "sector": "s", "values": []}, "title", "Harus berupa teks."),
        ([1], "body", "Harus berupa objek JSON."),
    ]
    for body, field, message in cases:
        response = await client.post("/api/threads", json=body, headers=headers)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert {"field": field, "message": message} in response.json()["errors"], (body, response.json())
