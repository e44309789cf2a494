"""A thread's card in every list (topics, home, agencies, sectors, values, profiles), rendered once per distinct
set of the fields it shows and reused (forum.web.fragments): twenty cards were most of a list page's cost. The
card shows nothing that depends on who reads it, and its template reads only ``thread`` (a test checks)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, pass_environment
from markupsafe import Markup

from forum.web.fragments import FragmentMemo

TEMPLATE = "threads/_card.html"
FIELDS = ("url", "title", "is_featured", "solution_post", "agency_slug", "agency_name", "province", "author_id",
          "author_name", "created_at", "reply_count", "kind", "sector")  # fmt: skip

_MEMO = FragmentMemo()


@pass_environment
def thread_card(env: Environment, thread: dict[str, Any]) -> Markup:
    fields = tuple(thread.get(name) for name in FIELDS)
    values = tuple(thread.get("values") or ())

    def render() -> str:
        return env.get_template(TEMPLATE).render(thread={**dict(zip(FIELDS, fields, strict=True)), "values": values})

    return Markup(_MEMO.get((env, fields, values), render))


def template_globals() -> dict[str, Any]:
    return {"thread_card": thread_card}
