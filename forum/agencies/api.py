"""JSON API for agencies."""

from __future__ import annotations

import msgspec
from litestar import Controller, get, post
from litestar.params import JSONBody

from forum.agencies.service import AgencyInput, create_agency, list_agencies
from forum.web.security import requires_login


class AgencyCreate(msgspec.Struct):
    name: str
    kind: str
    province: str


class AgencyOut(msgspec.Struct):
    id: int
    name: str
    slug: str
    kind: str
    province: str
    url: str


def _out(row: dict) -> AgencyOut:
    return AgencyOut(**row, url=f"/instansi/{row['slug']}")


class AgencyApi(Controller):
    path = "/agencies"
    tags = ["Instansi"]

    @get("/", summary="Daftar instansi")
    async def list(self) -> list[AgencyOut]:
        return [_out(row) for row in await list_agencies()]

    @post("/", guards=[requires_login], summary="Daftarkan instansi baru", status_code=201)
    async def create(self, data: JSONBody[AgencyCreate]) -> AgencyOut:
        return _out(await create_agency(AgencyInput.pick(msgspec.structs.asdict(data))))
