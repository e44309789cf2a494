"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, with the app's settings pointed at
it. No test ever sends to a real address: SMTP_HOST is unset in tests unless this fixture sets it."""

from __future__ import annotations

import dataclasses
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest

from forum.core.mail import send_queued_mail
from forum.core.settings import get_settings, use_settings


@dataclass
class Mailbox:
    port: int
    received: list[EmailMessage] = field(default_factory=list)

    async def deliver(self) -> list[EmailMessage]:
        """Run the mail worker's round now; the messages it delivered."""
        before = len(self.received)
        await send_queued_mail()
        return self.received[before:]

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.received if address in str(message["To"])]


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def link_in(message: EmailMessage, path: str) -> str:
    """The path of the first link to ``path…`` in the message (the base URL dropped)."""
    found = re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s]*)", body_of(message))
    assert found, f"no {path} link in: {body_of(message)}"
    return found.group(1)


@pytest.fixture
async def mailbox() -> AsyncIterator[Mailbox]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox(port)

    class Sink:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            box.received.append(message)
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    use_settings(dataclasses.replace(get_settings(), smtp_host="127.0.0.1", smtp_port=port, smtp_username=None,
                                     smtp_password=None, smtp_security="none",
                                     smtp_from="Sinergi <noreply@sinergi.test>"))  # fmt: skip
    try:
        yield box
    finally:
        controller.stop()  # the settings are restored by conftest's _settings_restored
