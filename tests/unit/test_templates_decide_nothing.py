"""Templates decide nothing: who may do what is answered by forum.core.policy and handed to them as ``can.*``
flags (or ``site_can()`` in the shared layout). A template that compares the viewer's id, agency or role is
re-deriving a rule the services enforce elsewhere, and the two drift apart."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# The viewer's role or standing anywhere, or the viewer's id or agency compared with something (showing the
# viewer's own id or name, as a form's default owner does, decides nothing).
VIEWER = r"\b(?:me|viewer\(\))"
RULE_IN_TEMPLATE = re.compile(
    VIEWER + r"\.(?:role|is_moderator|is_admin|is_agency_admin|is_trusted|is_verified)\b"
    r"|\bis_moderator\b|\bis_admin\b|\bis_trusted\b"
    r"|" + VIEWER + r"\.(?:id|agency_id)\s*(?:==|!=|not in\b|in\b)"
    r"|(?:==|!=|\bin)\s*\(?[^%}]*" + VIEWER + r"\.(?:id|agency_id)\b"
)


def offenders(text: str) -> list[str]:
    return [match.group(0) for match in RULE_IN_TEMPLATE.finditer(text)]


def test_the_check_finds_a_rule() -> None:
    assert offenders("{% if me and me.id == reply.author_id %}") == ["me.id =="]
    assert offenders("{% if reply.author_id != me.id %}") == ["!= me.id"]
    assert offenders('<option value="{{ me.id }}">') == []
    assert offenders("{% if viewer().is_moderator %}") == ["viewer().is_moderator"]
    assert offenders("{% if can.edit %}{{ me.display_name }}{% endif %}") == []


def test_no_template_derives_a_permission() -> None:
    found = {
        str(path.relative_to(TEMPLATES)): hits
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (hits := offenders(path.read_text()))
    }
    assert found == {}
