"""Outgoing mail: queued in the caller's transaction, delivered beside the app.

Mail an account depends on (confirm your address, reset your password) is queued as an ``OutgoingMail`` row in
the same transaction as the token it carries: a refused registration sends nothing, and a crash after the
commit loses nothing. The mail worker (every MAIL_SECONDS, or ``sinergi send-mail``) claims due rows, sends
them over SMTP, and marks them sent; a failed delivery waits longer each time and gives up after
MAX_ATTEMPTS (the row stays, with its error, for the operators). A sent message's body is blanked: it may
hold a link that signs someone in, and the database is no place to keep it.

Without SMTP_HOST nothing is sent and rows wait. ``make run`` points SMTP_HOST at a local sink
(``forum.devmail``) whose messages are listed at /dev/surat, so a new developer can click their link.

Delivery uses the standard library's smtplib in a worker thread, one connection per round.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any
from urllib.parse import urlsplit

import anyio

from forum.core.background import repeating_worker
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.settings import get_settings
from forum.core.tables import OutgoingMail

logger = logging.getLogger("sinergi.mail")

MAX_ATTEMPTS = 8
BATCH = 50
SUBJECT_MAX = 200


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    username: str | None
    password: str | None
    sender: str
    security: str  # "starttls", "ssl" or "none"
    base_url: str


def smtp_config() -> SmtpConfig | None:
    """From settings (SMTP_HOST, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD, SMTP_FROM, SMTP_SECURITY); None if unset."""
    settings = get_settings()
    if not settings.smtp_host:
        return None
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password,
        sender=settings.smtp_from,
        security=settings.smtp_security.lower(),
        base_url=settings.base_url,
    )


def _deliver_blocking(config: SmtpConfig, messages: list[EmailMessage]) -> list[bool]:
    """Send over one connection; per-message success. A connection failure raises (all fail)."""
    context = ssl.create_default_context()
    if config.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=30, context=context)
    else:
        client = smtplib.SMTP(config.host, config.port, timeout=30)
    results: list[bool] = []
    try:
        client.ehlo()
        if config.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if config.username:
            client.login(config.username, config.password or "")
        for message in messages:
            try:
                client.send_message(message)
                results.append(True)
            except smtplib.SMTPException as exc:  # refused recipient, message rejected: the others still go
                logger.warning("e-mail to %s not accepted: %s", message["To"], exc)
                results.append(False)
    finally:
        try:
            client.quit()
        except smtplib.SMTPException:
            client.close()
    return results


async def deliver(config: SmtpConfig, messages: list[EmailMessage]) -> list[bool]:
    """Send these messages over one SMTP connection, off the event loop; which of them were accepted."""
    if not messages:
        return []
    try:
        return await anyio.to_thread.run_sync(_deliver_blocking, config, messages)
    except (OSError, smtplib.SMTPException) as exc:
        logger.error("SMTP delivery failed (%s:%s): %s", config.host, config.port, exc)
        return [False] * len(messages)


def new_message(config: SmtpConfig, to_name: str, to_address: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.sender
    message["To"] = formataddr((" ".join(to_name.split()), to_address))
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=urlsplit(config.base_url).hostname or "sinergi")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


async def queue_mail(to_name: str, to_address: str, subject: str, body: str, purpose: str) -> None:
    """Queue one message inside the caller's transaction; the mail worker sends it after the commit."""
    moment = now()
    await OutgoingMail.insert(OutgoingMail(
        to_name=to_name[:120], to_address=to_address[:254], subject=subject[:SUBJECT_MAX], body=body,
        purpose=purpose[:30], created_at=moment, available_at=moment,
    ))  # fmt: skip


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2**attempts, 6 * 3600))  # 1 min, 2, 4 … at most 6 hours


async def send_queued_mail() -> int:
    """One round: claim due messages, send them over one connection, record each outcome. Returns how many
    were sent. Rows are claimed by pushing their ``available_at`` forward, so two workers never send one twice."""
    config = smtp_config()
    if config is None:
        return 0
    moment = now()
    async with write_transaction():
        due = await OutgoingMail.select(OutgoingMail.id).where(
            OutgoingMail.sent_at.is_null() & (OutgoingMail.attempts < MAX_ATTEMPTS)
            & (OutgoingMail.available_at <= moment)
        ).order_by(OutgoingMail.id).limit(BATCH)  # fmt: skip
        ids = [row["id"] for row in due]
        if not ids:
            return 0
        claimed = await OutgoingMail.update(
            {OutgoingMail.available_at: moment + timedelta(minutes=10), OutgoingMail.attempts: OutgoingMail.attempts + 1}
        ).where(OutgoingMail.id.is_in(ids) & (OutgoingMail.available_at <= moment)).returning(
            OutgoingMail.id, OutgoingMail.to_name, OutgoingMail.to_address, OutgoingMail.subject, OutgoingMail.body,
            OutgoingMail.attempts,
        )  # fmt: skip
    rows = sorted(claimed, key=lambda row: row["id"])
    messages = [new_message(config, r["to_name"], r["to_address"], r["subject"], r["body"]) for r in rows]
    results = await deliver(config, messages)
    sent = 0
    async with write_transaction():
        for row, ok in zip(rows, results, strict=True):
            if ok:
                await OutgoingMail.update({OutgoingMail.sent_at: now(), OutgoingMail.body: "",
                                           OutgoingMail.last_error: ""}).where(OutgoingMail.id == row["id"])  # fmt: skip
                sent += 1
            else:
                await OutgoingMail.update({OutgoingMail.available_at: now() + _retry_delay(row["attempts"]),
                                           OutgoingMail.last_error: "not accepted"}).where(OutgoingMail.id == row["id"])  # fmt: skip
    return sent


@asynccontextmanager
async def mail_lifespan(app: Any) -> AsyncIterator[None]:
    """The mail worker, every MAIL_SECONDS (none when 0), stopped before the database closes."""
    async with repeating_worker("mail", get_settings().mail_seconds, send_queued_mail):
        yield
