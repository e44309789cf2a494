"""The notifications page: plain cards with no stray bullets, "tandai sudah dibaca" on the line of the time."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import sign_in

MEMBER = "larasati.widyaningrum@sinergi.example"


def test_notifications_are_cards_with_the_action_beside_the_time(page: Any, problems: Any, size: str) -> None:
    sign_in(page, MEMBER)
    page.goto("/notifikasi")
    item = page.locator(".notification-unread").first
    item.wait_for()
    assert item.evaluate("e => getComputedStyle(e).listStyleType") == "none"
    time_box = item.locator(".meta time").bounding_box()
    button_box = item.locator(".meta button", has_text="tandai sudah dibaca").bounding_box()
    assert abs((time_box["y"] + time_box["height"] / 2) - (button_box["y"] + button_box["height"] / 2)) < 10
