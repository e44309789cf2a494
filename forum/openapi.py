"""OpenAPI at /schema, rendered by a self-hosted Swagger UI with no inline script (the CSP forbids it)."""

from __future__ import annotations

from html import escape
from typing import Any

from litestar import Request
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import OpenAPIRenderPlugin

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
