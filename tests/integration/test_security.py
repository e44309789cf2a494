from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx

from forum.core.tables import Post, Thread
from tests.support.factories import VALID_THREAD, login, make_thread, make_user, post_form, token_for
from tests.support.xss import PAYLOADS

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "form", "input", "button", "meta", "base", "style",
                  "svg", "math", "details", "body", "link", "frame", "frameset", "textarea", "select"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


class _InertChecker(HTMLParser):
    """Parses HTML as a browser would and collects every live element or attribute that could run script."""

    def __init__(self, allowed_tags: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS and tag not in self.allowed_tags:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and value is not None:
                squashed = "".join(value.split()).lower()  # browsers ignore whitespace and case in schemes
                if squashed.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value[:40]}>")

    handle_startendtag = handle_starttag


# Our own page chrome has filter and reply forms; user content never may (the stored HTML is checked strictly).
OWN_FORM_TAGS = frozenset({"form", "select", "button", "input", "textarea"})
# The thread list folds its filter form in a <details> sheet on phones.
OWN_LIST_TAGS = OWN_FORM_TAGS | {"details"}


def assert_inert(html: str, where: str, allowed_tags: frozenset[str] = frozenset()) -> None:
    checker = _InertChecker(allowed_tags)
    checker.feed(html)
    checker.close()
    assert checker.problems == [], f"{where}: live markup {checker.problems}"


def app_html(page: str) -> str:
    """The part of a served page that user content can reach (our own <script src> tags are in <head>)."""
    return page.split('id="konten"', 1)[1]


async def test_xss_payloads_are_inert_in_stored_and_served_html(client: httpx.AsyncClient) -> None:
    assert len(PAYLOADS) >= 20
    author = await make_user("ani@x.go.id")
    auth = {"Authorization": f"Bearer {await token_for(author)}"}
    for index, payload in enumerate(PAYLOADS):
        thread = await make_thread(
            author,
            title=f"Uji {index} {payload}"[:200],
            body=f"Isi uji keamanan {payload}\n\n{payload}",
            problem=payload,
            solution=f"* {payload}",
            results=f"> {payload}",
        )
        reply = await client.post(f"/api/threads/{thread['id']}/posts", json={"body": payload}, headers=auth)
        assert reply.status_code == 201
    stored = await Thread.select(Thread.body_html, Thread.problem_html, Thread.solution_html, Thread.results_html)
    for row in stored:
        for column, html in row.items():
            assert_inert(html, f"stored thread {column}")
    for row in await Post.select(Post.body_html):
        assert_inert(row["body_html"], "stored post")
    for thread in await Thread.select(Thread.id, Thread.slug):
        page = await client.get(f"/topik/{thread['id']}/{thread['slug']}")
        assert page.status_code == 200
        assert_inert(app_html(page.text), f"served thread {thread['id']}", OWN_FORM_TAGS)
    listing = await client.get("/topik")
    assert_inert(app_html(listing.text), "thread list", OWN_LIST_TAGS)
    home = await client.get("/")
    assert_inert(app_html(home.text), "home", OWN_FORM_TAGS)


async def test_links_in_user_content_are_nofollow(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    thread = await make_thread(author, body="Panduan lengkap di https://example.go.id/panduan dan [di sini](https://a.go.id).")
    page = await client.get(thread["url"])
    links = re.findall(r'<a href="https://[^"]+"[^>]*>', page.text)
    assert len(links) == 2
    assert all('rel="nofollow ugc noopener"' in link for link in links)


async def test_csrf_is_required_for_cookie_authenticated_writes(client: httpx.AsyncClient) -> None:
    await make_user("ani@x.go.id", name="Ani Lestari")
    await login(client, "ani@x.go.id")
    form = {key: str(value) for key, value in VALID_THREAD.items() if key != "values"}
    no_token = await client.post("/topik/baru", data=form)
    assert no_token.status_code == 403 and "CSRF" in no_token.text
    assert "Ani Lestari" in no_token.text  # the error page still knows who is signed in
    api = await client.post("/api/threads", json=VALID_THREAD)
    assert api.status_code == 403 and api.headers["content-type"].startswith("application/problem+json")
    forged = await client.post("/api/threads", json=VALID_THREAD, headers={"x-csrftoken": "0" * 128})
    assert forged.status_code == 403
    assert await Thread.count() == 0


async def test_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "referrer-policy" in response.headers
    # No inline <script> anywhere in our own pages: every script has a src.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.text) == []
    schema = await client.get("/schema")
    assert schema.status_code == 200
    assert "script-src 'self'" in schema.headers["content-security-policy"]
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", schema.text) == []


async def test_anonymous_visitors_can_read_but_not_write(client: httpx.AsyncClient) -> None:
    author = await make_user("ani@x.go.id")
    thread = await make_thread(author)
    for path in ("/", "/topik", thread["url"], "/instansi", "/nilai/kolaboratif", "/api/threads", "/schema"):
        assert (await client.get(path)).status_code == 200, path
    new_form = await client.get("/topik/baru")
    assert new_form.status_code == 302 and new_form.headers["location"] == "/masuk?next=/topik/baru"
    reply = await post_form(client, f"/topik/{thread['id']}/balas", {"body": "Halo semua"})
    assert reply.status_code == 302 and reply.headers["location"].startswith("/masuk")
    assert await Post.count() == 0
