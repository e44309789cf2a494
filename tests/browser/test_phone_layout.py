"""At phone size (390×844) the header is one line and the first result of a list or a search is on the first
screen; at desktop size the links stay in the header."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import shoot, sign_in

MEMBER = "larasati.widyaningrum@sinergi.example"


def _one_line_header(page: Any) -> None:
    """Every visible item of the header sits on one row, and the header takes at most an eighth of the screen."""
    centres = page.eval_on_selector_all(
        ".site-header nav > ul > li",
        "items => items.filter(i => i.offsetParent !== null)"
        ".map(i => { const r = i.getBoundingClientRect(); return r.top + r.height / 2; })",
    )
    assert centres and max(centres) - min(centres) <= 12, f"header items on several rows: {centres}"
    height = page.locator(".site-header").bounding_box()["height"]
    assert height <= page.viewport_size["height"] / 8, f"header {height} px high"


def _first_on_screen(page: Any, selector: str) -> None:
    first = page.locator(selector).first
    first.wait_for()
    box = first.bounding_box()
    viewport = page.viewport_size
    assert box["y"] >= 0 and box["y"] + min(box["height"], 60) <= viewport["height"], f"first result at y={box['y']}"


@pytest.mark.parametrize("size", ["phone"])
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "member"])
def test_phone_header_is_one_line_and_results_come_first(page: Any, problems: Any, size: str, signed_in: bool) -> None:
    if signed_in:
        sign_in(page, MEMBER)
    for path, result, name in (("/topik", ".thread-list article", "topik"), ("/cari?q=antrean", "#search-results article", "cari-antrean"),
                               ("/", "main article", "beranda")):  # fmt: skip
        page.goto(path)
        shoot(page, f"{name}-{'anggota' if signed_in else 'tamu'}", size)
        _one_line_header(page)
        _first_on_screen(page, result)
    page.locator(".nav-narrow summary").click()
    menu = page.locator(".nav-narrow details ul")
    assert menu.get_by_role("link", name="Topik").is_visible() and menu.get_by_role("link", name="Dasbor").is_visible()
    if signed_in:
        menu.get_by_role("button", name="Keluar").click()
        page.wait_for_load_state()
        assert page.get_by_role("status").filter(has_text="Anda sudah keluar").is_visible()


@pytest.mark.parametrize("size", ["desktop"])
def test_desktop_header_shows_the_links(page: Any, problems: Any, size: str) -> None:
    page.goto("/")
    _one_line_header(page)
    for name in ("Cari", "Topik", "Praktik Baik", "Instansi", "Dasbor", "Masuk"):
        assert page.locator(".nav-wide").get_by_role("link", name=name, exact=True).is_visible(), name
    assert not page.locator(".nav-narrow").is_visible()
