"""The Meilisearch client, and the few task helpers every writer needs.

Only ``search/`` talks to Meilisearch; the forum writes outbox rows and never waits on the engine.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import httpx2
from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchError,
    MeilisearchTimeoutError,
)
from meilisearch_python_sdk.models.task import TaskResult

from forum.core.settings import Settings

# The SDK's HTTP client logs every request at INFO: a line per search and per outbox poll of a task.
logging.getLogger("httpx2").setLevel(logging.WARNING)

# Seconds before a request to Meilisearch gives up. Indexing batches can be a few MB, so this is generous;
# searches in a user's request pass their own, much shorter timeout (see search.query).
CLIENT_TIMEOUT_SECONDS = 15

# Any of these means "Meilisearch is not answering properly right now": callers retry later or degrade.
UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    MeilisearchError,  # includes communication, timeout and API errors
    httpx2.HTTPError,  # read timeouts and dropped connections are not wrapped by the SDK
    OSError,
)


class TaskFailed(RuntimeError):
    """A Meilisearch task finished with status "failed" (or was cancelled)."""


def create_client(settings: Settings) -> AsyncClient | None:
    """A client for the configured instance, or None when search is not configured (MEILI_URL unset)."""
    if not settings.meili_url:
        return None
    # With the SDK's default headers every response over ~1 KB took ~44 ms instead of ~1 ms here (gzip plus a
    # chunked reply stalling on a reused connection; see STACK-NOTES). Asking for identity encoding avoids it.
    return AsyncClient(
        settings.meili_url,
        settings.meili_key,
        timeout=CLIENT_TIMEOUT_SECONDS,
        custom_headers={"Accept-Encoding": "identity"},
    )


async def wait_for_task(client: AsyncClient, task_uid: int, timeout_seconds: float = 60.0) -> TaskResult:
    """Wait until Meilisearch has processed a task; raise TaskFailed unless it succeeded."""
    result = await client.wait_for_task(task_uid, timeout_in_ms=int(timeout_seconds * 1000), interval_in_ms=20)
    if result.status != "succeeded":
        detail = (result.error or {}).get("message", result.status)
        raise TaskFailed(f"Meilisearch task {task_uid} ({result.task_type}) {result.status}: {detail}")
    return result


async def wait_for_tasks(client: AsyncClient, task_uids: Iterable[int], timeout_seconds: float = 120.0) -> None:
    """Wait for several tasks, in order (Meilisearch processes one index's tasks in the order they came)."""
    for task_uid in task_uids:
        await wait_for_task(client, task_uid, timeout_seconds)


async def index_exists(client: AsyncClient, uid: str) -> bool:
    return await client.get_raw_index(uid) is not None


def is_index_not_found(exc: BaseException) -> bool:
    return isinstance(exc, MeilisearchApiError) and exc.code == "index_not_found"


def describe_error(exc: BaseException) -> str:
    """A short, log- and column-friendly description of a failure."""
    if isinstance(exc, (MeilisearchCommunicationError, MeilisearchTimeoutError, httpx2.HTTPError, OSError)):
        return f"Meilisearch tidak dapat dihubungi: {type(exc).__name__}: {exc}"[:500]
    return f"{type(exc).__name__}: {exc}"[:500]
