"""Search tests: one real Meilisearch for the session, and an app wired to it with its own index per test.

The fixtures add the search lifespan and routes to the app when ``create_app`` does not wire them yet, so the
suite runs before and after that wiring lands.
"""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from litestar import Litestar

from forum.core.settings import Settings, get_settings
from search import server
from tests.support import database

MASTER_KEY = "sinergi-test-master-key-0123456789"


@pytest.fixture(scope="session")
def meili() -> Iterator[server.LocalMeilisearch]:
    instance = server.start(master_key=MASTER_KEY)
    try:
        yield instance
    finally:
        instance.stop()


def settings_for(url: str | None, key: str | None = MASTER_KEY) -> Settings:
    return dataclasses.replace(get_settings(), meili_url=url, meili_key=key, meili_index=f"t{uuid.uuid4().hex[:16]}")


@pytest.fixture
def search_settings(meili: server.LocalMeilisearch) -> Settings:
    return settings_for(meili.url)


def _is_wired(app: Litestar) -> bool:
    return any(getattr(route, "path", None) == "/cari" for route in app.routes)


@contextlib.asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[Litestar]:
    """The app as production runs it, with search wired in, its lifespan running; the database wiped after."""
    from forum.app import create_app
    from search.routes import route_handlers
    from search.service import search_lifespan

    application = create_app(settings)
    if not _is_wired(application):
        for handler in route_handlers:
            application.register(handler)
    try:
        async with application.lifespan(), contextlib.AsyncExitStack() as stack:
            if not hasattr(application.state, "search"):
                await stack.enter_async_context(search_lifespan(application))
            yield application
    finally:
        await database.wipe()  # after the outbox worker stopped: a TRUNCATE racing its reads can deadlock


@pytest.fixture
async def app(search_settings: Settings, meili: server.LocalMeilisearch) -> AsyncIterator[Litestar]:
    """Overrides the suite's ``app``: search configured against the session's Meilisearch."""
    async with running_app(search_settings) as application:
        yield application
    # Leave the shared instance as we found it.
    from meilisearch_python_sdk import AsyncClient

    async with AsyncClient(meili.url, MASTER_KEY, custom_headers={"Accept-Encoding": "identity"}) as admin:
        with contextlib.suppress(Exception):
            await admin.delete_index_if_exists(search_settings.meili_index)


@pytest.fixture
def service(app: Litestar) -> Any:
    from search.service import search_service

    found = search_service(app)
    assert found is not None
    return found


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
