"""Schemathesis over the published OpenAPI document, against the real server on loopback.

The app runs under uvicorn in a subprocess (on this run's test database), with a small world: a member and an
admin with API tokens, a thread with a reply. Every operation gets a bounded number of generated requests as the
member and again as the admin, and every Schemathesis check runs on each answer: no server error, and the answer
is one the schema documents (status, content type, headers, body).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig

from tests.support import database
from tests.support.factories import make_thread, make_user, token_for

MAX_EXAMPLES = int(os.environ.get("SINERGI_CONTRACT_EXAMPLES", "12"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _world() -> dict[str, str]:
    from forum.posting.service import ReplyInput, add_reply
    from forum.web.flood import NO_LIMITS

    member = await make_user("anggota@sleman.go.id")
    admin = await make_user("admin@menpan.go.id", role="admin", agency="Kementerian PANRB")
    thread = await make_thread(member)
    await add_reply(admin, thread["id"], ReplyInput(body="Balasan pertama untuk uji kontrak."), limits=NO_LIMITS)
    return {"member": await token_for(member), "admin": await token_for(admin)}


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, Any]]:
    tokens = anyio.run(_world)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "forum.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--no-proxy-headers", "--log-level", "warning"],  # fmt: skip
        env={**os.environ, "LOGIN_MAX_PER_IP": "100000"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, "the server stopped while starting"
            assert time.monotonic() < deadline, "the server did not start within 30 s"
            time.sleep(0.1)
        yield {"base": base, "tokens": tokens}
    finally:
        process.terminate()
        process.wait(timeout=15)
        anyio.run(database.wipe)


def _published_schema() -> dict[str, Any]:
    """The document /schema/openapi.json serves (test_served_schema_is_the_one_tested checks it is)."""
    from forum.app import create_app

    return create_app().openapi_schema.to_schema()


# Every built-in check runs. One is told what this API answers: a request the schema allows may still break a
# rule only the domain knows (an innovation case needs its case fields, a due date lies ahead, a cursor is one
# the server issued, a step fits the replication's state). Those are 422 with the field named, so 422 counts as
# an answer to schema-valid data; 400 does not (it would mean the schema and the parser disagree), nor 500.
CONFIG = SchemathesisConfig.from_str("""
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
""")
schema = schemathesis.openapi.from_dict(_published_schema(), config=CONFIG)


def test_served_schema_is_the_one_tested(server: dict[str, Any]) -> None:
    served = httpx.get(f"{server['base']}/schema/openapi.json", timeout=10).json()
    assert served == schema.raw_schema


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
def test_api_matches_its_schema(case: Any, server: dict[str, Any]) -> None:
    for persona in ("member", "admin"):
        token = server["tokens"][persona]
        case.call_and_validate(base_url=server["base"], headers={"Authorization": f"Bearer {token}"})
