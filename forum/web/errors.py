"""How domain and framework errors reach people: an Indonesian page for browsers, RFC 9457 problem+json for the API.

Domain functions raise the exceptions of forum.core.errors; these handlers are registered once in ``create_app``.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from typing import Any

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from forum.core.errors import Conflict, DomainError, InvalidInput, LoginRequired, NotFound, ServiceUnavailable
from forum.web.allow import allow_value

logger = logging.getLogger("sinergi")

PROBLEM_JSON = "application/problem+json"


# Indonesian wording for errors raised by Litestar itself (routing, parsing, CSRF, auth, size limits).
_HTTP_DETAILS = {
    400: ("Permintaan tidak valid", "Permintaan tidak dapat dibaca. Periksa format data yang dikirim."),
    401: ("Perlu masuk", "Silakan masuk terlebih dahulu."),
    403: ("Akses ditolak", "Anda tidak memiliki izin untuk tindakan ini."),
    404: ("Tidak ditemukan", "Halaman atau data yang Anda cari tidak ditemukan."),
    405: ("Metode tidak diizinkan", "Metode permintaan ini tidak didukung untuk alamat tersebut."),
    413: ("Data terlalu besar", "Data yang dikirim melebihi batas ukuran."),
    415: ("Format tidak didukung", "Format data tidak didukung. Gunakan application/json."),
    422: ("Data tidak valid", "Periksa kembali isian yang ditandai."),
    429: ("Terlalu banyak permintaan", "Terlalu banyak permintaan. Coba lagi nanti."),
    500: ("Terjadi kesalahan", "Terjadi kesalahan pada server. Tim kami sudah dicatat dan akan memeriksanya."),
}
_CSRF_DETAIL = "Token keamanan (CSRF) tidak valid atau hilang. Muat ulang halaman lalu coba lagi."


def wants_json(request: Request[Any, Any, Any]) -> bool:
    if request.url.path.startswith("/api/") or request.url.path == "/api":
        return True
    accept = request.headers.get("accept", "")
    return "json" in accept and "html" not in accept


def _problem(request: Request[Any, Any, Any], status: int, title: str, detail: str, **extra: Any) -> Response[Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update({key: value for key, value in extra.items() if value})
    headers = {}
    if status in {429, 503} and extra.get("retry_after"):
        headers["Retry-After"] = str(extra["retry_after"])
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _page(
    request: Request[Any, Any, Any], status: int, title: str, detail: str, errors: dict[str, str] | None = None
) -> Response[Any]:
    return Template(
        template_name="errors/error.html",
        context={"status": status, "title": title, "detail": detail, "errors": errors or {}},
        status_code=status,
        media_type=MediaType.HTML,
    )


def _field_errors(errors: dict[str, str]) -> list[dict[str, str]]:
    return [{"field": field, "message": message} for field, message in errors.items()]


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if isinstance(exc, LoginRequired) and not wants_json(request):
        return Redirect(path=f"/masuk?next={request.url.path}")
    if wants_json(request):
        return _problem(
            request,
            exc.status_code,
            exc.title,
            exc.detail,
            errors=_field_errors(exc.errors),
            retry_after=getattr(exc, "retry_after", None),
        )
    response = _page(request, exc.status_code, exc.title, exc.detail, exc.errors)
    if retry_after := getattr(exc, "retry_after", None):
        response.headers["Retry-After"] = str(retry_after)
    return response


# Litestar passes msgspec's English messages on ("Object missing required field `title`", "Expected `int`, got
# `str`"); clients get the field and an Indonesian message instead.
_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")
_EXPECTED_TYPE = re.compile(r"Expected `([^`]+)`")
_TYPE_NAMES = {"str": "teks", "int": "bilangan bulat", "float": "angka", "bool": "true atau false",
               "array": "daftar (array JSON)", "object": "objek JSON", "null": "null"}  # fmt: skip


def _field_error(item: dict[str, Any]) -> dict[str, str]:
    message = str(item.get("message") or "")
    key = str(item.get("key") or "")
    whole_body = key in ("", "data")
    if missing := _MISSING_FIELD.search(message):
        field = missing.group(1) if whole_body else f"{key}.{missing.group(1)}"
        return {"field": field, "message": "Wajib diisi."}
    field = "body" if whole_body else key
    if expected := _EXPECTED_TYPE.search(message):
        names = [_TYPE_NAMES.get(name.strip(), name.strip()) for name in expected.group(1).split("|")]
        return {"field": field, "message": f"Harus berupa {' atau '.join(names)}."}
    return {"field": field, "message": "Nilai tidak valid atau tidak lengkap."}


def _validation_errors(exc: ValidationException) -> list[dict[str, str]]:
    return [_field_error(item) for item in exc.extra or [] if isinstance(item, dict)]


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status >= 500:
        logger.exception("server error on %s %s", request.method, request.url.path, exc_info=exc)
    title, detail = _HTTP_DETAILS.get(status, ("Permintaan tidak dapat diproses", str(exc.detail)))
    if status == 403 and "CSRF" in str(exc.detail):
        detail = _CSRF_DETAIL
    if isinstance(exc, NotAuthorizedException) and not wants_json(request) and request.method == "GET":
        return Redirect(path=f"/masuk?next={request.url.path}")
    if wants_json(request):
        errors = _validation_errors(exc) if isinstance(exc, ValidationException) else []
        if status == 400 and "json" in request.headers.get("content-type", ""):
            detail = (
                "Sebagian data JSON tidak sesuai skema; lihat daftar errors."
                if errors
                else "Data JSON tidak dapat dibaca atau tidak lengkap."
            )
        response = _problem(request, status, title, detail, errors=errors)
    else:
        response = _page(request, status, title, detail)
    # What the exception says about itself: `Allow` on a 405 (RFC 9110 §15.5.6), `WWW-Authenticate` on a 401.
    for name, value in (exc.headers or {}).items():
        if name.lower() == "allow":  # the router's list, with HEAD beside GET (forum.web.head answers it)
            response.headers["Allow"] = allow_value(value.split(","))
        elif name.lower() in {"www-authenticate", "retry-after"}:
            response.headers[name] = value
    return response


def server_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    title, detail = _HTTP_DETAILS[500]
    if wants_json(request):
        return _problem(request, HTTP_500_INTERNAL_SERVER_ERROR, title, detail)
    return _page(request, HTTP_500_INTERNAL_SERVER_ERROR, title, detail)


def out_of_range_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A number too large for the database (e.g. /topik/99999999999999999999) names nothing that can exist.
    SQLite's driver raises OverflowError, asyncpg a DataError; both mean "no such record", never a 500.
    Other data PostgreSQL refuses (text it cannot store, say) is the request's fault too, but not a 404."""
    out_of_range = isinstance(exc, (OverflowError, asyncpg.exceptions.NumericValueOutOfRangeError))
    if out_of_range or "out of range" in str(exc) or "out of int" in str(exc):
        return domain_error_handler(request, NotFound("Data dengan nomor itu tidak ditemukan."))
    logger.warning("database refused the data of %s %s: %s", request.method, request.url.path, exc)
    return domain_error_handler(request, InvalidInput({}, detail="Data yang dikirim tidak dapat disimpan."))


