"""The JSON API under /api: routers of each forum noun plus reference data."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get

from forum.agencies.api import AgencyApi
from forum.collaboration.appreciation_routes import AppreciationApi
from forum.collaboration.indicator_routes import IndicatorApi
from forum.core import taxonomy
from forum.moderation.api import ModerationApi, PublicModerationApi
from forum.notifications.api import NotificationApi, WatchApi
from forum.posting.api import PostApi
from forum.replication.routes import CollaborationApi
from forum.threads.api import ThreadApi
from forum.web.security import requires_login


@get("/taxonomies", tags=["Referensi"], summary="Nilai BerAKHLAK, sektor, provinsi, jenis topik")
async def taxonomies() -> dict[str, Any]:
    return taxonomy.as_json()


@get("/me", tags=["Akun"], summary="Pengguna yang sedang masuk", guards=[requires_login])
async def me(request: Request[Any, Any, Any]) -> dict[str, Any]:
    user = request.user
    return {"id": user.id, "email": user.email, "display_name": user.display_name, "role": user.role,
            "agency": {"id": user.agency_id, "name": user.agency_name, "slug": user.agency_slug}}  # fmt: skip


api_router = Router(
    path="/api",
    route_handlers=[taxonomies, me, ThreadApi, PostApi, AgencyApi, ModerationApi, PublicModerationApi, CollaborationApi,
                    AppreciationApi, IndicatorApi, NotificationApi, WatchApi],
)
