"""Feed documents written with ElementTree: every piece of user text is an element's text or an attribute
value, so the XML is always well formed and escaped.

Two subtleties readers care about:

- RSS ``<description>`` is HTML by convention (entity-encoded), so a plain-text summary is HTML-escaped before
  it goes in: a body that *talks about* ``<script>`` stays text in the reader instead of becoming markup.
  RSS ``<title>`` is plain text (feedparser and most readers take it so) and is only XML-escaped.
- Atom says what it carries: titles and summaries are ``type="text"``, so nothing is double-escaped.

Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are dropped.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
RSS_MEDIA_TYPE = "application/rss+xml; charset=utf-8"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
GENERATOR = "Sinergi"
LANGUAGE = "id"

ET.register_namespace("atom", ATOM_NS)
ET.register_namespace("dc", DC_NS)

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Category:
    term: str  # the stable slug
    label: str  # what people read
    scheme: str  # absolute URL of the taxonomy; scheme + term is the page of that term


@dataclass(frozen=True, slots=True)
class FeedItem:
    title: str
    link: str  # absolute URL of the thread page as it is now
    guid: str  # absolute, permanent URL (survives a title edit, which changes the slug)
    published: datetime
    updated: datetime
    author_name: str
    author_uri: str
    summary: str  # plain text, never HTML
    categories: Sequence[Category] = ()


@dataclass(frozen=True, slots=True)
class Feed:
    title: str
    description: str  # plain text
    link: str  # absolute URL of the HTML page this feed follows
    self_url: str  # absolute URL of this feed document
    items: Sequence[FeedItem] = ()

    def build_date(self) -> datetime:
        """The newest change among the items (stable between requests, so caches and ETags hold); now if empty."""
        if self.items:
            return max(item.updated for item in self.items)
        return datetime.now(UTC)


def xml_text(value: str) -> str:
    """Text that XML 1.0 can carry."""
    return _NOT_XML.sub("", value)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def rfc822(value: datetime) -> str:
    """RSS dates: ``Tue, 03 Jun 2025 08:04:05 GMT``."""
    return format_datetime(_utc(value).replace(microsecond=0), usegmt=True)


def rfc3339(value: datetime) -> str:
    """Atom dates: ``2025-06-03T08:04:05Z``."""
    return _utc(value).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: xml_text(value) for key, value in attrib.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _serialise(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def rss(feed: Feed) -> bytes:
    """An RSS 2.0 document (with atom:link rel=self and dc:creator for authors, who have no public email)."""
    root = ET.Element("rss", {"version": "2.0"})
    channel = _sub(root, "channel")
    _sub(channel, "title", feed.title)
    _sub(channel, "link", feed.link)
    _sub(channel, "description", html.escape(feed.description, quote=False))
    _sub(channel, "language", LANGUAGE)
    _sub(channel, "generator", GENERATOR)
    _sub(channel, "lastBuildDate", rfc822(feed.build_date()))
    _sub(channel, f"{{{ATOM_NS}}}link", href=feed.self_url, rel="self", type="application/rss+xml")
    for item in feed.items:
        entry = _sub(channel, "item")
        _sub(entry, "title", item.title)
        _sub(entry, "link", item.link)
        _sub(entry, "guid", item.guid, isPermaLink="true")
        _sub(entry, "pubDate", rfc822(item.published))
        _sub(entry, f"{{{DC_NS}}}creator", item.author_name)
        for category in item.categories:
            _sub(entry, "category", category.label, domain=category.scheme)
        _sub(entry, "description", html.escape(item.summary, quote=False))
    return _serialise(root)


def atom(feed: Feed) -> bytes:
    """An Atom 1.0 document (RFC 4287). Atom is the default namespace, declared on the root, so that its
    elements and unprefixed attributes serialise plainly (ElementTree's ``default_namespace`` rejects the
    unqualified attributes Atom uses)."""
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": LANGUAGE})
    _sub(root, "id", feed.self_url)
    _sub(root, "title", feed.title, type="text")
    _sub(root, "subtitle", feed.description, type="text")
    _sub(root, "updated", rfc3339(feed.build_date()))
    _sub(root, "link", href=feed.self_url, rel="self", type="application/atom+xml")
    _sub(root, "link", href=feed.link, rel="alternate", type="text/html")
    _sub(root, "generator", GENERATOR)
    for item in feed.items:
        entry = _sub(root, "entry")
        _sub(entry, "id", item.guid)
        _sub(entry, "title", item.title, type="text")
        _sub(entry, "link", href=item.link, rel="alternate", type="text/html")
        _sub(entry, "published", rfc3339(item.published))
        _sub(entry, "updated", rfc3339(item.updated))
        author = _sub(entry, "author")
        _sub(author, "name", item.author_name)
        _sub(author, "uri", item.author_uri)
        for category in item.categories:
            _sub(entry, "category", term=category.term, scheme=category.scheme, label=category.label)
        _sub(entry, "summary", item.summary, type="text")
    return _serialise(root)
