"""Impact indicators: the forms on the thread page and the JSON API.

Page forms (each comes back to the thread's "Indikator dampak" section; invalid input re-renders the thread
page with the form open and its errors, 422): POST /topik/{id}/indikator, /indikator/{id}/ubah,
/indikator/{id}/hapus, /indikator/{id}/verifikasi (``value`` = 1 or 0).
API: GET/POST /api/threads/{id}/indicators, PATCH/DELETE /api/indicators/{id},
POST /api/indicators/{id}/verification ``{"value": true|false}``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.response import Redirect, Template

from forum.collaboration.indicators import (
    FIELDS,
    IndicatorChanges,
    IndicatorInput,
    add_indicator,
    delete_indicator,
    edit_indicator,
    get_indicator,
    list_indicators,
    set_indicator_verification,
)
from forum.core.errors import InvalidInput
from forum.threads.service import get_thread, get_visible_thread
from forum.web.forms import ThreadPageAgainDependency, read_form, redirect
from forum.web.security import requires_login

SECTION_ANCHOR = "#indikator-dampak"


# --- API schemas ---------------------------------------------------------------------------------------------
# Numbers may also come as text ("2,5"); dates are "YYYY-MM-DD" text, so that every mistake is answered with a
# 422 naming the field in Indonesian rather than a schema error.


class IndicatorIn(msgspec.Struct):
    name: str | None = None
    baseline_value: float | str | None = None
    unit: str | None = None
    baseline_on: str | None = None
    result_value: float | str | None = None
    result_on: str | None = None
    source: str | None = None
    higher_is_better: bool | None = None


class IndicatorPatch(msgspec.Struct, omit_defaults=True):
    """Only the fields sent change; send null to clear an optional one (e.g. result_value)."""

    name: str | msgspec.UnsetType = msgspec.UNSET
    unit: str | msgspec.UnsetType | None = msgspec.UNSET
    baseline_value: float | str | msgspec.UnsetType = msgspec.UNSET
    baseline_on: str | msgspec.UnsetType | None = msgspec.UNSET
    result_value: float | str | msgspec.UnsetType | None = msgspec.UNSET
    result_on: str | msgspec.UnsetType | None = msgspec.UNSET
    source: str | msgspec.UnsetType | None = msgspec.UNSET
    higher_is_better: bool | msgspec.UnsetType = msgspec.UNSET


class VerificationIn(msgspec.Struct):
    value: bool


class IndicatorOut(msgspec.Struct):
    id: int
    thread_id: int
    name: str
    unit: str
    baseline_value: float
    baseline_on: str | None
    result_value: float | None
    result_on: str | None
    source: str
    higher_is_better: bool
    change: float | None  # result − baseline
    change_percent: float | None  # relative to |baseline|; null from a zero baseline
    improvement_percent: float | None  # positive = better in the indicator's own direction
    trend: str | None  # membaik, memburuk, tetap; null without a result
    verified: bool
    verified_at: datetime | None
    verified_by: int | None
    verified_by_name: str


def indicator_out(item: dict[str, Any]) -> IndicatorOut:
    change = item["change"] or {}
    return IndicatorOut(
        id=item["id"],
        thread_id=item["thread"],
        name=item["name"],
        unit=item["unit"],
        baseline_value=item["baseline_value"],
        baseline_on=item["baseline_on"].isoformat() if item["baseline_on"] else None,
        result_value=item["result_value"],
        result_on=item["result_on"].isoformat() if item["result_on"] else None,
        source=item["source"],
        higher_is_better=item["higher_is_better"],
        change=change.get("absolute"),
        change_percent=change.get("percent"),
        improvement_percent=change.get("improvement_percent"),
        trend=change.get("trend"),
        verified=item["verified"],
        verified_at=item["verified_at"],
        verified_by=item["verified_by"],
        verified_by_name=item["verifier_name"],
    )


class IndicatorApi(Controller):
    tags = ["Indikator dampak"]

    @get("/threads/{thread_id:int}/indicators", summary="Indikator dampak sebuah kasus inovasi")
    async def list(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> list[IndicatorOut]:
        await get_visible_thread(thread_id, request.user)
        return [indicator_out(item) for item in await list_indicators(thread_id)]

    @post("/threads/{thread_id:int}/indicators", guards=[requires_login], summary="Tambah indikator dampak",
          status_code=201)  # fmt: skip
    async def create(self, request: Request[Any, Any, Any], thread_id: FromPath[int],
                     data: JSONBody[IndicatorIn]) -> IndicatorOut:  # fmt: skip
        created = await add_indicator(request.user, thread_id, IndicatorInput.pick(msgspec.structs.asdict(data)))
        return indicator_out(await get_indicator(created))

    @patch("/indicators/{indicator_id:int}", guards=[requires_login],
           summary="Ubah indikator dampak (mengubah indikator terverifikasi mencabut verifikasinya)")  # fmt: skip
    async def edit(self, request: Request[Any, Any, Any], indicator_id: FromPath[int],
                   data: JSONBody[IndicatorPatch]) -> IndicatorOut:  # fmt: skip
        changes = {name: value for name, value in msgspec.structs.asdict(data).items() if value is not msgspec.UNSET}
        await edit_indicator(request.user, indicator_id, IndicatorChanges.pick(changes))
        return indicator_out(await get_indicator(indicator_id))

    @delete("/indicators/{indicator_id:int}", guards=[requires_login], summary="Hapus indikator dampak")
    async def remove(self, request: Request[Any, Any, Any], indicator_id: FromPath[int]) -> None:
        await delete_indicator(request.user, indicator_id)

    @post("/indicators/{indicator_id:int}/verification", guards=[requires_login], status_code=200,
          summary="Verifikasi indikator (admin instansi pemilik kasus atau moderator)")  # fmt: skip
    async def verification(self, request: Request[Any, Any, Any], indicator_id: FromPath[int],
                           data: JSONBody[VerificationIn]) -> IndicatorOut:  # fmt: skip
        await set_indicator_verification(request.user, indicator_id, data.value)
        return indicator_out(await get_indicator(indicator_id))


# --- pages ---------------------------------------------------------------------------------------------------


def _form_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data.get(name) for name in FIELDS}


async def _thread_url(thread_id: int) -> str:
    return (await get_thread(thread_id))["url"]




class IndicatorPages(Controller):
    include_in_schema = False
    guards = [requires_login]

    @post("/topik/{thread_id:int}/indikator")
    async def create(self, request: Request[Any, Any, Any], thread_id: FromPath[int],
                     thread_page_again: ThreadPageAgainDependency) -> Template | Redirect:  # fmt: skip
        form = _form_fields(await read_form(request))
        try:
            created = await add_indicator(request.user, thread_id, IndicatorInput.pick(form))
        except InvalidInput as exc:
            if "thread" in exc.errors:  # not an innovation case: nothing to fix in the form
                raise
            return await thread_page_again(request, thread_id, indicator_form=form, indicator_errors=exc.errors)
        return redirect(f"{await _thread_url(thread_id)}#indikator-{created}")

    @post("/indikator/{indicator_id:int}/ubah")
    async def edit(self, request: Request[Any, Any, Any], indicator_id: FromPath[int],
                   thread_page_again: ThreadPageAgainDependency) -> Template | Redirect:  # fmt: skip
        form = _form_fields(await read_form(request))
        try:
            await edit_indicator(request.user, indicator_id, IndicatorChanges.pick(form))  # a form sends every field
        except InvalidInput as exc:
            current = await get_indicator(indicator_id)  # the thread page again, this indicator's form open
            return await thread_page_again(request, current["thread"], indicator_form=form, indicator_errors=exc.errors,
                                           indicator_editing=indicator_id)  # fmt: skip
        thread_id = (await get_indicator(indicator_id))["thread"]
        return redirect(f"{await _thread_url(thread_id)}#indikator-{indicator_id}")

    @post("/indikator/{indicator_id:int}/hapus")
    async def delete(self, request: Request[Any, Any, Any], indicator_id: FromPath[int]) -> Redirect:
        thread_id = await delete_indicator(request.user, indicator_id)
        return redirect(f"{await _thread_url(thread_id)}{SECTION_ANCHOR}")

    @post("/indikator/{indicator_id:int}/verifikasi")
    async def verify(self, request: Request[Any, Any, Any], indicator_id: FromPath[int]) -> Redirect:
        value = (await read_form(request)).get("value", "1") == "1"
        thread_id = await set_indicator_verification(request.user, indicator_id, value)
        return redirect(f"{await _thread_url(thread_id)}#indikator-{indicator_id}")
