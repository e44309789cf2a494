"""Pages and API for replications (replikasi) and follow-up commitments (tindak lanjut)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.response import Redirect, Template

from forum.commitments.service import (
    CommitmentCancellation,
    CommitmentCompletion,
    CommitmentInput,
    add_commitment,
    cancel_commitment,
    commitments_of_thread,
    complete_commitment,
    open_commitments,
)
from forum.core.errors import InvalidInput, NotFound
from forum.core.tables import Commitment, Replication
from forum.replication.service import (
    Interest,
    ReplicationStep,
    declare_interest,
    lineage,
    move_replication,
    replications_of,
)
from forum.threads.service import get_thread, get_visible_thread
from forum.web.flood import within_posting_limits
from forum.web.forms import ThreadPageAgainDependency, page, read_form, redirect
from forum.web.security import requires_login

ACTIONS = {"setujui": "agree", "terapkan": "implement", "hasil": "report_outcome", "batalkan": "cancel"}


async def _thread_url(thread_id: int, anchor: str) -> str:
    return f"{(await get_thread(thread_id))['url']}#{anchor}"


class CollaborationPages(Controller):
    include_in_schema = False

    @post("/topik/{thread_id:int}/replikasi", guards=[requires_login, within_posting_limits])
    async def interest(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Redirect:
        await declare_interest(request.user, thread_id, Interest.pick(await read_form(request)))
        return redirect(await _thread_url(thread_id, "replikasi"))

    @post("/replikasi/{replication_id:int}/{step:str}", guards=[requires_login])
    async def step(self, request: Request[Any, Any, Any], replication_id: FromPath[int], step: FromPath[str]) -> Redirect:
        if step not in ACTIONS:
            raise NotFound("Langkah tidak dikenal.")
        data = await read_form(request)
        await move_replication(request.user, replication_id, ACTIONS[step], ReplicationStep.pick(data))
        row = await Replication.select(Replication.source_thread).where(Replication.id == replication_id).first()
        return redirect(await _thread_url(row["source_thread"], "replikasi"))

    @get("/topik/{thread_id:int}/silsilah-replikasi", name="lineage")
    async def lineage_page(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> Template:
        await get_visible_thread(thread_id, request.user)
        return page("collaboration/lineage.html", tree=await lineage(thread_id))

    @post("/topik/{thread_id:int}/tindak-lanjut", guards=[requires_login, within_posting_limits])
    async def commit(self, request: Request[Any, Any, Any], thread_id: FromPath[int],
                     thread_page_again: ThreadPageAgainDependency) -> Template | Redirect:  # fmt: skip
        data = await read_form(request)
        try:
            await add_commitment(request.user, thread_id, CommitmentInput.pick(data))
        except InvalidInput as exc:  # the thread page again, the form open with what was typed and why not
            return await thread_page_again(request, thread_id, commitment_form=data, commitment_errors=exc.errors)
        return redirect(await _thread_url(thread_id, "tindak-lanjut"))

    @post("/tindak-lanjut/{commitment_id:int}/{step:str}", guards=[requires_login])
    async def close(self, request: Request[Any, Any, Any], commitment_id: FromPath[int], step: FromPath[str]) -> Redirect:
        if step not in {"selesai", "batalkan"}:
            raise NotFound("Langkah tidak dikenal.")
        data = await read_form(request)
        if step == "selesai":
            await complete_commitment(request.user, commitment_id, CommitmentCompletion.pick(data))
        else:
            await cancel_commitment(request.user, commitment_id, CommitmentCancellation.pick(data))
        row = await Commitment.select(Commitment.thread).where(Commitment.id == commitment_id).first()
        return redirect(await _thread_url(row["thread"], "tindak-lanjut"))

    @get("/tindak-lanjut", name="commitments")
    async def board(
        self,
        agency: Annotated[str, QueryParameter(name="instansi")] = "",
        user_id: Annotated[int | None, QueryParameter(name="pengguna")] = None,
        overdue: Annotated[str, QueryParameter(name="terlambat")] = "",
    ) -> Template:
        rows = await open_commitments(agency_slug=agency[:120], user_id=user_id, overdue_only=overdue == "1")
        return page("collaboration/commitments.html", commitments=rows, agency=agency, user_id=user_id,
                    overdue_only=overdue == "1")  # fmt: skip


class InterestIn(msgspec.Struct):
    note: str | None = None


class StepIn(msgspec.Struct):
    action: str
    implemented_on: date | None = None
    adaptation_note: str | None = None
    outcome_note: str | None = None
    reason: str | None = None
    replica_thread_id: int | None = None


class CommitmentIn(msgspec.Struct):
    what: str
    due_on: date
    owner_id: int | None = None


class CloseIn(msgspec.Struct):
    evidence: str | None = None
    reason: str | None = None


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v.isoformat() if isinstance(v, (date, datetime)) else v) for k, v in row.items()} for row in rows]


class CollaborationApi(Controller):
    tags = ["Kolaborasi"]

    @get("/threads/{thread_id:int}/replications", summary="Replikasi sebuah inovasi")
    async def replications(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> list[dict[str, Any]]:
        await get_visible_thread(thread_id, request.user)
        return _jsonable((await replications_of([thread_id])).get(thread_id, []))

    @post("/threads/{thread_id:int}/replications", guards=[requires_login, within_posting_limits],
          summary="Instansi saya berminat mereplikasi")  # fmt: skip
    async def interest(self, request: Request[Any, Any, Any], thread_id: FromPath[int],
                       data: JSONBody[InterestIn]) -> dict[str, Any]:  # fmt: skip
        return await declare_interest(request.user, thread_id, Interest.pick(msgspec.structs.asdict(data)))

    @post("/replications/{replication_id:int}/transitions", guards=[requires_login], status_code=200,
          summary="Langkah replikasi: agree, implement, report_outcome, cancel")  # fmt: skip
    async def step(self, request: Request[Any, Any, Any], replication_id: FromPath[int],
                   data: JSONBody[StepIn]) -> dict[str, Any]:  # fmt: skip
        fields = msgspec.structs.asdict(data)
        if fields["implemented_on"]:
            fields["implemented_on"] = fields["implemented_on"].isoformat()
        return await move_replication(request.user, replication_id, fields.pop("action"), ReplicationStep.pick(fields))

    @get("/threads/{thread_id:int}/lineage", summary="Silsilah replikasi")
    async def lineage(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> dict[str, Any]:
        await get_visible_thread(thread_id, request.user)
        return msgspec.to_builtins(await lineage(thread_id))  # type: ignore[no-any-return]

    @get("/threads/{thread_id:int}/commitments", summary="Komitmen tindak lanjut sebuah topik")
    async def commitments(self, request: Request[Any, Any, Any], thread_id: FromPath[int]) -> list[dict[str, Any]]:
        await get_visible_thread(thread_id, request.user)
        return _jsonable(await commitments_of_thread(thread_id))

    @post("/threads/{thread_id:int}/commitments", guards=[requires_login, within_posting_limits],
          summary="Catat komitmen tindak lanjut")  # fmt: skip
    async def commit(self, request: Request[Any, Any, Any], thread_id: FromPath[int],
                     data: JSONBody[CommitmentIn]) -> dict[str, Any]:  # fmt: skip
        fields = msgspec.structs.asdict(data)
        fields["due_on"] = fields["due_on"].isoformat()
        return await add_commitment(request.user, thread_id, CommitmentInput.pick(fields))

    @post("/commitments/{commitment_id:int}/complete", guards=[requires_login], status_code=200,
          summary="Tandai komitmen selesai (dengan bukti)")  # fmt: skip
    async def complete(self, request: Request[Any, Any, Any], commitment_id: FromPath[int],
                       data: JSONBody[CloseIn]) -> dict[str, Any]:  # fmt: skip
        return await complete_commitment(request.user, commitment_id, CommitmentCompletion.pick(msgspec.structs.asdict(data)))

    @post("/commitments/{commitment_id:int}/cancel", guards=[requires_login], status_code=200,
          summary="Batalkan komitmen (dengan alasan)")  # fmt: skip
    async def cancel(self, request: Request[Any, Any, Any], commitment_id: FromPath[int],
                     data: JSONBody[CloseIn]) -> dict[str, Any]:  # fmt: skip
        return await cancel_commitment(request.user, commitment_id, CommitmentCancellation.pick(msgspec.structs.asdict(data)))

    @get("/commitments", summary="Komitmen terbuka per instansi atau per orang")
    async def open(self, agency: FromQuery[str] = "", user: FromQuery[int | None] = None,
                   overdue: FromQuery[bool] = False) -> list[dict[str, Any]]:  # fmt: skip
        return _jsonable(await open_commitments(agency_slug=agency[:120], user_id=user, overdue_only=overdue))
