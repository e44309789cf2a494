"""Writing a topic: the Markdown preview shows what was typed, and the form's labels do not overlap."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import shoot, sign_in

MEMBER = "larasati.widyaningrum@sinergi.example"


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])  # fmt: skip


def test_the_preview_of_a_new_topic_shows_the_typed_text_whatever_the_kind(page: Any, problems: Any, size: str) -> None:
    sign_in(page, MEMBER)
    page.goto("/topik/baru")
    page.locator("#kind-diskusi").check()
    page.fill("#field-body", "isi **tebal** dari _pratinjau_")
    page.locator("#field-body ~ button", has_text="Pratinjau").click()
    preview = page.locator("#preview-body")
    preview.locator("strong").wait_for()
    assert preview.locator("strong").inner_text() == "tebal"
    assert preview.locator("em").inner_text() == "pratinjau"
    assert "diskusi" not in preview.inner_text().lower()
    shoot(page, "topik-baru-pratinjau", size)


def test_each_case_field_previews_its_own_text(page: Any, problems: Any, size: str) -> None:
    sign_in(page, MEMBER)
    page.goto("/topik/baru")
    page.locator("#kind-inovasi").check()
    page.fill("#field-body", "ringkasan kasus")
    page.fill("#field-solution", "solusi **inti**")
    page.locator("#field-solution ~ button", has_text="Pratinjau").click()
    page.locator("#preview-solution strong").wait_for()
    assert page.locator("#preview-solution").inner_text().strip() == "solusi inti"
    assert page.locator("#preview-body").inner_text().strip() == ""


def test_the_kind_labels_do_not_overlap_their_hints(page: Any, problems: Any, size: str) -> None:
    sign_in(page, MEMBER)
    page.goto("/topik/baru")
    options = page.locator("[data-kind-switch]")
    assert options.count() == 3
    for index in range(options.count()):
        label = page.locator(f"label[for='{options.nth(index).get_attribute('id')}']")
        name, hint = label.locator(".option-name"), label.locator(".option-hint")
        assert name.count() == 1 and hint.count() == 1, "each kind shows a name and a hint"
        assert not _overlap(name.bounding_box(), hint.bounding_box()), name.inner_text()
    shoot(page, "topik-baru", size)
