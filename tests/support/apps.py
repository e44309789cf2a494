"""An app with some settings changed, and a client talking to it (for tests that switch a feature on)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from forum.core.settings import get_settings, use_settings
from tests.support.database import wipe


@asynccontextmanager
async def client_with(client_address: str = "127.0.0.1", **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    from forum.app import create_app

    previous = get_settings()
    app = create_app(dataclasses.replace(previous, **overrides))  # which makes them the process's settings
    try:
        async with app.lifespan():
            transport = httpx.ASGITransport(app=app, client=(client_address, 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                yield client
    finally:
        await wipe()  # once the background workers have stopped
        use_settings(previous)
