"""Helpers for the search tests: content with chosen places and words, and waiting for the index."""

from __future__ import annotations

from typing import Any

import anyio
import httpx

from forum.accounts.service import Registration, load_current_user, register_user
from forum.agencies.service import find_agency_by_name
from forum.core.clock import now
from forum.core.identity import CurrentUser
from forum.core.tables import SearchOutbox, User
from search.query import SearchRequest, run_search
from tests.support.factories import PASSWORD, make_thread

_people = 0


async def person(agency: str = "Disdukcapil Kabupaten Sleman", province: str = "di-yogyakarta",
                 kind: str = "pemkab") -> CurrentUser:  # fmt: skip
    """A fresh, verified user (address confirmed) in ``agency`` (created in ``province`` if it is new). Verified members skip the
    new-member review queue, so their threads are published at once (only published threads are searchable)."""
    global _people
    _people += 1
    existing = await find_agency_by_name(agency)
    user = await register_user(Registration.pick({
        "email": f"orang{_people}@uji.go.id", "password": PASSWORD, "display_name": f"Orang Uji {_people}",
        "agency_id": existing["id"] if existing else None, "agency_name": agency, "agency_kind": kind,
        "agency_province": province, "consent": "1",
    }))  # fmt: skip
    await User.update({User.verified_at: now(), User.email_confirmed_at: now()}).where(User.id == user.id)
    verified = await load_current_user(user.id)
    assert verified is not None and verified.is_trusted
    return verified


def discussion(
    title: str, body: str = "Mohon masukan rekan-rekan tentang hal ini, terima kasih.", **extra: Any
) -> dict[str, Any]:
    """Fields for a non-case thread (no case fields), as create_thread takes them."""
    return {"kind": "diskusi", "title": title, "body": body, "sector": "kesehatan", "values": ["kolaboratif"],
            "problem": None, "solution": None, "results": None, "stage": None, "start_year": None,
            "is_digital": None, **extra}  # fmt: skip


async def post(author: CurrentUser, **fields: Any) -> dict[str, Any]:
    return await make_thread(author, **fields)


async def pending() -> int:
    return await SearchOutbox.count().where(SearchOutbox.done_at.is_null())


async def settle(timeout: float = 20.0) -> None:
    """Wait until the app's worker has sent every outbox row and Meilisearch has applied them."""
    with anyio.fail_after(timeout):
        while await pending():
            await anyio.sleep(0.05)


async def api(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def ids(service: Any, q: str = "", **filters: Any) -> list[int]:
    result = await run_search(service.client, service.uid, SearchRequest(q=q, filters=filters))
    assert not result.degraded
    return [hit["id"] for hit in result.hits]
