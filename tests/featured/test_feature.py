"""Featuring a thread that does not exist is a 404, whatever else is wrong with the note."""

from __future__ import annotations

import httpx

from tests.support.factories import make_user, token_for


async def test_featuring_a_missing_thread_is_not_found(client: httpx.AsyncClient) -> None:
    moderator = await make_user("mod@x.go.id", role="moderator", agency="Kementerian PANRB")
    headers = {"Authorization": f"Bearer {await token_for(moderator)}"}
    for body in ({"note": "Catatan kurator yang cukup panjang untuk lolos."}, {"note": "pendek"}):
        response = await client.post("/api/threads/999999/feature", json=body, headers=headers)
        assert response.status_code == 404, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
