"""Mentions in thread bodies and replies.

Syntax (documented to members in templates/notifications/_mention_help.html):

* ``@[Nama Lengkap]`` mentions a member by display name, exactly as it appears on their posts (letter case and
  extra spaces do not matter). Display names have spaces and are not unique, so the brackets mark where the name
  ends. When two or more members share the name, add their agency's slug:
  ``@[Budi Santoso|dinas-kominfo-kota-surabaya]``; an ambiguous mention without it notifies nobody (never a stranger).
* ``@instansi-slug`` (e.g. ``@disdukcapil-kabupaten-sleman``, the slug in the agency's page address /instansi/…)
  mentions an agency: its agency admins first, then verified members, up to AGENCY_RECIPIENT_CAP people.

Mentions are read from the stored, sanitised HTML, so text inside code and quotes (someone else's words) never
counts, and an e-mail address such as ``ani@kemenpan.go.id`` is not a mention. A post can mention at most
MAX_USER_MENTIONS people and MAX_AGENCY_MENTIONS agencies; the rest are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from piccolo.query import OrderByRaw
from piccolo.query.functions.string import Lower
from piccolo.querystring import QueryString

from forum.core import markup
from forum.core.tables import Agency, User

MAX_USER_MENTIONS = 10
MAX_AGENCY_MENTIONS = 3
AGENCY_RECIPIENT_CAP = 20

_USER_MENTION = re.compile(r"(?<![\w@])@\[\s*([^\]\|\n]{2,120}?)\s*(?:\|\s*([A-Za-z0-9-]{1,120})\s*)?\]")
_AGENCY_MENTION = re.compile(r"(?<![\w@/.\-\[])@([A-Za-z0-9][A-Za-z0-9-]{1,119})")
_CODE = re.compile(r"<(pre|code)\b[^>]*>.*?</\1>", re.IGNORECASE | re.DOTALL)
_INNER_QUOTE = re.compile(r"<blockquote\b[^>]*>(?:(?!<blockquote\b).)*?</blockquote>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Mentions:
    names: tuple[tuple[str, str, str], ...] = ()  # (normalised display name, agency slug or "", name as typed)
    agencies: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.names or self.agencies)


def _normalise(name: str) -> str:
    return " ".join(name.split()).lower()


def _visible_text(body_html: str) -> str:
    """The text people read as the author's own words: no code, no quotes."""
    text = _CODE.sub(" ", body_html)
    while True:
        stripped = _INNER_QUOTE.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    return markup.to_plain_text(text)


def parse(*bodies_html: str) -> Mentions:
    """Find mentions in one or more stored HTML bodies (a thread's body and its case fields, or a reply)."""
    names: list[tuple[str, str, str]] = []
    agencies: list[str] = []
    for body in bodies_html:
        if not body or "@" not in body:
            continue
        text = _visible_text(body)
        for match in _USER_MENTION.finditer(text):
            typed = " ".join(match.group(1).split())
            entry = (typed.lower(), (match.group(2) or "").lower(), typed)
            if entry[0] and all(entry[:2] != seen[:2] for seen in names):
                names.append(entry)
        for match in _AGENCY_MENTION.finditer(text):
            slug = match.group(1).lower().rstrip("-")
            if slug not in agencies:
                agencies.append(slug)
    return Mentions(names=tuple(names[:MAX_USER_MENTIONS]), agencies=tuple(agencies[:MAX_AGENCY_MENTIONS]))


@dataclass(slots=True)
class Resolved:
    users: list[int] = field(default_factory=list)  # mentioned by name
    agencies: dict[int, tuple[str, list[int]]] = field(default_factory=dict)  # agency id -> (name, member ids)


async def resolve(mentions: Mentions) -> Resolved:
    """Turn mentions into user ids: one query for names, one for agencies, one per mentioned agency (at most 3)."""
    resolved = Resolved()
    if mentions.names:
        # SQLite's lower() folds ASCII only, so the name as typed is looked up too (exact-case non-ASCII names).
        lowered = sorted({name for name, _, _ in mentions.names} | {typed for _, _, typed in mentions.names})
        rows = await User.select(
            User.id, User.display_name, User.agency.slug.as_alias("agency_slug")
        ).where(
            # QueryString.is_in binds a list as one parameter, so the IN list is spelled out (one placeholder each).
            QueryString(f"{{}} IN ({', '.join(['{}'] * len(lowered))})", Lower(User.display_name), *lowered)
        ).where(User.is_active == True)  # noqa: E712
        by_name: dict[str, list[dict[str, object]]] = {}
        for row in rows:
            by_name.setdefault(_normalise(str(row["display_name"])), []).append(row)
        for name, agency_slug, _ in mentions.names:
            candidates = by_name.get(name, [])
            if agency_slug:
                candidates = [row for row in candidates if row["agency_slug"] == agency_slug]
            if len(candidates) == 1:
                uid = int(candidates[0]["id"])  # type: ignore[call-overload]
                if uid not in resolved.users:
                    resolved.users.append(uid)
    if mentions.agencies:
        agencies = await Agency.select(Agency.id, Agency.name, Agency.slug).where(
            Agency.slug.is_in(list(mentions.agencies))
        )
        for agency in agencies:
            members = await User.select(User.id).where(
                (User.agency == agency["id"]) & (User.is_active == True)  # noqa: E712
            ).order_by(OrderByRaw("is_agency_admin DESC, (verified_at IS NULL), id")).limit(AGENCY_RECIPIENT_CAP)
            resolved.agencies[agency["id"]] = (agency["name"], [m["id"] for m in members])
    return resolved
