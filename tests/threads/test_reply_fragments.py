"""Replies rendered once and reused (forum.thread_page.fragments): the reused HTML is always what this viewer
would have been shown, because the fragment reads nothing but the values that key it."""

from __future__ import annotations

from pathlib import Path

import httpx
from jinja2 import Environment, FileSystemLoader, meta, nodes

from forum.collaboration.appreciation import appreciate
from forum.core.settings import PROJECT_ROOT
from forum.posting.service import ReplyInput, add_reply, edit_post
from forum.thread_page import fragments
from forum.threads import cards
from forum.web import templating
from forum.web.flood import NO_LIMITS
from forum.web.fragments import CSRF_PLACEHOLDER
from tests.support.factories import csrf_from, login, make_thread, make_user

TEMPLATES = Path(PROJECT_ROOT) / "templates"
# Fixed for every request: the URL builder and the flag reasons. Anything that reads the request (viewer(),
# site_can(), csrf_token()) would make one viewer's fragment another's.
STATIC_GLOBALS = {"urls", "flag_reasons"}


def _names_read(env: Environment, name: str) -> set[str]:
    tree = env.parse((TEMPLATES / name).read_text(encoding="utf-8"))
    assigned = {node.name for node in tree.find_all(nodes.Name) if node.ctx == "store"}  # {% set %} inside an if
    return set(meta.find_undeclared_variables(tree)) - assigned


def _read_with_imports(template: str) -> set[str]:
    env = Environment(loader=FileSystemLoader(TEMPLATES))
    templating.configure(env)  # its filters
    env.globals.clear()  # a global counts as declared: without them, every name the templates read is listed
    tree = env.parse((TEMPLATES / template).read_text("utf-8"))
    read = _names_read(env, template)
    imported_names = {alias for node in tree.find_all(nodes.FromImport) for name in node.names
                      for alias in ([name[1]] if isinstance(name, tuple) else [name])}  # fmt: skip
    for imported in meta.find_referenced_templates(tree):
        read |= _names_read(env, imported)  # macros imported "with context" see the fragment's names
    return read - imported_names


def test_the_fragment_and_its_macros_read_only_the_keyed_values() -> None:
    read = _read_with_imports(fragments.TEMPLATE)
    assert read <= set(fragments.PASSED) | STATIC_GLOBALS, read - set(fragments.PASSED) - STATIC_GLOBALS


def test_a_thread_card_reads_only_the_thread() -> None:
    labels = {"kind_label", "sector_label", "value_label", "province_label", "thread_card"}  # fixed globals
    read = _read_with_imports(cards.TEMPLATE)
    assert read <= {"thread", "urls"} | labels, read - {"thread", "urls"} - labels


async def test_a_moderator_s_reply_actions_never_reach_a_member(client: httpx.AsyncClient,
                                                               other_client: httpx.AsyncClient) -> None:  # fmt: skip
    author = await make_user("penulis@contoh.go.id")
    await make_user("moderator@contoh.go.id", role="moderator")
    await make_user("anggota@contoh.go.id", agency="Dinas Lain")
    thread = await make_thread(author)
    await add_reply(author, thread["id"], ReplyInput(body="Balasan yang dilihat dua orang"), limits=NO_LIMITS)
    await login(client, "moderator@contoh.go.id")
    await login(other_client, "anggota@contoh.go.id")

    for _ in range(2):  # the second round is served from the memo
        as_moderator = (await client.get(thread["url"])).text
        as_member = (await other_client.get(thread["url"])).text
        assert "Sembunyikan balasan" in as_moderator
        assert "Sembunyikan balasan" not in as_member and "Balasan yang dilihat dua orang" in as_member
        # Each page carries its own session's CSRF token in the reply's forms, never the placeholder.
        assert csrf_from(client) in as_moderator and csrf_from(other_client) in as_member
        assert csrf_from(client) not in as_member
        assert CSRF_PLACEHOLDER not in as_moderator + as_member


async def test_an_edit_and_an_appreciation_show_at_once(client: httpx.AsyncClient) -> None:
    author = await make_user("penulis@contoh.go.id")
    reader = await make_user("pembaca@contoh.go.id", agency="Dinas Lain")
    thread = await make_thread(author)
    reply = await add_reply(author, thread["id"], ReplyInput(body="Versi pertama balasan"), limits=NO_LIMITS)
    await login(client, "pembaca@contoh.go.id")
    assert "Versi pertama balasan" in (await client.get(thread["url"])).text

    await edit_post(author, reply["id"], ReplyInput(body="Versi kedua balasan"), 1)
    await appreciate(reader, "post", reply["id"])
    page = (await client.get(thread["url"])).text
    assert "Versi kedua balasan" in page and "Versi pertama balasan" not in page
    assert 'aria-pressed="true"' in page and ">1 apresiasi<" in page


def test_a_placeholder_typed_into_a_reply_stays_text() -> None:
    # The placeholder starts with "<" and holds a NUL: escaping and sanitising turn any typed copy into
    # something else, so only the fragment's own CSRF fields are filled in.
    from forum.core.markup import render

    html = render("kata " + CSRF_PLACEHOLDER + " kata")
    assert CSRF_PLACEHOLDER not in html
