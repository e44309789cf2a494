"""Test set-up. The environment is fixed before anything imports the app, then every test gets a fresh app
(its lifespan run on the test's own event loop) and an httpx client talking to it in-process.

SINERGI_TEST_DB=sqlite|postgres picks the engine; `make test` runs the suite once with each.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="sinergi-test-"))
_ENGINE = os.environ.get("SINERGI_TEST_DB", "sqlite")
os.environ.update(
    {
        "SINERGI_ENV": "test",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SINERGI_DATA_DIR": str(_TMP),
        "LOG_LEVEL": "WARNING",
        "LOGIN_MAX_PER_ACCOUNT": "5",
        "LOGIN_MAX_PER_IP": "20",
        "POST_MIN_INTERVAL_SECONDS": "0",  # flood-control tests switch it on for their own app
    }
)
os.environ.pop("REDIS_URL", None)
os.environ.pop("MEILI_URL", None)
if _ENGINE == "postgres":
    os.environ["DATABASE_URL"] = os.environ.get(
        "TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/sinergi_test"
    )
else:
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(_TMP / "test.sqlite3")

from collections.abc import AsyncIterator, Iterator  # noqa: E402

import anyio  # noqa: E402
import httpx  # noqa: E402
import pytest  # noqa: E402

from tests.support import database  # noqa: E402

# The browser tests run in a pytest process of their own (`make test-browser`): Playwright's sync API cannot
# share a thread with the event loop the other tests run on.
collect_ignore = [] if os.environ.get("SINERGI_BROWSER_TESTS") == "1" else ["browser"]

pytest_plugins = ["tests.support.mailbox"]  # the loopback SMTP sink fixture, ``mailbox``


def pytest_configure(config: pytest.Config) -> None:
    from forum import listeners

    listeners.connect()  # as create_app and the CLI do: tests call services directly too
    anyio.run(database.create_database_and_migrate)


def pytest_report_header(config: pytest.Config) -> str:
    return f"sinergi test database: {_ENGINE}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    import inspect

    for item in items:
        function = getattr(item, "function", None)
        if function is not None and inspect.iscoroutinefunction(function):
            item.add_marker(pytest.mark.anyio)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _settings_restored() -> Iterator[None]:
    """create_app(settings) makes its settings the process's: a test's own app must not leave them behind."""
    from forum.core.settings import get_settings, use_settings

    previous = get_settings()
    yield
    use_settings(previous)


@pytest.fixture
async def app() -> AsyncIterator[object]:
    from forum.app import create_app

    application = create_app()
    try:
        async with application.lifespan():
            yield application
    finally:
        # Emptied only once the lifespan has stopped the background workers: a TRUNCATE racing the outbox
        # worker's reads deadlocked on PostgreSQL (they take the same tables' locks in another order).
        await database.wipe()


@pytest.fixture
async def client(app: object) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def other_client(app: object) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser (its own cookies) for a second person."""
    transport = httpx.ASGITransport(app=app, client=("127.0.0.2", 50001))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