_BUSY = "Server sedang sibuk melayani banyak permintaan. Coba lagi dalam beberapa detik."
_DUPLICATE = "Data yang sama sudah tersimpan (mungkin terkirim dua kali). Muat ulang halaman untuk melihatnya."
_TOO_DEEP = "Data JSON bersarang terlalu dalam."


def database_busy_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """SQLite still locked after its busy timeout, or PostgreSQL giving up on a deadlock or a serialization
    conflict: the request may simply be sent again, so 503 with Retry-After, never a 500."""
    if isinstance(exc, sqlite3.OperationalError) and "locked" not in str(exc) and "busy" not in str(exc):
        return server_error_handler(request, exc)
    logger.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
    return domain_error_handler(request, ServiceUnavailable(_BUSY, retry_after=2))


def duplicate_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A unique constraint refused a write that raced its own check (two identical requests at once)."""
    if isinstance(exc, sqlite3.IntegrityError) and "UNIQUE" not in str(exc):
        return server_error_handler(request, exc)
    return domain_error_handler(request, Conflict(_DUPLICATE))


def recursion_handler(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Any]:
    """msgspec stops decoding JSON nested past its depth limit with a RecursionError: the body's fault (400)."""
    if "deserializ" not in str(exc):
        return server_error_handler(request, exc)
    title = _HTTP_DETAILS[400][0]
    return _problem(request, 400, title, _TOO_DEEP) if wants_json(request) else _page(request, 400, title, _TOO_DEEP)


EXCEPTION_HANDLERS = {
    DomainError: domain_error_handler,
    sqlite3.OperationalError: database_busy_handler,
    asyncpg.exceptions.DeadlockDetectedError: database_busy_handler,
    asyncpg.exceptions.SerializationError: database_busy_handler,
    asyncpg.exceptions.LockNotAvailableError: database_busy_handler,
    sqlite3.IntegrityError: duplicate_handler,
    asyncpg.exceptions.UniqueViolationError: duplicate_handler,
    RecursionError: recursion_handler,
    OverflowError: out_of_range_handler,
    asyncpg.exceptions.DataError: out_of_range_handler,
    HTTPException: http_error_handler,
    Exception: server_error_handler,
}
