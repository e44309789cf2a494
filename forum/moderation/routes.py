"""Pages: moderation actions on threads and replies, flags, the review queue, the modlog, edit history,
curation, accepted solutions, and role/verification forms. Every form posts here and comes back."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from forum.accounts.roles import set_agency_admin, set_role, verify_member
from forum.accounts.suspension import reinstate_member, suspend_member
from forum.core import revisions
from forum.core.clock import now
from forum.core.errors import InvalidInput, NotFound
from forum.core.policy import can_moderate, require_moderator
from forum.core.tables import SearchMiss
from forum.core.urls import post_action_url, post_url, thread_history_url, user_url
from forum.core.visibility import can_see
from forum.featured.service import Feature, Unfeature, feature_thread, unfeature_thread
from forum.moderation.actions import PostModeration, ThreadModeration, moderate_post, moderate_thread
from forum.moderation.flags import FlagReport, FlagResolution, flag_content, resolve_flags, review_queue
from forum.moderation.log import list_actions
from forum.moderation.revert import revert_post, revert_thread
from forum.posting.service import get_post, reply_location
from forum.threads.service import get_thread, get_visible_thread
from forum.threads.solutions import mark_solution, unmark_solution
from forum.web.flood import within_posting_limits
from forum.web.forms import page, read_form, redirect, safe_next
from forum.web.security import requires_login


async def _back_to_thread(thread_id: int, note: str = "") -> Redirect:
    thread = await get_thread(thread_id)
    return redirect(f"{thread['url']}{'?' + note if note else ''}")


def _back(data: dict[str, Any], default: str) -> Redirect:
    return redirect(safe_next(data.get("next")) if data.get("next") else default)


class ModerationPages(Controller):
    include_in_schema = False
    guards = [requires_login]

    @post("/topik/{thread_id:int}/moderasi")
    async def thread_action(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Redirect:
        data = await read_form(request)
        await moderate_thread(request.user, thread_id, ThreadModeration.pick(data))
        if data.get("action") == "merge":
            return await _back_to_thread(int(data["target_id"]))
        return _back(data, (await get_thread(thread_id))["url"])

    @post("/balasan/{post_id:int}/moderasi")
    async def post_action(self, request: Request[Any, Any, Any], post_id: FromPath[int]) -> Redirect:
        data = await read_form(request)
        await moderate_post(request.user, post_id, PostModeration.pick(data))
        return _back(data, await reply_location(post_id, request.user))

    @post("/topik/{thread_id:int}/laporkan", guards=[within_posting_limits])
    async def flag_thread(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Redirect:
        await flag_content(request.user, "thread", thread_id, FlagReport.pick(await read_form(request)))
        return await _back_to_thread(thread_id, "dilaporkan=1")

    @post("/balasan/{post_id:int}/laporkan", guards=[within_posting_limits])
    async def flag_post(self, request: Request[Any, Any, Any], post_id: FromPath[int]) -> Redirect:
        await flag_content(request.user, "post", post_id, FlagReport.pick(await read_form(request)))
        reply = await get_post(post_id)
        return await _back_to_thread(reply["thread"], "dilaporkan=1")

    @post("/topik/{thread_id:int}/solusi")
    async def solution(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Redirect:
        await mark_solution(request.user, thread_id, (await read_form(request)).get("post_id"))
        return await _back_to_thread(thread_id)

    @post("/topik/{thread_id:int}/solusi/batal")
    async def no_solution(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Redirect:
        await unmark_solution(request.user, thread_id)
        return await _back_to_thread(thread_id)

    @post("/topik/{thread_id:int}/pilih")
    async def feature(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Redirect:
        await feature_thread(request.user, thread_id, Feature.pick(await read_form(request)))
        return await _back_to_thread(thread_id)

    @post("/topik/{thread_id:int}/batal-pilih")
    async def unfeature(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Redirect:
        await unfeature_thread(request.user, thread_id, Unfeature.pick(await read_form(request)))
        return await _back_to_thread(thread_id)

    @get("/moderasi", name="queue")
    async def queue(self, request: Request[Any, Any, Any]) -> Template:
        return page("moderation/queue.html", items=await review_queue(request.user))

    @get("/moderasi/pencarian-kosong", name="search_misses")
    async def search_misses(self, request: Request[Any, Any, Any]) -> Template:
        """What people looked for and did not find: the forum's missing cases, most asked first."""
        require_moderator(request.user)
        return page("moderation/search_misses.html", misses=await frequent_search_misses())

    @post("/moderasi/laporan/{target_type:str}/{target_id:int}")
    async def resolve(self, request: Request[Any, Any, Any], target_type: FromPath[str],
                      target_id: FromPath[int]) -> Redirect:  # fmt: skip
        require_moderator(request.user)
        if target_type not in {"thread", "post"}:
            raise NotFound("Jenis konten tidak dikenal.")
        await resolve_flags(request.user, target_type, target_id, FlagResolution.pick(await read_form(request)))
        return redirect("/moderasi")

    @post("/topik/{thread_id:int}/riwayat/{version:int}/pulihkan")
    async def revert_thread(self, request: Request[Any, Any, Any], thread_id: FromPath[int],
                            version: FromPath[int]) -> Redirect:  # fmt: skip
        result = await revert_thread(request.user, thread_id, version)
        return redirect(result["url"])

    @post("/balasan/{post_id:int}/riwayat/{version:int}/pulihkan")
    async def revert_post(self, request: Request[Any, Any, Any], post_id: FromPath[int],
                          version: FromPath[int]) -> Redirect:  # fmt: skip
        await revert_post(request.user, post_id, version)
        return redirect(await reply_location(post_id, request.user))

    @post("/pengguna/{user_id:int}/peran")
    async def role(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Redirect:
        await set_role(request.user, user_id, (await read_form(request)).get("role"))
        return redirect(user_url(user_id))

    @post("/pengguna/{user_id:int}/admin-instansi")
    async def agency_admin(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Redirect:
        await set_agency_admin(request.user, user_id, (await read_form(request)).get("value") == "1")
        return redirect(user_url(user_id))

    @post("/pengguna/{user_id:int}/tangguhkan")
    async def suspend(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Redirect:
        form = await read_form(request)
        value = form.get("value")
        if value not in {"1", "0"}:
            raise InvalidInput({"value": "Pilih: tangguhkan (1) atau pulihkan (0)."})
        if value == "1":
            await suspend_member(request.user, user_id, form.get("reason"))
        else:
            await reinstate_member(request.user, user_id, form.get("reason"))
        return redirect(user_url(user_id))

    @post("/pengguna/{user_id:int}/verifikasi")
    async def verify(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Redirect:
        form = await read_form(request)
        await verify_member(request.user, user_id, form.get("value", "1") == "1")
        return redirect("/verifikasi-anggota" if form.get("from") == "antrean" else user_url(user_id))


class HistoryPages(Controller):
    """Public pages: the moderation log and edit history (of what the visitor may see)."""

    include_in_schema = False

    @get("/modlog", name="modlog")
    async def modlog(self, request: Request[Any, Any, Any], cursor: FromQuery[str | None] = None) -> Template:
        full = bool(request.user and request.user.is_moderator)
        return page("moderation/modlog.html", log=await list_actions(include_private=full, cursor=cursor), full=full)

    @get("/topik/{thread_id:int}/riwayat")
    async def thread_history(self, request: Request[Any, Any, Any], thread_id: FromPath[int],
                             from_version: Annotated[int | None, QueryParameter(name="dari")] = None,
                             to_version: Annotated[int | None, QueryParameter(name="ke")] = None) -> Template:  # fmt: skip
        thread = await get_visible_thread(thread_id, request.user)
        rows = await revisions.list_revisions(revisions.THREAD, thread_id)
        return page("moderation/history.html", **await _history(rows, from_version, to_version), subject=thread["title"],
                    back=thread["url"], revert_base=thread_history_url(thread_id), can={"revert": can_moderate(request.user)})  # fmt: skip

    @get("/balasan/{post_id:int}/riwayat")
    async def post_history(self, request: Request[Any, Any, Any], post_id: FromPath[int],
                           from_version: Annotated[int | None, QueryParameter(name="dari")] = None,
                           to_version: Annotated[int | None, QueryParameter(name="ke")] = None) -> Template:  # fmt: skip
        reply = await get_post(post_id)
        thread = await get_visible_thread(reply["thread"], request.user)
        if not can_see(request.user, reply):
            raise NotFound("Balasan tidak ditemukan.")
        rows = await revisions.list_revisions(revisions.POST, post_id)
        return page("moderation/history.html", **await _history(rows, from_version, to_version), subject=f"Balasan di: {thread['title']}",
                    back=post_url(post_id), revert_base=post_action_url(post_id, "riwayat"),
                    can={"revert": can_moderate(request.user)})  # fmt: skip


async def frequent_search_misses(days: int = 30, limit: int = 100) -> list[dict[str, Any]]:
    since = now() - timedelta(days=days)
    rows = await SearchMiss.raw(
        "SELECT query, COUNT(*) AS times, MAX(created_at) AS last_at FROM search_miss WHERE created_at >= {} "
        "GROUP BY query ORDER BY times DESC, last_at DESC LIMIT {}", since, limit)  # fmt: skip
    for row in rows:  # SQLite gives MAX() of a timestamp back as text: the page shows it in WIB like any other
        if isinstance(row["last_at"], str):
            row["last_at"] = datetime.fromisoformat(row["last_at"])
    return rows


async def _history(rows: list[dict[str, Any]], old: int | None, new: int | None) -> dict[str, Any]:
    """The revision list and the diff between two of them (by default: the last two)."""
    by_version = {row["version"]: row for row in rows}
    versions = sorted(by_version)
    new = new if new in by_version else (versions[-1] if versions else None)
    old = old if old in by_version else (versions[-2] if len(versions) > 1 else None)
    changes = await revisions.diff_off_loop(by_version[old]["content"], by_version[new]["content"]) if old and new else []
    return {"revisions": rows, "old": old, "new": new, "changes": changes}

