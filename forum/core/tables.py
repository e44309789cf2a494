"""All Piccolo tables of the forum. Their history lives in ``forum/core/piccolo_migrations/``.

Taxonomy slugs (values, sectors, provinces, kinds) are stored as plain strings; the controlled lists in
``forum.core.taxonomy`` are the only source of what is valid, and domain functions validate against them.
"""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    Bytea,
    Date,
    Float,
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
    # Agency admins verify that members really work at their (own) agency.
    is_agency_admin = Boolean(default=False)
    verified_at = Timestamptz(null=True, default=None)
    verified_by = Integer(null=True, default=None)  # a user id; not a FK, so a user row never references itself
    position = Varchar(length=120, default="")  # jabatan, as the member writes it
    bio = Text(default="")  # a short introduction, plain text
    # The privacy notice the member agreed to at registration (UU 27/2022 PDP): its version, and when.
    consent_version = Varchar(length=20, default="")
    consented_at = Timestamptz(null=True, default=None)
    # Until the address is confirmed (forum.accounts.confirmation) the account reads but does not write.
    email_confirmed_at = Timestamptz(null=True, default=None)
    # Two-step sign-in (forum.accounts.two_factor): the TOTP secret once enrolment is confirmed, when, and the
    # last time step a code was accepted for (a code is good once: a watched or phished code cannot be replayed).
    totp_secret = Varchar(length=32, default="", secret=True)
    totp_enabled_at = Timestamptz(null=True, default=None)
    totp_last_step = Integer(null=True, default=None)
    # 'Hapus akun' (forum.accounts.erasure): when the person's data was erased; the row stays for what they wrote.
    erased_at = Timestamptz(null=True, default=None)


class AgencyMove(Table, tablename="agency_move"):
    """Mutasi (forum.accounts.mutasi): a member asks to move to another agency; that agency's admin or a moderator
    decides. Rows are kept: the history of where a member worked, and who approved each move."""

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    from_agency = ForeignKey(references=Agency, null=False, on_delete=OnDelete.restrict)
    to_agency = ForeignKey(references=Agency, null=False, on_delete=OnDelete.restrict, index=True)
    note = Text(default="")  # the member's words: SK number, position at the new agency
    status = Varchar(length=20, default="pending", index=True)  # pending, approved, refused, withdrawn
    requested_at = Timestamptz(default=TimestamptzNow())
    decided_by = Integer(null=True, default=None)  # a user id (not a FK: the decider may be erased later)
    decided_at = Timestamptz(null=True, default=None)
    decision_note = Text(default="")


class Avatar(Table, tablename="avatar"):
    """A member's picture (forum.accounts.avatar): re-encoded as a small WebP, so nothing of the upload (EXIF, GPS,
    the camera) is kept. In the database, so every app host serves it and erasing the account removes it."""

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, unique=True)
    image = Bytea()
    updated_at = Timestamptz(default=TimestamptzNow())


class RecoveryCode(Table, tablename="recovery_code"):
    """A single-use code that stands in for the authenticator app (a lost phone). Only its SHA-256 is stored."""

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    code_hash = Varchar(length=64, unique=True)
    used_at = Timestamptz(null=True, default=None)


class ApiToken(Table, tablename="api_token"):
    """A bearer token for scripts (forum.accounts.api_tokens). Only its SHA-256 is stored; the token is shown once."""

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    name = Varchar(length=100, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    scopes = Varchar(length=40, default="read write")  # space-separated: read, write, moderate
    expires_at = Timestamptz(null=True, default=None)  # NULL only for tokens made before expiry existed (migrated)


class UserSession(Table, tablename="user_session"):
    """A signed-in browser (forum.accounts.sessions): listed, revoked, and ended by a reset or a suspension.
    Only the hash of the key the server-side session holds is stored."""

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    key_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
    user_agent = Varchar(length=200, default="")


class AccountToken(Table, tablename="account_token"):
    """A single-use link sent by mail (forum.accounts.tokens): confirm an address, reset a password. Only its
    SHA-256 is stored, with the address it went to."""

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=20)
    token_hash = Varchar(length=64, unique=True)
    email = Varchar(length=254)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(default=TimestamptzNow())
    used_at = Timestamptz(null=True, default=None)


