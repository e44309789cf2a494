"""JSON API for moderation, flags, curation, solutions, revisions and roles."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from forum.accounts.roles import set_agency_admin, set_role, verify_member
from forum.core import revisions
from forum.core.errors import NotFound
from forum.core.policy import require_moderator
from forum.core.visibility import can_see
from forum.featured.service import Feature, feature_thread, list_featured, unfeature_thread
from forum.moderation.actions import PostModeration, ThreadModeration, moderate_post, moderate_thread
from forum.moderation.flags import FlagReport, FlagResolution, flag_content, resolve_flags, review_queue
from forum.moderation.log import list_actions
from forum.moderation.revert import revert_post, revert_thread
from forum.posting.service import get_post
from forum.threads.service import get_visible_thread, parse_filters
from forum.threads.solutions import mark_solution, unmark_solution
from forum.web.flood import within_posting_limits
from forum.web.forms import query_params
from forum.web.security import TOKEN_SCOPE, requires_login


class ModerationIn(msgspec.Struct):
    action: str
    reason: str | None = None
    private_note: str | None = None
    sector: str | None = None
    values: list[str] | None = None
    target_id: int | None = None


class FlagIn(msgspec.Struct):
    reason: str
    text: str | None = None


class ResolutionIn(msgspec.Struct):
    resolution: str
    note: str | None = None


class FeatureIn(msgspec.Struct):
    note: str
    position: int = 0


class SolutionIn(msgspec.Struct):
    post_id: int


class RoleIn(msgspec.Struct):
    role: str


class FlagValueIn(msgspec.Struct):
    value: bool


def _plain(data: msgspec.Struct) -> dict[str, Any]:
    return msgspec.structs.asdict(data)


def _ok(**extra: Any) -> dict[str, Any]:
    return {"status": "ok", **extra}


MODERATE_SCOPE = {TOKEN_SCOPE: "moderate"}  # a bearer token needs the moderate scope here


class ModerationApi(Controller):
    tags = ["Moderasi"]
    guards = [requires_login]

    @post("/threads/{thread_id:int}/moderation", opt=MODERATE_SCOPE, summary="Tindakan moderator pada topik", status_code=200)
    async def thread_action(self, request: Request[Any, Any, Any], thread_id: FromPath[int],
                            data: JSONBody[ModerationIn]) -> dict[str, Any]:  # fmt: skip
        await moderate_thread(request.user, thread_id, ThreadModeration.pick(_plain(data)))
        return _ok()

    @post("/posts/{post_id:int}/moderation", opt=MODERATE_SCOPE, summary="Tindakan moderator pada balasan", status_code=200)
    async def post_action(self, request: Request[Any, Any, Any], post_id: FromPath[int],
                          data: JSONBody[ModerationIn]) -> dict[str, Any]:  # fmt: skip
        await moderate_post(request.user, post_id, PostModeration.pick(_plain(data)))
        return _ok()

    @post("/threads/{thread_id:int}/flags", summary="Laporkan topik", guards=[within_posting_limits])
    async def flag_thread(self, request: Request[Any, Any, Any], thread_id: FromPath[int],
                          data: JSONBody[FlagIn]) -> dict[str, Any]:  # fmt: skip
        return _ok(**await flag_content(request.user, "thread", thread_id, FlagReport.pick(_plain(data))))

    @post("/posts/{post_id:int}/flags", summary="Laporkan balasan", guards=[within_posting_limits])
    async def flag_post(self, request: Request[Any, Any, Any], post_id: FromPath[int],
                        data: JSONBody[FlagIn]) -> dict[str, Any]:  # fmt: skip
        return _ok(**await flag_content(request.user, "post", post_id, FlagReport.pick(_plain(data))))

    @get("/moderation/queue", opt=MODERATE_SCOPE, summary="Antrean tinjauan (moderator)")
    async def queue(self, request: Request[Any, Any, Any]) -> list[dict[str, Any]]:
        items = await review_queue(request.user)
        for item in items:  # the API gives ids and text, not rendered HTML
            for key in ("thread", "post", "target"):
                if isinstance(item.get(key), dict):
                    item[key].pop("body_html", None)
        return items

    @post("/moderation/flags/{target_type:str}/{target_id:int}", opt=MODERATE_SCOPE, summary="Selesaikan laporan", status_code=200)
    async def resolve(self, request: Request[Any, Any, Any], target_type: FromPath[str], target_id: FromPath[int],
                      data: JSONBody[ResolutionIn]) -> dict[str, Any]:  # fmt: skip
        if target_type not in {"thread", "post"}:
            require_moderator(request.user)
            raise NotFound("Jenis konten tidak dikenal.")
        await resolve_flags(request.user, target_type, target_id, FlagResolution.pick(_plain(data)))
        return _ok()

    @post("/threads/{thread_id:int}/feature", opt=MODERATE_SCOPE, summary="Jadikan Praktik Baik Pilihan", status_code=200)
    async def feature(self, request: Request[Any, Any, Any], thread_id: FromPath[int],
                      data: JSONBody[FeatureIn]) -> dict[str, Any]:  # fmt: skip
        await feature_thread(request.user, thread_id, Feature.pick(_plain(data)))
        return _ok()

    @delete("/threads/{thread_id:int}/feature", opt=MODERATE_SCOPE, summary="Batalkan Praktik Baik Pilihan", status_code=200)
    async def unfeature(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> dict[str, Any]:
        await unfeature_thread(request.user, thread_id)
        return _ok()

    @post("/threads/{thread_id:int}/solution", summary="Tandai balasan sebagai solusi", status_code=200)
    async def solution(self, request: Request[Any, Any, Any], thread_id: FromPath[int],
                       data: JSONBody[SolutionIn]) -> dict[str, Any]:  # fmt: skip
        await mark_solution(request.user, thread_id, data.post_id)
        return _ok()

    @delete("/threads/{thread_id:int}/solution", summary="Batalkan tanda solusi", status_code=200)
    async def no_solution(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> dict[str, Any]:
        await unmark_solution(request.user, thread_id)
        return _ok()

    @post("/threads/{thread_id:int}/revisions/{version:int}/revert", opt=MODERATE_SCOPE, summary="Kembalikan ke revisi", status_code=200)
    async def revert_thread(self, request: Request[Any, Any, Any], thread_id: FromPath[int],
                            version: FromPath[int]) -> dict[str, Any]:  # fmt: skip
        return _ok(**await revert_thread(request.user, thread_id, version))

    @post("/posts/{post_id:int}/revisions/{version:int}/revert", opt=MODERATE_SCOPE, summary="Kembalikan balasan ke revisi",
          status_code=200)  # fmt: skip
    async def revert_post(self, request: Request[Any, Any, Any], post_id: FromPath[int],
                          version: FromPath[int]) -> dict[str, Any]:  # fmt: skip
        return _ok(**await revert_post(request.user, post_id, version))

    @post("/users/{user_id:int}/role", opt=MODERATE_SCOPE, summary="Ubah peran (admin)", status_code=200)
    async def role(self, request: Request[Any, Any, Any], user_id: FromPath[int],
                   data: JSONBody[RoleIn]) -> dict[str, Any]:  # fmt: skip
        await set_role(request.user, user_id, data.role)
        return _ok()

    @post("/users/{user_id:int}/agency-admin", opt=MODERATE_SCOPE, summary="Tetapkan admin instansi (admin)", status_code=200)
    async def agency_admin(self, request: Request[Any, Any, Any], user_id: FromPath[int],
                           data: JSONBody[FlagValueIn]) -> dict[str, Any]:  # fmt: skip
        await set_agency_admin(request.user, user_id, data.value)
        return _ok()

    @post("/users/{user_id:int}/verification", opt=MODERATE_SCOPE, summary="Verifikasi anggota instansi", status_code=200)
    async def verification(self, request: Request[Any, Any, Any], user_id: FromPath[int],
                           data: JSONBody[FlagValueIn]) -> dict[str, Any]:  # fmt: skip
        await verify_member(request.user, user_id, data.value)
        return _ok()


class PublicModerationApi(Controller):
    tags = ["Moderasi"]

    @get("/modlog", summary="Log moderasi publik (catatan privat hanya untuk moderator)")
    async def modlog(self, request: Request[Any, Any, Any], cursor: FromQuery[str | None] = None) -> dict[str, Any]:
        viewer = request.user
        page = await list_actions(include_private=bool(viewer and viewer.is_moderator), cursor=cursor)
        return {"items": page.items, "next_cursor": page.next_cursor}

    @get("/featured", summary="Praktik Baik Pilihan")
    async def featured(self, request: Request[Any, Any, Any]) -> list[dict[str, Any]]:
        return await list_featured(parse_filters(query_params(request)))

    @get("/threads/{thread_id:int}/revisions", summary="Riwayat suntingan topik")
    async def thread_revisions(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> list[dict[str, Any]]:
        await get_visible_thread(thread_id, request.user)
        return _revision_list(await revisions.list_revisions(revisions.THREAD, thread_id))

    @get("/posts/{post_id:int}/revisions", summary="Riwayat suntingan balasan")
    async def post_revisions(self, request: Request[Any, Any, Any], post_id: FromPath[int]) -> list[dict[str, Any]]:
        reply = await get_post(post_id)
        thread = await get_visible_thread(reply["thread"], request.user)
        if not can_see(request.user, reply) or thread is None:
            raise NotFound("Balasan tidak ditemukan.")
        return _revision_list(await revisions.list_revisions(revisions.POST, post_id))


def _revision_list(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"version": r["version"], "editor": r["editor_name"], "created_at": r["created_at"],
             "content": r["content"]} for r in rows]  # fmt: skip
