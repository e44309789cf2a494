"""HEAD works wherever GET does (link checkers and uptime monitors use it), with the GET's headers and no body."""

from __future__ import annotations

import httpx

from tests.support.factories import make_thread, make_user


async def test_head_answers_like_get_without_a_body(client: httpx.AsyncClient) -> None:
    thread = await make_thread(await make_user("ani@sleman.go.id"))
    for path in ["/", thread["url"], "/api/threads", "/healthz"]:
        get = await client.get(path)
        head = await client.head(path)
        assert (head.status_code, head.content) == (get.status_code, b""), path
        assert head.headers["content-type"] == get.headers["content-type"], path
        assert head.headers.get("content-security-policy") == get.headers.get("content-security-policy"), path
    assert (await client.head("/tidak-ada")).status_code == 404
    assert (await client.head("/topik/999999/apa-saja")).status_code == 404
