"""Notification e-mail, optional: nothing here runs unless SMTP_HOST is set.

Delivery happens outside requests, from ``sinergi send-notifications`` (cron, e.g. every 10 minutes):

* Instant mail (on by default, members can switch it off on /ikuti): unread notices older than EMAIL_DELAY (so
  someone who is on the site reads them there first) and younger than EMAIL_MAX_AGE are sent, one message per
  person per run listing all of theirs. Rows are claimed first (``emailed_at`` set in one UPDATE … WHERE
  emailed_at IS NULL), so two runs never send the same notice; a failed delivery releases them for the next run.
* Weekly digest (opt-in on /ikuti): at most once per 7 days, a summary of unread notices and new threads in the
  sectors and values the member follows. Nothing to say, no mail.

Mail goes through forum.core.mail's SMTP delivery (smtplib in a worker thread), one connection per run.

Preferences are stored without a schema change, as Watch rows of target_type "email" (hidden from watch lists):
("email", "mati") = instant mail off; ("email", "mingguan") = weekly digest on, and that row's created_at is the
digest clock (when the last digest went out, or when the member opted in). Moving them to User columns later
touches only ``preferences``, ``set_preferences`` and the two digest helpers below.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any
from urllib.parse import urlsplit

from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.mail import SmtpConfig, deliver, smtp_config
from forum.core.tables import Notification, Thread, ThreadValue, User, Watch
from forum.core.taxonomy import SECTOR_BY_SLUG, VALUE_BY_SLUG, label
from forum.core.urls import thread_url
from forum.core.visibility import PUBLISHED, notice_shown
from forum.notifications.service import notices_shown

logger = logging.getLogger("sinergi.email")

EMAIL_DELAY = timedelta(minutes=10)
EMAIL_MAX_AGE = timedelta(days=3)
DIGEST_EVERY = timedelta(days=7)
CLAIM_BATCH = 1_000
PER_MESSAGE = 20  # notices listed in one message; the rest are summed up ("dan 5 lainnya")

PREF_TYPE = "email"
INSTANT_OFF = "mati"
DIGEST_ON = "mingguan"


def is_configured() -> bool:
    return smtp_config() is not None


# --- preferences -------------------------------------------------------------------------------------------


async def preferences(user_id: int) -> dict[str, bool]:
    keys = {
        row["target_key"]
        for row in await Watch.select(Watch.target_key).where(
            (Watch.user == user_id) & (Watch.target_type == PREF_TYPE)
        )
    }
    return {"instant": INSTANT_OFF not in keys, "digest": DIGEST_ON in keys}


async def set_preferences(user_id: int, *, instant: bool, digest: bool) -> dict[str, bool]:
    async with write_transaction():
        for key, present in ((INSTANT_OFF, not instant), (DIGEST_ON, digest)):
            if present:
                row = Watch(user=user_id, target_type=PREF_TYPE, target_key=key, created_at=now())
                await Watch.insert(row).on_conflict(action="DO NOTHING")
            else:
                await Watch.delete().where(
                    (Watch.user == user_id) & (Watch.target_type == PREF_TYPE) & (Watch.target_key == key)
                )
    return {"instant": instant, "digest": digest}


# --- delivery ----------------------------------------------------------------------------------------------


def _message(config: SmtpConfig, user: dict[str, Any], subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.sender
    message["To"] = formataddr((" ".join(str(user["display_name"]).split()), user["email"]))
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=urlsplit(config.base_url).hostname or "sinergi")
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{config.base_url}/ikuti#email>"
    footer = (
        "\n--\nAnda menerima email ini karena memiliki akun di Sinergi.\n"
        f"Atur email dan yang Anda ikuti: {config.base_url}/ikuti#email\n"
    )
    message.set_content(body + footer)
    return message


def _notice_lines(config: SmtpConfig, notices: list[dict[str, Any]]) -> str:
    lines = []
    for notice in notices[:PER_MESSAGE]:
        lines.append(f"- {notice['text']}\n  {config.base_url}/notifikasi/{notice['id']}/buka")
    if len(notices) > PER_MESSAGE:
        lines.append(f"- dan {len(notices) - PER_MESSAGE} notifikasi lainnya: {config.base_url}/notifikasi")
    return "\n".join(lines)


async def _active_users(user_ids: list[int]) -> dict[int, dict[str, Any]]:
    if not user_ids:
        return {}
    rows = await User.select(User.id, User.email, User.display_name).where(
        User.id.is_in(user_ids) & (User.is_active == True)  # noqa: E712
    )
    return {row["id"]: row for row in rows}


async def _claim(moment: datetime, delay: timedelta) -> list[dict[str, Any]]:
    """Mark a batch of due notices as being e-mailed, and return exactly the ones this run claimed."""
    opted_out = Watch.select(Watch.user).where((Watch.target_type == PREF_TYPE) & (Watch.target_key == INSTANT_OFF))
    async with write_transaction():
        due = await Notification.select(Notification.id).where(
            Notification.emailed_at.is_null()
            & Notification.read_at.is_null()
            & (Notification.created_at <= moment - delay)
            & (Notification.created_at >= moment - EMAIL_MAX_AGE)
            & Notification.user.not_in(opted_out)
        ).order_by(Notification.id).limit(CLAIM_BATCH)
        if not due:
            return []
        claimed = await Notification.update({Notification.emailed_at: moment}).where(
            Notification.id.is_in([row["id"] for row in due]) & Notification.emailed_at.is_null()
        ).returning(Notification.id)
        if not claimed:
            return []
        rows = await Notification.select(
            Notification.id, Notification.user, Notification.text, Notification.url, Notification.thread,
            Notification.thread.status.as_alias("thread_status"), Notification.thread.author.as_alias("thread_author"),
        ).where(Notification.id.is_in([row["id"] for row in claimed])).order_by(Notification.id)  # fmt: skip
        # Claimed either way (never retried); a notice about a thread no one may see now is not mailed.
        return [row for row in rows if notice_shown(row, row["user"])]


async def send_pending_emails(*, delay: timedelta = EMAIL_DELAY, digests: bool = True) -> dict[str, int]:
    """The work of ``sinergi send-notifications``: instant mail for due notices, then any weekly digests due.
    Returns counts: emails sent and failed, notices covered, digests sent."""
    stats = {"sent": 0, "failed": 0, "notices": 0, "digests": 0}
    config = smtp_config()
    if config is None:
        return stats
    moment = now()
    while True:
        claimed = await _claim(moment, delay)
        if not claimed:
            break
        by_user: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for notice in claimed:
            by_user[notice["user"]].append(notice)
        users = await _active_users(list(by_user))
        order = [uid for uid in by_user if uid in users]
        messages = []
        for uid in order:
            notices = by_user[uid]
            if len(notices) == 1:
                subject = f"Sinergi: {notices[0]['text'][:120]}"
            else:
                subject = f"Sinergi: {len(notices)} notifikasi baru"
            body = f"Halo {users[uid]['display_name']},\n\nAda kabar baru untuk Anda di Sinergi:\n\n" + _notice_lines(
                config, notices
            )
            messages.append(_message(config, users[uid], subject, body))
        results = await deliver(config, messages)
        failed_ids: list[int] = []
        for uid, ok in zip(order, results, strict=True):
            if ok:
                stats["sent"] += 1
                stats["notices"] += len(by_user[uid])
            else:
                stats["failed"] += 1
                failed_ids.extend(n["id"] for n in by_user[uid])
        if failed_ids:  # released for the next run (still bounded by EMAIL_MAX_AGE)
            await Notification.update({Notification.emailed_at: None}).where(Notification.id.is_in(failed_ids))
            break  # the server is refusing; do not spin on the same rows in this run
        if len(claimed) < CLAIM_BATCH:
            break
    if digests:
        stats["digests"] = await send_weekly_digests(config, moment)
    return stats


# --- weekly digest -----------------------------------------------------------------------------------------


async def _digests_due(moment: datetime) -> list[int]:
    rows = await Watch.select(Watch.user).where(
        (Watch.target_type == PREF_TYPE) & (Watch.target_key == DIGEST_ON) & (Watch.created_at <= moment - DIGEST_EVERY)
    ).order_by(Watch.user)
    return [row["user"] for row in rows]


async def _mark_digest_sent(user_id: int, moment: datetime) -> None:
    await Watch.update({Watch.created_at: moment}).where(
        (Watch.user == user_id) & (Watch.target_type == PREF_TYPE) & (Watch.target_key == DIGEST_ON)
    )


async def _digest_body(config: SmtpConfig, user: dict[str, Any], since: datetime) -> str | None:

    unread = await Notification.select(Notification.id, Notification.text, Notification.url).where(
        (Notification.user == user["id"]) & Notification.read_at.is_null() & (Notification.created_at >= since)
        & notices_shown(user["id"])
    ).order_by(Notification.id, ascending=False).limit(PER_MESSAGE + 1)
    followed = await Watch.select(Watch.target_type, Watch.target_key).where(
        (Watch.user == user["id"]) & Watch.target_type.is_in(["sector", "value"])
    )
    sectors = [w["target_key"] for w in followed if w["target_type"] == "sector"]
    values = [w["target_key"] for w in followed if w["target_type"] == "value"]
    threads: list[dict[str, Any]] = []
    if sectors or values:
        matches = None
        if sectors:
            matches = Thread.sector.is_in(sectors)
        if values:
            tagged = Thread.id.is_in(ThreadValue.select(ThreadValue.thread).where(ThreadValue.value.is_in(values)))
            matches = tagged if matches is None else (matches | tagged)
        threads = await Thread.select(
            Thread.id, Thread.title, Thread.slug, Thread.agency.name.as_alias("agency_name")
        ).where(
            (Thread.status == PUBLISHED) & (Thread.created_at >= since) & (Thread.author != user["id"]) & matches
        ).order_by(Thread.id, ascending=False).limit(10)
    if not unread and not threads:
        return None
    parts = [f"Halo {user['display_name']},\n\nRingkasan Sinergi sepekan terakhir untuk Anda."]
    if threads:
        followed_labels = [label(SECTOR_BY_SLUG, s) for s in sectors] + [label(VALUE_BY_SLUG, v) for v in values]
        lines = [
            f"- {t['title']} ({t['agency_name']})\n  {config.base_url}{thread_url(t['id'], t['slug'])}" for t in threads
        ]
        parts.append(f"Topik baru di {', '.join(followed_labels)}:\n\n" + "\n".join(lines))
    if unread:
        parts.append("Notifikasi yang belum Anda baca:\n\n" + _notice_lines(config, unread[:PER_MESSAGE]))
    return "\n\n".join(parts)


async def send_weekly_digests(config: SmtpConfig | None = None, moment: datetime | None = None) -> int:
    """Send the digests that are due; returns how many went out. Each member's clock moves only on success,
    and also when there was nothing to say (so an idle week is not re-checked every run)."""
    config = config or smtp_config()
    if config is None:
        return 0
    moment = moment or now()
    due = await _digests_due(moment)
    users = await _active_users(due)
    sent = 0
    for uid in due:
        user = users.get(uid)
        if user is None:
            continue
        body = await _digest_body(config, user, moment - DIGEST_EVERY)
        if body is None:
            await _mark_digest_sent(uid, moment)
            continue
        (ok,) = await deliver(config, [_message(config, user, "Sinergi: ringkasan mingguan Anda", body)])
        if ok:
            await _mark_digest_sent(uid, moment)
            sent += 1
    return sent
