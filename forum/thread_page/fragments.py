"""A thread page's replies, each rendered once and reused while nothing it shows has changed.

Rendering 50 replies was most of a thread page's cost (their forms and macros, not the database). A reply's HTML
depends only on the values ``reply_article`` passes to ``threads/_reply.html``: the reply's own fields, the
viewer's flags for it (``can.*``), its appreciation tally and the thread's solution. Those values are the key
(forum.web.fragments), so an edit, a new appreciation or another viewer's flags make another key and a stale
reply cannot be served. The template sees nothing else (no request, no viewer: a test checks the names it
reads), so a moderator's buttons cannot reach a member through the memo.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from forum.web.fragments import CSRF_PLACEHOLDER, FragmentMemo, fill_csrf

TEMPLATE = "threads/_reply.html"
# What the fragment may read of a reply (list_replies' fields) and of its flags (thread_page.page).
REPLY_FIELDS = ("id", "status", "hidden_reason", "author_id", "author_name", "author_verified_at", "agency_slug",
                "agency_name", "created_at", "edited_at", "body_html")  # fmt: skip
FLAGS = ("edit", "respond", "mark_solution", "moderate", "act")
# Every name the template may use besides the environment's fixed globals and filters.
PASSED = ("reply", "tally", "solution_post", "thread_id", "csrf_input")

_MEMO = FragmentMemo()


@pass_context
def reply_article(context: Any, reply: dict[str, Any]) -> Markup:
    """Jinja global for ``threads/detail.html``: one reply's ``<article>``, from the memo when it can be."""
    thread = context["thread"]
    appreciation = context.get("appreciation")
    tally = appreciation.post(reply["id"]) if appreciation is not None else None
    fields = tuple(reply.get(name) for name in REPLY_FIELDS)
    flags = tuple(bool(reply["can"][flag]) for flag in FLAGS)
    counted = None if tally is None else (tally.count, tally.mine)
    env = context.environment

    def render() -> str:
        return env.get_template(TEMPLATE).render(
            reply={**dict(zip(REPLY_FIELDS, fields, strict=True)), "can": dict(zip(FLAGS, flags, strict=True))},
            tally=None if counted is None else {"count": counted[0], "mine": counted[1]},
            thread_id=thread["id"],
            solution_post=thread["solution_post"],
            csrf_input=Markup(CSRF_PLACEHOLDER),
        )

    key = (env, fields, flags, counted, thread["id"], thread["solution_post"])
    return fill_csrf(_MEMO.get(key, render), context.get("csrf_input"))


def template_globals() -> dict[str, Any]:
    return {"reply_article": reply_article}
