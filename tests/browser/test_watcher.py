"""The watcher every browser test relies on does see what it is meant to catch."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import watch


@pytest.mark.parametrize("size", ["desktop"])
def test_the_watcher_sees_an_inline_style_and_a_script_error(page: Any, size: str) -> None:
    seen = watch(page)
    page.goto("/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.evaluate("setTimeout(function () { throw new Error('rusak'); }, 0)")
    page.wait_for_timeout(300)
    assert any("style-src" in message for message in seen.csp_violations), seen.console_errors
    assert any("rusak" in message for message in seen.page_errors)