class OutgoingMail(Table, tablename="outgoing_mail"):
    """A message queued in a write's transaction and delivered by the mail worker (forum.core.mail). The
    body is blanked once sent."""

    to_name = Varchar(length=120, default="")
    to_address = Varchar(length=254)
    subject = Varchar(length=200)
    body = Text(default="")
    purpose = Varchar(length=30, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    available_at = Timestamptz(default=TimestamptzNow(), index=True)
    attempts = Integer(default=0)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Varchar(length=300, default="")


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
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
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
    # Moderation: "published", "pending" (new member, in the review queue) or "hidden" (with a reason).
    status = Varchar(length=20, default="published", index=True)
    hidden_reason = Text(default="")
    is_pinned = Boolean(default=False)
    is_locked = Boolean(default=False)
    is_featured = Boolean(default=False, index=True)  # mirrors an open FeaturedPractice row, for lists and search
    solution_post = Integer(null=True, default=None)  # accepted reply of a "permasalahan" (a Post id)
    merged_into = Integer(null=True, default=None)  # a duplicate merged into another thread (its id)
    replication_count = Integer(default=0)  # replications agreed or further and not cancelled, for sort and facet


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
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    edited_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)
    status = Varchar(length=20, default="published", index=True)
    hidden_reason = Text(default="")
    # The agency the author wrote for: a reply stays credited to it after the author moves (mutasi).
    agency = ForeignKey(references=Agency, null=True, on_delete=OnDelete.restrict)


class Revision(Table, tablename="revision"):
    """Every saved version of a thread or a reply, so anyone who can see it can see what changed."""

    target_type = Varchar(length=10)  # "thread" or "post"
    target_id = Integer(index=True)
    version = Integer()
    editor = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    title = Varchar(length=200, default="")
    body_source = Text(default="")
    fields = Text(default="")  # JSON of the other editable fields (case fields, sector, values, kind)
    created_at = Timestamptz(default=TimestamptzNow())


class FeaturedPractice(Table, tablename="featured_practice"):
    """A curated "Praktik Baik Pilihan". Unfeaturing closes the row; the history stays."""

    thread = ForeignKey(references=Thread, null=False, on_delete=OnDelete.cascade, index=True)
    note = Text()
    position = Integer(default=0)
    featured_by = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    featured_at = Timestamptz(default=TimestamptzNow())
    unfeatured_at = Timestamptz(null=True, default=None, index=True)
    unfeatured_by = Integer(null=True, default=None)


class Flag(Table, tablename="flag"):
    """A member's report about a thread or a reply, resolved by a moderator."""

    target_type = Varchar(length=10)
    target_id = Integer(index=True)
    reporter = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    reason = Varchar(length=30)
    text = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    resolved_at = Timestamptz(null=True, default=None, index=True)
    resolved_by = Integer(null=True, default=None)
    resolution = Varchar(length=20, default="")
    resolution_note = Text(default="")


class ModerationLog(Table, tablename="moderation_log"):
    """Append-only record of every moderation and role action. ``reason`` is public; ``private_note`` is not."""

    actor = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict, index=True)
    action = Varchar(length=40)
    target_type = Varchar(length=10)
    target_id = Integer()
    target_label = Varchar(length=200, default="")
    reason = Text(default="")
    private_note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class Replication(Table, tablename="replication"):
    """An agency replicating an innovation case: minat → disepakati → diterapkan → hasil, or dibatalkan."""

    source_thread = ForeignKey(references=Thread, null=False, on_delete=OnDelete.cascade, index=True)
    agency = ForeignKey(references=Agency, null=False, on_delete=OnDelete.restrict, index=True)
    requested_by = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    # Codes in forum.core.taxonomy. The default was "minat" until migration 2026-12-07T12:00, which changed it with
    # raw SQL (SQLite cannot alter a default): `piccolo migrations new --auto` therefore proposes an alter_column
    # for it; delete that from the new migration.
    state = Varchar(length=20, default="interest", index=True)
    interest_note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    agreed_by = Integer(null=True, default=None)
    agreed_at = Timestamptz(null=True, default=None)
    implemented_on = Date(null=True, default=None)
    adaptation_note = Text(default="")
    outcome_note = Text(default="")
    outcome_reported_at = Timestamptz(null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)
    cancel_reason = Text(default="")
    # The replicating agency's own case about it, which others can replicate in turn (the lineage tree).
    replica_thread = Integer(null=True, default=None, index=True)


