"""The privacy notice (UU 27/2022 PDP): which version a member agreed to is stored with the time they did."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from forum.web.forms import page

PRIVACY_NOTICE_VERSION = "2026-12-07"  # a new wording gets a new version (and asks members again)


class PrivacyPages(Controller):
    include_in_schema = False

    @get("/privasi", name="privacy")
    async def notice(self) -> Template:
        return page("pages/privacy.html", version=PRIVACY_NOTICE_VERSION)
