"""Domain errors: the small exceptions domain functions raise. They know nothing about HTTP; forum.web.errors
turns them into an Indonesian page for browsers and RFC 9457 problem+json for the API."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400
    title = "Permintaan tidak dapat diproses"

    def __init__(self, detail: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}


class InvalidInput(DomainError):
    status_code = 422
    title = "Data tidak valid"

    def __init__(self, errors: dict[str, str], detail: str = "Periksa kembali isian yang ditandai.") -> None:
        super().__init__(detail, errors)


class NotFound(DomainError):
    status_code = 404
    title = "Tidak ditemukan"


class Forbidden(DomainError):
    status_code = 403
    title = "Akses ditolak"


class LoginRequired(DomainError):
    status_code = 401
    title = "Perlu masuk"

    def __init__(self, detail: str = "Silakan masuk terlebih dahulu.") -> None:
        super().__init__(detail)


class Conflict(DomainError):
    status_code = 409
    title = "Konflik perubahan"


class TooManyRequests(DomainError):
    status_code = 429
    title = "Terlalu banyak permintaan"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    """Something the request needs is briefly out of reach (a busy database, the limits store): try again."""

    status_code = 503
    title = "Layanan sedang sibuk"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
