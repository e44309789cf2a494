"""Sending a reply lands on it: the page scrolls to the new reply, which is outlined."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import shoot, sign_in

MEMBER = "larasati.widyaningrum@sinergi.example"


def test_a_sent_reply_is_shown_and_marked(page: Any, problems: Any, size: str) -> None:
    sign_in(page, MEMBER)
    page.goto("/topik")
    page.locator(".thread-list article h3 a").first.click()
    text = f"Terima kasih, kami coba terapkan di instansi kami ({size})."
    page.fill("#field-body", text)
    page.get_by_role("button", name="Kirim balasan").click()
    page.wait_for_load_state()
    anchor = re.search(r"#(balasan-\d+)$", page.url)
    assert anchor, page.url
    reply = page.locator(f"#{anchor.group(1)}")
    assert text in reply.inner_text()
    assert reply.evaluate("e => getComputedStyle(e).boxShadow") != "none"
    box, viewport = reply.bounding_box(), page.viewport_size
    assert 0 <= box["y"] < viewport["height"], "the new reply is on screen"
    shoot(page, "balasan-terkirim", size)
