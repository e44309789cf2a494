"""All Piccolo tables of the forum. Their history lives in ``forum/piccolo_migrations/``.

Taxonomy slugs (values, sectors, provinces, kinds) are stored as plain strings; the controlled lists in
``forum.taxonomy`` are the only source of what is valid, and domain functions validate against them.
"""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Agency(Table, tablename="agency"):
    """An instansi: a ministry, an agency, or a regional government."""

    name = Varchar(length=200, unique=True)
    slug = Varchar(length=120, unique=True)
    kind = Varchar(length=20)
    province = Varchar(length=60, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class User(Table, tablename="forum_user"):
    """A civil servant's account. ``email`` is stored lower-cased, which makes its unique index case-insensitive."""

    email = Varchar(length=254, unique=True)
    display_name = Varchar(length=120)
    password_hash = Varchar(length=255, secret=True)
    role = Varchar(length=20, default="member")
    agency = ForeignKey(references=Agency, null=False, on_delete=OnDelete.restrict, index=True)
    nip = Varchar(length=18, null=True, default=None)
    is_active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class ApiToken(Table, tablename="api_token"):
    """A bearer token for scripts. Only its SHA-256 is stored; the token itself is shown once."""

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    name = Varchar(length=100, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)


class Thread(Table, tablename="thread"):
    kind = Varchar(length=20, index=True)
    title = Varchar(length=200)
    slug = Varchar(length=120)
    body_source = Text()
    body_html = Text()
    author = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict, index=True)
    agency = ForeignKey(references=Agency, null=False, on_delete=OnDelete.restrict, index=True)
    sector = Varchar(length=60, index=True)
    province = Varchar(length=60, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    last_activity_at = Timestamptz(default=TimestamptzNow(), index=True)
    reply_count = Integer(default=0)
    version = Integer(default=1)
    # Case fields, filled for kind == "inovasi" only (Markdown source and its stored, sanitised HTML).
    problem_source = Text(default="")
    problem_html = Text(default="")
    solution_source = Text(default="")
    solution_html = Text(default="")
    results_source = Text(default="")
    results_html = Text(default="")
    stage = Varchar(length=20, null=True, default=None)
    start_year = Integer(null=True, default=None)
    is_digital = Boolean(null=True, default=None)


class ThreadValue(Table, tablename="thread_value"):
    """The BerAKHLAK values a thread is tagged with (one row per value), so lists filter and count by index."""

    thread = ForeignKey(references=Thread, null=False, on_delete=OnDelete.cascade, index=True)
    value = Varchar(length=40, index=True)


class Post(Table, tablename="post"):
    """A reply in a thread."""

    thread = ForeignKey(references=Thread, null=False, on_delete=OnDelete.cascade, index=True)
    author = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict, index=True)
    body_source = Text()
    body_html = Text()
    created_at = Timestamptz(default=TimestamptzNow())
    edited_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)


class SearchOutbox(Table, tablename="search_outbox"):
    """Changes waiting to reach the search index, written in the same transaction as the change itself."""

    entity = Varchar(length=20)
    entity_id = Integer()
    operation = Varchar(length=10)  # "upsert" or "delete"
    created_at = Timestamptz(default=TimestamptzNow())
    available_at = Timestamptz(default=TimestamptzNow(), index=True)
    attempts = Integer(default=0)
    last_error = Text(default="")
    done_at = Timestamptz(null=True, default=None, index=True)


class SearchMiss(Table, tablename="search_miss"):
    """A search that found nothing: what people look for and do not find, for moderators' insight."""

    query = Varchar(length=200)
    filters = Text(default="")  # JSON of the filters in force
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class RateLimitHit(Table, tablename="rate_limit_hit"):
    """One counted event (e.g. a failed login) for a bucket and key; counted over a sliding window.

    Kept in the database so limits hold across several app workers on either engine.
    """

    bucket = Varchar(length=40)
    key = Varchar(length=200, index=True)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


ALL_TABLES: tuple[type[Table], ...] = (
    Agency,
    User,
    ApiToken,
    Thread,
    ThreadValue,
    Post,
    SearchOutbox,
    SearchMiss,
    RateLimitHit,
)
