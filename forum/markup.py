"""Markdown to safe HTML, and HTML to plain text. The only module that knows about bleach.

Two walls: markdown-it renders with raw HTML off, then bleach keeps only an explicit allowlist of tags,
attributes and URL schemes. A strict Content-Security-Policy (see ``forum.security``) is the third.
bleach is unmaintained upstream; keeping it behind ``render`` and ``to_plain_text`` means it can be
replaced (e.g. by nh3) without touching anything else.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import bleach
from bleach.html5lib_shim import Filter
from markdown_it import MarkdownIt

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
    """Give every link rel="nofollow ugc noopener": user content must not pass on reputation or opener."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                attrs = dict(token.get("data", {}))
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
