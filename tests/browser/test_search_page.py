"""The search page: searching as one types and ticking a facet replace the results without a page load, and
without a single Content-Security-Policy violation (the ``problems`` fixture fails the test on any)."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import shoot


def test_search_as_you_type_then_a_facet_click(page: Any, problems: Any, size: str) -> None:
    page.goto("/cari")
    with page.expect_response(lambda response: "/cari?" in response.url and "q=antrean" in response.url):
        page.fill("#q", "antrean")
    results = page.locator("#search-results")
    results.locator("a", has_text="ntrean").first.wait_for()
    sheet = page.locator("#facet-sheet > summary")
    if sheet.is_visible():  # phones: the filters are folded below the search box
        sheet.click()
    facet = page.locator("#search-results input[type=checkbox]").first
    if not facet.is_visible():
        facet.locator("xpath=ancestor::details[1]/summary").click()
    with page.expect_response(lambda response: "/cari?" in response.url):
        facet.check()
    page.wait_for_load_state("networkidle")
    assert "q=antrean" in page.url
    assert page.locator("#search-results .chip-list").is_visible(), "the ticked filter is shown as a chip"
    assert page.locator("#search-results input[type=checkbox]:checked").first.is_visible(), "the sheet stays open"
    assert problems.csp_violations == []
    shoot(page, "cari", size)
