"""/favicon.ico: browsers, feed readers and bookmarks ask for it at the root whatever the page's <link> says."""

from __future__ import annotations

from litestar import get
from litestar.response import File

from forum.core.settings import PROJECT_ROOT

_ICON = PROJECT_ROOT / "static" / "img" / "favicon.ico"


@get("/favicon.ico", include_in_schema=False, cache=False)
async def favicon() -> File:
    return File(_ICON, media_type="image/x-icon", content_disposition_type="inline",
                headers={"Cache-Control": "public, max-age=604800"})  # fmt: skip
