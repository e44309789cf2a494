"""Markdown to safe HTML, and HTML to plain text. The only module that knows about bleach.

Two walls: markdown-it renders with raw HTML off, then bleach keeps only an explicit allowlist of tags,
attributes and URL schemes. A strict Content-Security-Policy (see ``forum.web.security``) is the third.
bleach is unmaintained upstream; keeping it behind ``render`` and ``to_plain_text`` means it can be
replaced (e.g. by nh3) without touching anything else.
"""

from __future__ import annotations

import asyncio
import atexit
import html
import multiprocessing
import re
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from functools import lru_cache

import bleach
from bleach.html5lib_shim import Filter
from markdown_it import MarkdownIt
from pebble import ProcessPool

from forum.core.errors import InvalidInput

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
        "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "img": ["src", "alt", "title"],
    "td": ["align"],
    "th": ["align"],
    "ol": ["start"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


class _LinkRelFilter(Filter):
    """Give every link rel="nofollow ugc noopener": user content must not pass on reputation or opener; and
    rewrite protocol-relative addresses to https."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] in ("a", "img"):
                attrs = dict(token.get("data", {}))
                for name in ((None, "href"), (None, "src")):
                    # "//host/x" is another site in a relative-looking disguise: say so, and say https.
                    if str(attrs.get(name, "")).startswith("//"):
                        attrs[name] = "https:" + attrs[name]
                if token["name"] == "a":
                    attrs[(None, "rel")] = LINK_REL
                token["data"] = attrs
            yield token


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "js-default" has raw HTML off; tables and strikethrough on; linkify turns bare URLs into links.
    return MarkdownIt("js-default", {"linkify": True, "typographer": False}).enable(
        ["linkify", "table", "strikethrough"]
    )


@lru_cache(maxsize=1)
def _cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[_LinkRelFilter],
    )


def render(markdown_source: str) -> str:
    """Render user Markdown to sanitised HTML, ready to be stored and shown as-is."""
    if not markdown_source.strip():
        return ""
    return _cleaner().clean(_markdown().render(markdown_source))


# Rendering is CPU work whose cost depends on the input's shape, not just its length: a 50,000-character table took
# 3.3 s, "[" * 50000 six. Anything past a small size is rendered in a worker process with a deadline; a worker
# that overruns is killed (pebble), so neither the event loop nor the GIL is held, and the writer is told to
# simplify. Small inputs (almost every reply) render inline: their worst case stays within a few milliseconds.
INLINE_MAX_CHARS = 2_000
RENDER_TIMEOUT_SECONDS = 0.4
_pool: ProcessPool | None = None
_pool_lock = threading.Lock()


class MarkupTooComplex(InvalidInput):
    """The Markdown could not be rendered within the deadline; ``field`` names which source it was."""

    def __init__(self, field: str) -> None:
        super().__init__({field: _TOO_COMPLEX})
        self.field = field


_TOO_COMPLEX = (
    "Isi ini terlalu rumit untuk diproses (misalnya tabel yang sangat besar atau format bertumpuk). "
    "Sederhanakan atau bagi menjadi beberapa bagian."
)


def _render_all(sources: dict[str, str]) -> dict[str, str]:
    return {name: render(source) for name, source in sources.items()}


def _get_pool() -> ProcessPool:
    global _pool
    with _pool_lock:
        if _pool is None or not _pool.active:
            # forkserver, not fork: the parent runs threads and an event loop, which a fork would copy half-way.
            # The server preloads this module, so a worker killed for overrunning is replaced by a cheap fork.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__])
            _pool = ProcessPool(max_workers=2, context=context)
            atexit.register(shutdown_pool)
        return _pool


async def render_fields(sources: dict[str, str]) -> dict[str, str]:
    """Render several Markdown sources (a thread's body and case fields) off the event loop, within one deadline.
    Raises MarkupTooComplex naming the largest source when the deadline passes."""
    if sum(len(source) for source in sources.values()) <= INLINE_MAX_CHARS:
        return _render_all(sources)
    future = _get_pool().schedule(_render_all, args=(sources,), timeout=RENDER_TIMEOUT_SECONDS)
    try:
        return await asyncio.wrap_future(future)
    except (FutureTimeout, TimeoutError):
        raise MarkupTooComplex(max(sources, key=lambda name: len(sources[name]))) from None


async def render_bounded(source: str) -> str:
    """`render` for one source, off the loop and within the deadline (see render_fields)."""
    return (await render_fields({"body": source}))["body"]


def shutdown_pool() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.stop()
            _pool.join(timeout=5)
            _pool = None


_WHITESPACE = re.compile(r"\s+")
# Block boundaries become spaces so that "<p>a</p><p>b</p>" reads "a b", while inline tags join words as written.
# (Quoted attribute values may contain ">".) Shared with search.documents' fast text extraction.
BLOCK_BOUNDARY = re.compile(
    r"<(?:br|hr|/p|/li|/h[1-6]|/td|/th|/tr|/blockquote|/pre)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE
)


def to_plain_text(rendered_html: str) -> str:
    """Strip all markup from stored HTML: the text a search index or a snippet should see."""
    text = bleach.clean(BLOCK_BOUNDARY.sub(" ", rendered_html), tags=set(), strip=True)
    return _WHITESPACE.sub(" ", html.unescape(text)).strip()


def excerpt(rendered_html: str, limit: int = 220) -> str:
    text = to_plain_text(rendered_html)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"
