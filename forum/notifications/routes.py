"""Pages: the notification list (/notifikasi) and what a member follows (/ikuti). Signed-in only, never cached."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from forum.notifications import service, watches
from forum.web.forms import page, read_form, redirect, safe_next
from forum.web.security import requires_signed_in


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


class NotificationPages(Controller):
    include_in_schema = False
    guards = [requires_signed_in]  # one's own inbox and follows: open before the address is confirmed

    @get("/notifikasi", name="notifications")
    async def index(self, request: Request[Any, Any, Any], cursor: FromQuery[str | None] = None) -> Template:
        user = request.user
        notices = await service.list_notifications(user.id, cursor)
        unread = await service.unread_count(user.id)
        newest = notices.items[0]["id"] if notices.items and not cursor else None
        return page("notifications/index.html", notices=notices, unread=unread, newest_id=newest,
                    first_page=not cursor)  # fmt: skip

    @get("/notifikasi/{notification_id:int}/buka")
    async def open(self, request: Request[Any, Any, Any], notification_id: FromPath[int]) -> Redirect:
        """Follow a notice: it becomes read, and the browser goes where it points (local paths only)."""
        notice = await service.mark_read(request.user.id, notification_id)
        return redirect(safe_next(notice["url"]))

    @post("/notifikasi/{notification_id:int}/baca")
    async def read_one(self, request: Request[Any, Any, Any], notification_id: FromPath[int]) -> Redirect:
        data = await read_form(request)
        await service.mark_read(request.user.id, notification_id)
        return redirect(safe_next(data.get("next")) if data.get("next") else "/notifikasi")

    @post("/notifikasi/baca-semua")
    async def read_all(self, request: Request[Any, Any, Any]) -> Redirect:
        data = await read_form(request)
        await service.mark_all_read(request.user.id, _int_or_none(data.get("sampai")))
        return redirect(safe_next(data.get("next")) if data.get("next") else "/notifikasi")

    @get("/ikuti", name="watches")
    async def watch_list(self, request: Request[Any, Any, Any], cursor: FromQuery[str | None] = None) -> Template:
        from forum.notifications import email

        user = request.user
        followed = await watches.list_watches(user.id, cursor)
        keys = {(w["target_type"], w["target_key"]) for w in followed.items}
        return page(
            "notifications/watches.html",
            watches=followed,
            followed_keys=keys,
            email_enabled=email.is_configured(),
            email_prefs=await email.preferences(user.id) if email.is_configured() else None,
        )

    @post("/ikuti")
    async def change_watch(self, request: Request[Any, Any, Any]) -> Redirect:
        """Form: target_type, target_key, action ("ikuti" or "berhenti"), next (where to go back to)."""
        data = await read_form(request)
        if data.get("action") == "berhenti":
            await watches.unwatch(request.user.id, data.get("target_type"), data.get("target_key"))
        else:
            await watches.watch(request.user, data.get("target_type"), data.get("target_key"))
        return redirect(safe_next(data.get("next")) if data.get("next") else "/ikuti")

    @post("/ikuti/email")
    async def change_email(self, request: Request[Any, Any, Any]) -> Redirect:
        """Form: instant ("1" to receive e-mails about new notices), digest ("1" for the weekly summary)."""
        from forum.notifications import email

        data = await read_form(request)
        await email.set_preferences(request.user.id, instant=data.get("instant") == "1",
                                    digest=data.get("digest") == "1")  # fmt: skip
        return redirect("/ikuti?tersimpan=1#email")
