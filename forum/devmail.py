"""Development only: a local SMTP sink (aiosmtpd on loopback) that keeps every message as a file, and the
page /dev/surat that lists them, so someone trying Sinergi with `make run` can open their confirmation or
reset link without a mail server. Production sends through SMTP_HOST; tests start their own sink."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from litestar import Controller, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from forum.core.settings import get_settings
from forum.web.forms import page

SHOWN = 50


def mail_folder() -> Path:
    return get_settings().data_dir / "mail"


class _Sink:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        (self.folder / f"{stamp}.eml").write_bytes(envelope.content)
        return "250 OK"


def start_sink(folder: Path) -> tuple[Any, int]:
    """Start the sink on a free loopback port; returns the running controller and its port."""
    from aiosmtpd.controller import Controller as SmtpController

    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = SmtpController(_Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


@dataclass(frozen=True, slots=True)
class CaughtMail:
    name: str
    received: datetime
    to: str
    subject: str
    body: str


def _read(path: Path) -> CaughtMail:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    part = message.get_body(preferencelist=("plain",))
    body = part.get_content() if part is not None else ""
    received = datetime.strptime(path.stem, "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
    return CaughtMail(path.stem, received, str(message["To"] or ""), str(message["Subject"] or ""), body)


def caught_mail() -> list[CaughtMail]:
    folder = mail_folder()
    if not folder.is_dir():
        return []
    return [_read(path) for path in sorted(folder.glob("*.eml"), reverse=True)[:SHOWN]]


class DevMailPages(Controller):
    """Registered by create_app in development only."""

    include_in_schema = False

    @get("/dev/surat")
    async def inbox(self) -> Template:
        return page("devmail/index.html", messages=caught_mail())

    @get("/dev/surat/{name:str}")
    async def message(self, name: FromPath[str]) -> Template:
        found = [mail for mail in caught_mail() if mail.name == name]
        if not found:
            raise NotFoundException("Surat tidak ditemukan.")
        return page("devmail/message.html", mail=found[0])
