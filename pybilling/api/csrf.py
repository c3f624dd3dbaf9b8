"""CSRF for session-authenticated admin/client calls (never for guest or API-key calls)."""

from __future__ import annotations

import hmac

from pybilling.api.context import CSRF_COOKIES
from pybilling.api.errors import PermissionDenied


def check_csrf(
    session_token: str, sent_token: str | None, header_token: str | None, cookies: dict[str, str]
) -> None:
    """The token comes from the body/query `CSRFToken`, else `X-CSRF-Token`; any CSRF cookie must agree."""
    token = sent_token if isinstance(sent_token, str) and sent_token else header_token
    if not token or not hmac.compare_digest(token.encode(), session_token.encode()):
        raise PermissionDenied("CSRF token invalid")
    for name in CSRF_COOKIES:
        cookie = cookies.get(name)
        if cookie is not None and not hmac.compare_digest(cookie.encode(), session_token.encode()):
            raise PermissionDenied("CSRF token invalid")
