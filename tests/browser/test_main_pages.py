"""Every main page at both sizes, as a visitor and as a member: it loads, the browser reports nothing (no
console error, no script error, no CSP violation), nothing is wider than the screen, axe-core finds nothing
serious or critical, and a screenshot is kept
in tests/browser/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import serious_accessibility_problems, shoot, sign_in

MEMBER = "larasati.widyaningrum@sinergi.example"
PUBLIC = ["/", "/topik", "/praktik-baik", "/instansi", "/dasbor", "/cari?q=layanan", "/tindak-lanjut", "/modlog",
          "/privasi", "/masuk", "/daftar", "/lupa-sandi"]  # fmt: skip
MEMBERS = ["/topik/baru", "/notifikasi", "/akun", "/akun/profil", "/ikuti"]


def _name(path: str) -> str:
    return path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "beranda"


def _check(page: Any, path: str, size: str, who: str, axe: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    shoot(page, f"{who}-{_name(path)}", size)
    assert overflow <= 1, f"{path} is {overflow} px wider than the screen"
    footer = page.locator(".site-footer small").bounding_box()
    width = page.viewport_size["width"]
    assert footer["x"] >= 8 and footer["x"] + footer["width"] <= width - 8, f"{path}: the footer touches the edge"
    assert serious_accessibility_problems(page, axe) == [], path


@pytest.mark.parametrize("path", PUBLIC)
def test_public_page(page: Any, problems: Any, size: str, path: str, axe_source: str) -> None:
    _check(page, path, size, "tamu", axe_source)


def test_member_pages_and_a_thread(page: Any, problems: Any, size: str, axe_source: str) -> None:
    sign_in(page, MEMBER)
    for path in MEMBERS:
        _check(page, path, size, "anggota", axe_source)
    page.goto("/topik")
    thread = page.locator(".thread-list article h3 a, .thread-list article h2 a").first.get_attribute("href")
    _check(page, thread, size, "anggota-topik", axe_source)
    page.goto("/praktik-baik")
    case = page.locator("main article a").first.get_attribute("href")
    _check(page, case, size, "anggota-praktik-baik", axe_source)
