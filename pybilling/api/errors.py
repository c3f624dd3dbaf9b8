"""The one error type the API answers with, and FOSSBilling's code → HTTP status map."""

from __future__ import annotations

VALIDATION_CODE = 9999
UNEXPECTED_CODE = 9998

_STATUS_BY_CODE = {
    201: 401, 202: 401, 203: 401, 204: 401, 205: 401, 206: 401, 1002: 401, 1004: 401,
    403: 403, 740: 404, 429: 429, 503: 503, 701: 400, 879: 400, 413: 413,
}


def http_status_for(code: int) -> int:
    return _STATUS_BY_CODE.get(code, 200)


class ApiError(Exception):
    """An error answered in the envelope: `{"result": null, "error": {"message", "code"}}`."""

    def __init__(self, message: str, code: int = VALIDATION_CODE, *, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_after = retry_after

    @property
    def http_status(self) -> int:
        return http_status_for(self.code)


class AuthenticationFailed(ApiError):
    def __init__(self, code: int = 201):
        super().__init__("Authentication Failed", code)


class PermissionDenied(ApiError):
    def __init__(self, message: str):
        super().__init__(message, 403)


class RateLimited(ApiError):
    def __init__(self, retry_after: int):
        super().__init__("Rate limit exceeded. Please try again later.", 429, retry_after=max(1, retry_after))


class NotFound(ApiError):
    """An object that does not exist, or that the caller may not see (same answer by design)."""

    def __init__(self, message: str):
        super().__init__(message, VALIDATION_CODE)


def unknown_call(path: str) -> ApiError:
    return ApiError(f"Unknown API call {path}", 879)
