"""What a signed-in client may not do yet: act before confirming its email, when that is required."""

from __future__ import annotations

from pybilling.api.context import Call
from pybilling.api.errors import PermissionDenied
from pybilling.modules.client import service

CONFIRM_FIRST = "Please check your mailbox and confirm your email address."
_OPEN_MODULES = ("client", "profile")


def require_confirmed_email(call: Call, module: str, action: str) -> None:
    """FOSSBilling's rule: only `/api/client/client/*` and `/api/client/profile/*` stay open."""
    if module in _OPEN_MODULES or call.client.email_approved:
        return
    if service.config(call.db).require_email_confirmation:
        raise PermissionDenied(CONFIRM_FIRST)
