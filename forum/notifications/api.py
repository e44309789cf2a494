"""JSON API: a member's notifications and watches (mounted under /api)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from forum.notifications import service, watches
from forum.web.openapi import OptionalBodyOperation
from forum.web.security import requires_signed_in


class NotificationOut(msgspec.Struct):
    id: int
    kind: str
    kind_label: str
    text: str
    url: str
    created_at: datetime
    read_at: datetime | None
    is_read: bool


class NotificationPage(msgspec.Struct):
    items: list[NotificationOut]
    next_cursor: str | None


class UnreadCount(msgspec.Struct):
    unread: int


class MarkedRead(msgspec.Struct):
    marked: int


class ReadAll(msgspec.Struct):
    up_to_id: int | None = None


def _notice(row: dict[str, Any]) -> NotificationOut:
    return NotificationOut(**{name: row[name] for name in NotificationOut.__struct_fields__})


class NotificationApi(Controller):
    path = "/notifications"
    tags = ["Notifikasi"]
    guards = [requires_signed_in]  # one's own inbox and follows: open before the address is confirmed

    @get("/", summary="Notifikasi saya, terbaru dahulu (kursor keyset)")
    async def list(
        self,
        request: Request[Any, Any, Any],
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = service.PAGE_SIZE,
        unread: Annotated[bool, QueryParameter(description="Hanya yang belum dibaca")] = False,
    ) -> NotificationPage:
        page = await service.list_notifications(request.user.id, cursor, limit, unread_only=unread)
        return NotificationPage(items=[_notice(row) for row in page.items], next_cursor=page.next_cursor)

    @get("/unread-count", summary="Jumlah notifikasi belum dibaca")
    async def unread_count(self, request: Request[Any, Any, Any]) -> UnreadCount:
        return UnreadCount(unread=await service.unread_count(request.user.id))

    @post("/read-all", status_code=200, summary="Tandai semua sudah dibaca (opsional: sampai id tertentu)",
          operation_class=OptionalBodyOperation)  # fmt: skip
    async def read_all(self, request: Request[Any, Any, Any], data: JSONBody[ReadAll | None] = None) -> MarkedRead:
        up_to = data.up_to_id if data is not None else None
        return MarkedRead(marked=await service.mark_all_read(request.user.id, up_to))

    @post("/{notification_id:int}/read", status_code=200, summary="Tandai satu notifikasi sudah dibaca")
    async def read_one(self, request: Request[Any, Any, Any], notification_id: FromPath[int]) -> NotificationOut:
        return _notice(await service.mark_read(request.user.id, notification_id))


class WatchIn(msgspec.Struct):
    target_type: str
    target_key: str


class WatchOut(msgspec.Struct):
    id: int
    target_type: str
    target_key: str
    type_label: str
    label: str
    url: str
    created_at: datetime


class WatchPage(msgspec.Struct):
    items: list[WatchOut]
    next_cursor: str | None


def _watch(row: dict[str, Any]) -> WatchOut:
    return WatchOut(**{name: row[name] for name in WatchOut.__struct_fields__})


class WatchApi(Controller):
    path = "/watches"
    tags = ["Notifikasi"]
    guards = [requires_signed_in]  # one's own inbox and follows: open before the address is confirmed

    @get("/", summary="Yang saya ikuti: topik (thread), sektor (sector), nilai (value)")
    async def list(
        self,
        request: Request[Any, Any, Any],
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = watches.PAGE_SIZE,
    ) -> WatchPage:
        page = await watches.list_watches(request.user.id, cursor, limit)
        return WatchPage(items=[_watch(row) for row in page.items], next_cursor=page.next_cursor)

    @post("/", summary="Ikuti topik, sektor atau nilai (201 bila baru, 200 bila sudah diikuti)")
    async def create(self, request: Request[Any, Any, Any], data: JSONBody[WatchIn]) -> Response[WatchOut]:
        row, created = await watches.watch(request.user, data.target_type, data.target_key)
        return Response(content=_watch(row), status_code=201 if created else 200)

    @delete("/", summary="Berhenti mengikuti (target_type dan target_key di query)")
    async def remove(
        self,
        request: Request[Any, Any, Any],
        target_type: FromQuery[str],
        target_key: FromQuery[str],
    ) -> None:
        await watches.unwatch(request.user.id, target_type, target_key)
