"""Pages of mutasi: asking to move agency (one's own account), and deciding (the destination's admin, moderators)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from forum.accounts.mutasi import MoveRequest, decide_move, own_moves, request_move, withdraw_move
from forum.agencies.service import list_agencies
from forum.core.errors import InvalidInput
from forum.web.forms import page, read_form, redirect
from forum.web.security import requires_login, requires_signed_in


async def _page(request: Request[Any, Any, Any], *, errors: dict[str, str], form: dict[str, Any],
                status_code: int = 200) -> Template:  # fmt: skip
    return page("accounts/mutasi.html", status_code=status_code, moves=await own_moves(request.user), errors=errors,
                form=form, agencies=[a for a in await list_agencies() if a["id"] != request.user.agency_id], sent=request.query_params.get("terkirim") == "1")  # fmt: skip


class MutasiPages(Controller):
    include_in_schema = False

    @get("/akun/mutasi", guards=[requires_signed_in], name="mutasi")
    async def form(self, request: Request[Any, Any, Any]) -> Template:
        return await _page(request, errors={}, form={})

    @post("/akun/mutasi", guards=[requires_login])
    async def ask(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await read_form(request)
        try:
            await request_move(request.user, MoveRequest.pick(data))
        except InvalidInput as exc:
            return await _page(request, errors=exc.errors, form=data, status_code=422)
        return redirect("/akun/mutasi?terkirim=1")

    @post("/akun/mutasi/{move_id:int}/batal", guards=[requires_login])
    async def withdraw(self, request: Request[Any, Any, Any], move_id: FromPath[int]) -> Redirect:
        await withdraw_move(request.user, move_id)
        return redirect("/akun/mutasi")

    @post("/mutasi/{move_id:int}/putuskan", guards=[requires_login])
    async def decide(self, request: Request[Any, Any, Any], move_id: FromPath[int]) -> Redirect:
        data = await read_form(request)
        decision = data.get("decision")
        if decision not in {"setujui", "tolak"}:
            raise InvalidInput({"decision": "Pilih: setujui atau tolak."})
        await decide_move(request.user, move_id, decision == "setujui", data.get("decision_note"))
        return redirect("/verifikasi-anggota")
