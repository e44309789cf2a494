"""Every address comes from forum.core.urls, and every address it builds reaches a route of the app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.exceptions import MethodNotAllowedException, NotFoundException

from forum.core import urls

ROOT = Path(__file__).resolve().parents[2]


def _built() -> list[str]:
    built = [
        urls.thread_url(1, "slug"),
        urls.thread_short_url(1),
        urls.threads_url(),
        urls.threads_url(jenis="inovasi"),
        urls.new_thread_url(),
        urls.new_thread_url("permasalahan"),
        urls.post_url(1),
        urls.user_url(1),
        urls.appreciation_url("thread", 1),
        urls.appreciation_url("post", 1),
    ]
    built += [urls.thread_action_url(1, action) for action in sorted(urls.THREAD_ACTIONS)]
    built += [urls.post_action_url(1, action) for action in sorted(urls.POST_ACTIONS)]
    built += [urls.user_action_url(1, action) for action in sorted(urls.USER_ACTIONS)]
    return built


def _route_of(app: Litestar, address: str) -> str:
    """The path template of the route an address reaches ("" when none does)."""
    try:
        *_, template = app.asgi_router.handle_routing(path=address.split("?")[0].split("#")[0], method="GET")
    except MethodNotAllowedException:
        return "(a route of other methods)"  # not the catch-all: that one answers GET
    except NotFoundException:
        return ""
    return template


async def test_every_built_address_reaches_its_own_route(app: Litestar) -> None:
    """Not just any route: an action must not fall through to the thread page's ``{slug}`` catch-all."""
    catch_all = "/topik/{thread_id}/{slug}"
    assert _route_of(app, urls.thread_url(1, "slug")) == catch_all
    assert _route_of(app, "/topik/1/tidak-ada") == catch_all  # what a mistyped action would reach
    misrouted = [built for built in _built()[1:] if _route_of(app, built) in ("", catch_all)]
    assert misrouted == []


def test_unknown_actions_are_refused_not_built() -> None:
    with pytest.raises(ValueError):
        urls.thread_action_url(1, "hapus-semua")
    with pytest.raises(ValueError):
        urls.post_action_url(1, "pilih")


HAND_BUILT_PY = re.compile(r"""f["'](/topik|/balasan/|/pengguna/)""")
HAND_BUILT_HTML = re.compile(r"""["'](/topik|/balasan/|/pengguna/)""")


def test_no_address_is_written_by_hand() -> None:
    offenders = []
    for path in sorted((ROOT / "forum").rglob("*.py")) + sorted((ROOT / "search").rglob("*.py")):
        if path.name == "urls.py" and path.parent.name == "core":
            continue
        offenders += [f"{path.relative_to(ROOT)}:{n}" for n, line in enumerate(path.read_text().splitlines(), 1)
                      if HAND_BUILT_PY.search(line)]  # fmt: skip
    for path in sorted((ROOT / "templates").rglob("*.html")):
        offenders += [f"{path.relative_to(ROOT)}:{n}" for n, line in enumerate(path.read_text().splitlines(), 1)
                      if HAND_BUILT_HTML.search(line)]  # fmt: skip
    assert offenders == []
