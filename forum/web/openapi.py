"""OpenAPI at /schema, rendered by a self-hosted Swagger UI with no inline script (the CSP forbids it)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import msgspec
from litestar import Litestar, Request
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.openapi.spec import Operation, RequestBody

from forum.web.errors import PROBLEM_JSON

DESCRIPTION = (
    "API Sinergi: forum kolaborasi inovasi pelayanan publik antarinstansi. Untuk skrip, kirim "
    "`Authorization: Bearer <token>` (buat token dengan `sinergi create-token --email ...`). Dari peramban, "
    "sesi cookie berlaku dan setiap permintaan yang mengubah data wajib menyertakan header `x-csrftoken`. "
    "Galat mengikuti RFC 9457 (application/problem+json) dengan `detail` berbahasa Indonesia dan `errors` per isian."
)


class SelfHostedSwaggerPlugin(OpenAPIRenderPlugin):
    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = escape(openapi_schema["info"]["title"])
        spec_url = escape(self.get_openapi_json_route(request))
        return f"""<!DOCTYPE html>
<html lang="id">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
  <div id="swagger-container" data-spec-url="{spec_url}"></div>
  <script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="/static/js/swagger-init.js"></script>
</body>
</html>""".encode()


def openapi_config(version: str) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Sinergi API",
        version=version,
        description=DESCRIPTION,
        path="/schema",
        render_plugins=[SelfHostedSwaggerPlugin(path="/")],
    )


# --- the answers every operation can give besides its own ---------------------------------------------------


class FieldProblem(msgspec.Struct):
    field: str
    message: str


class Problem(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details, as forum.core.errors writes them."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldProblem] | msgspec.UnsetType = msgspec.UNSET
    retry_after: int | msgspec.UnsetType = msgspec.UNSET


PROBLEM_DESCRIPTIONS = {
    400: "Permintaan tidak dapat dibaca (JSON rusak, terlalu dalam, atau tidak sesuai skema).",
    401: "Belum masuk: kirim `Authorization: Bearer <token>`.",
    403: "Tidak berwenang untuk tindakan ini (atau token CSRF tidak ada).",
    404: "Tidak ditemukan, atau tidak terlihat oleh Anda.",
    409: "Bertabrakan dengan keadaan saat ini (versi lama, sudah ada, atau langkah yang tidak berlaku).",
    413: "Isi permintaan terlalu besar.",
    422: "Data tidak valid; `errors` menyebut isian dan pesannya.",
    429: "Batas tercapai; coba lagi setelah `Retry-After` detik.",
    503: "Basis data sedang sibuk; coba lagi setelah `Retry-After` detik.",
}
READ_PROBLEMS = (400, 404, 422, 503)
WRITE_PROBLEMS = (400, 401, 403, 404, 409, 413, 422, 429, 503)


def _problem_spec(status: int) -> ResponseSpec:
    return ResponseSpec(data_container=Problem, media_type=PROBLEM_JSON, description=PROBLEM_DESCRIPTIONS[status],
                        generate_examples=False)  # fmt: skip


def document_problems(app: Litestar) -> None:
    """Give every API operation the problem+json answers it can give, so the schema says what clients get.
    Reads take no login unless guarded; writes always need one (and are limited, versioned, checked)."""
    for route in app.routes:
        if not route.path.startswith("/api/"):
            continue
        for handler in getattr(route, "route_handlers", ()):
            if not handler.resolve_include_in_schema():
                continue
            writes = bool(set(handler.http_methods) - {"GET", "HEAD", "OPTIONS"})
            statuses = set(WRITE_PROBLEMS if writes else READ_PROBLEMS)
            if handler.resolve_guards():
                statuses |= {401, 403}
            handler.responses = {**{status: _problem_spec(status) for status in sorted(statuses)},
                                 **(handler.responses or {})}  # fmt: skip


@dataclass
class OptionalBodyOperation(Operation):
    """An operation whose JSON body may be left out (Litestar marks every body required)."""

    def __post_init__(self) -> None:
        if isinstance(self.request_body, RequestBody):
            self.request_body.required = False