class Commitment(Table, tablename="commitment"):
    """A follow-up commitment (tindak lanjut) recorded in a thread: what, who, by when."""

    thread = ForeignKey(references=Thread, null=False, on_delete=OnDelete.cascade, index=True)
    what = Varchar(length=300)
    owner = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict, index=True)
    owner_agency = ForeignKey(references=Agency, null=False, on_delete=OnDelete.restrict, index=True)
    due_on = Date(index=True)
    status = Varchar(length=20, default="open", index=True)  # open, done, cancelled (forum.core.taxonomy)
    evidence = Text(default="")
    created_by = Integer()
    created_at = Timestamptz(default=TimestamptzNow())
    closed_at = Timestamptz(null=True, default=None, index=True)
    closed_by = Integer(null=True, default=None)
    reminded_before_at = Timestamptz(null=True, default=None)
    reminded_after_at = Timestamptz(null=True, default=None)


class Indicator(Table, tablename="indicator"):
    """An impact indicator of an innovation case: baseline → result, optionally verified."""

    thread = ForeignKey(references=Thread, null=False, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    unit = Varchar(length=50, default="")
    baseline_value = Float()
    baseline_on = Date(null=True, default=None)
    result_value = Float(null=True, default=None)
    result_on = Date(null=True, default=None)
    source = Text(default="")
    higher_is_better = Boolean(default=True)
    created_by = Integer()
    created_at = Timestamptz(default=TimestamptzNow())
    verified_by = Integer(null=True, default=None)
    verified_at = Timestamptz(null=True, default=None, index=True)


class Appreciation(Table, tablename="appreciation"):
    """One member's appreciation of a reply (or a thread's opening post); never of their own."""

    target_type = Varchar(length=10)
    target_id = Integer(index=True)
    giver = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    giver_agency = Integer()
    receiver = Integer(index=True)
    receiver_agency = Integer(index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Notification(Table, tablename="notification"):
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=30)
    text = Varchar(length=300)
    url = Varchar(length=300)
    # The thread the notice is about (None for notices about no thread): its visibility decides the notice's.
    thread = ForeignKey(references=Thread, null=True, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    read_at = Timestamptz(null=True, default=None)
    emailed_at = Timestamptz(null=True, default=None)


class Watch(Table, tablename="watch"):
    """Someone following a thread, a sector or a value."""

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    target_type = Varchar(length=10)  # thread, sector, value
    target_key = Varchar(length=60, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


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


class DashboardTally(Table, tablename="dashboard_tally"):
    """The dashboard's roll-up: how many events of one metric fell on one day for one member of a grouping
    (an agency id, a sector, a province, a value, or "" under "semua" for tag-free totals). Derived data,
    recounted from the source tables by forum.dashboard.tally; never edited by hand."""

    day = Date()
    per = Varchar(length=10)
    member = Varchar(length=100)
    metric = Varchar(length=40)
    n = Integer()


class DashboardMonthTally(Table, tablename="dashboard_month_tally"):
    """The same figures summed per calendar month (``month`` is its first day), so a period of years reads a
    few rows per member instead of one per day. Recounted from dashboard_tally with it."""

    month = Date()
    per = Varchar(length=10)
    member = Varchar(length=100)
    metric = Varchar(length=40)
    n = Integer()


class DashboardStaleDay(Table, tablename="dashboard_stale_day"):
    """A day whose roll-up must be recounted (no day: everything), written in the changing transaction."""

    day = Date(null=True, default=None)


ALL_TABLES: tuple[type[Table], ...] = (
    Agency,
    User,
    ApiToken,
    UserSession,
    RecoveryCode,
    AgencyMove,
    Avatar,
    AccountToken,
    OutgoingMail,
    Thread,
    ThreadValue,
    Post,
    Revision,
    FeaturedPractice,
    Flag,
    ModerationLog,
    Replication,
    Commitment,
    Indicator,
    Appreciation,
    Notification,
    Watch,
    SearchOutbox,
    SearchMiss,
    RateLimitHit,
    DashboardTally,
    DashboardMonthTally,
    DashboardStaleDay,
)
