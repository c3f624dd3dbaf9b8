"""`GET /client/confirm-email/{hash}`: the link of the confirmation email."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from pybilling.api.context import AppServices
from pybilling.api.dispatcher import request_client_ip
from pybilling.api.errors import RateLimited
from pybilling.core.events import events
from pybilling.modules.client import auth
from pybilling.web import web_route


def _confirm(services: AppServices, token: str) -> bool:
    """One transaction: approve the email and consume the token."""
    with services.session_factory() as db, db.begin():
        client = auth.confirm_email(db, token)
        if client is None:
            return False
        events.fire(db, "onAfterClientEmailConfirmed", id=client.id)
        return True


@web_route("/client/confirm-email/{hash}")
async def confirm_email_page(request: Request, services: AppServices) -> Response:
    """Confirm and send the browser to the client area, flagged `email_confirmed=1` (or `0` for a bad link)."""
    ip = request_client_ip(request, services)
    try:
        services.ratelimit.hit("client_email_confirm_ip", ip, ip=ip)
    except RateLimited as exc:
        return PlainTextResponse(
            exc.message, status_code=429, headers={"Retry-After": str(exc.retry_after or 1)}
        )
    token = str(request.path_params.get("hash", ""))
    confirmed = await run_in_threadpool(_confirm, services, token)
    target = f"{services.settings.base_url.rstrip('/')}/client?email_confirmed={1 if confirmed else 0}"
    return RedirectResponse(target, status_code=303)
