"""`/api/{role}/{module}/{action}`: parameters, identity, CSRF, checks, the call, the envelope.

The order of checks is FOSSBilling's: role → authentication → module active (715) → staff module
access (725) → action exists (740) → required parameters → staff permission (403) → validation.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import re
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote

import orjson
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Message, Receive, Scope, Send

from pybilling.api import encoding
from pybilling.api.context import SESSION_COOKIE, AppServices, Call, Effects, RequestInfo, parse_cookie_header
from pybilling.api.csrf import check_csrf
from pybilling.api.errors import UNEXPECTED_CODE, ApiError, AuthenticationFailed, PermissionDenied, unknown_call
from pybilling.api.identity import Identity, authenticate_key, parse_basic, principal_loader, staff_authorizer
from pybilling.api.params import decode_pairs, is_missing
from pybilling.api.registry import ROLES, ApiMethod, registry
from pybilling.core.timefmt import use_display_timezone, zone

log = logging.getLogger("pybilling.api")

_SEGMENT = re.compile(r"^[A-Za-z0-9_]+$")
_NO_MODULE_ACCESS_CHECK = {"index", "dashboard", "profile"}
_LOGIN_CALLS = {("staff", "login"), ("client", "login")}
HEADERS = {
    "Cache-Control": "must-revalidate, no-cache, private",
    "Expires": "Mon, 26 Jul 1997 05:00:00 GMT",
    "X-Content-Type-Options": "nosniff",
}
_RAW_HEADERS = [(b"content-type", b"application/json")] + [
    (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in HEADERS.items()
]


class ApiResponse(Response):
    """A JSON envelope with the API's fixed headers, prebuilt once (every call answers with them)."""

    media_type = "application/json"

    def __init__(self, body: bytes, status_code: int = 200):
        self.status_code = status_code
        self.body = body
        self.background = None
        self.raw_headers = [*_RAW_HEADERS, (b"content-length", str(len(body)).encode("latin-1"))]

# Extension state (715) is pluggable: the extension module replaces this with its stored state.
# It gets the call (its `db` opens a session on first use: most modules are answered without one).
ModuleGate = Callable[[Call, str], bool]


def _default_module_gate(call: Call, module: str) -> bool:
    return module in registry.modules


_module_gate: list[ModuleGate] = [_default_module_gate]


def set_module_gate(gate: ModuleGate) -> None:
    _module_gate[:] = [gate]


# Checks a module adds for every authenticated client call, run after authentication and CSRF with
# `(call, module, action)`; a guard refuses by raising ApiError (e.g. an unconfirmed email address).
ClientGuard = Callable[[Call, str, str], None]
_client_guards: list[ClientGuard] = []


def add_client_guard(guard: ClientGuard) -> None:
    if guard not in _client_guards:
        _client_guards.append(guard)


def envelope(result: Any = None, error: ApiError | None = None, effects: Effects | None = None) -> Response:
    if error is None:
        body = encoding.dumps({"result": result, "error": None})
        status = 200
    else:
        body = encoding.dumps({"result": None, "error": {"message": error.message, "code": error.code}})
        status = error.http_status
    response = ApiResponse(body, status)
    if error is not None and error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    if effects is not None:
        apply_effects(response, effects, secure=False)
    return response


def apply_effects(response: Response, effects: Effects, *, secure: bool) -> None:
    for cookie in effects.cookies:
        if cookie.max_age == 0:
            response.delete_cookie(cookie.name, path="/", secure=secure, httponly=cookie.http_only,
                                   samesite=cookie.same_site)  # type: ignore[arg-type]
        else:
            response.set_cookie(
                cookie.name, cookie.value, max_age=cookie.max_age, path="/", secure=secure,
                httponly=cookie.http_only, samesite=cookie.same_site,  # type: ignore[arg-type]
            )


def _peer(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "127.0.0.1"


def client_ip(scope: Scope, headers: dict[str, str], services: AppServices) -> str:
    peer = _peer(scope)
    proxies = services.settings.trusted_proxy_networks
    forwarded = headers.get("x-forwarded-for")
    if not forwarded or not proxies:
        return peer
    try:
        hops = [ipaddress.ip_address(peer)]
        hops += [ipaddress.ip_address(h.strip()) for h in reversed(forwarded.split(",")) if h.strip()]
    except ValueError:
        return peer
    # Walk back from the nearest hop while it is a trusted proxy; the first untrusted one is the client.
    for hop in hops:
        if not any(hop in net for net in proxies):
            return str(hop)
    return str(hops[-1])


def request_client_ip(request: Request, services: AppServices) -> str:
    """`client_ip` for a page served through Starlette."""
    forwarded = request.headers.get("x-forwarded-for")
    return client_ip(request.scope, {"x-forwarded-for": forwarded} if forwarded else {}, services)


def _is_https(scope: Scope, headers: dict[str, str], services: AppServices) -> bool:
    if scope.get("scheme") == "https" or services.settings.base_url.startswith("https://"):
        return True
    proxies = services.settings.trusted_proxy_networks
    if not proxies:
        return False
    try:
        trusted = any(ipaddress.ip_address(_peer(scope)) in n for n in proxies)
    except ValueError:
        trusted = False
    return trusted and headers.get("x-forwarded-proto", "").lower() == "https"


def _url(scope: Scope, headers: dict[str, str]) -> str:
    host = headers.get("host") or "{}:{}".format(*scope.get("server") or ("localhost", 80))
    query = scope.get("query_string", b"")
    url = f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}{scope['path']}"
    return f"{url}?{query.decode('latin-1')}" if query else url


async def _read_body(receive: Receive, headers: dict[str, str], max_bytes: int) -> bytes:
    declared = headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ApiError("Request body is too large", 413)
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ApiError("The client disconnected before sending the whole request", 400)
        body.extend(message.get("body", b""))
        if len(body) > max_bytes:
            raise ApiError("Request body is too large", 413)
        if not message.get("more_body", False):
            return bytes(body)


async def _parse_multipart(scope: Scope, body: bytes) -> dict[str, Any]:
    """Parse an already size-checked multipart body (replayed, so the limit holds without Content-Length)."""

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(scope, replay).form(max_files=20, max_fields=2000)
    except (MultiPartException, HTTPException, ValueError) as exc:
        raise ApiError("Malformed form input: not valid multipart data", 400) from exc
    return decode_pairs(form.multi_items())  # uploaded files stay UploadFile values


async def read_params(scope: Scope, receive: Receive, headers: dict[str, str], max_bytes: int) -> dict[str, Any]:
    """Query string, then the body (form or JSON) over it: the body wins on a shared key."""
    query = scope.get("query_string", b"").decode("latin-1")
    params = decode_pairs(parse_qsl(query, keep_blank_values=True)) if query else {}
    if scope["method"] != "POST":
        return params
    body = await _read_body(receive, headers, max_bytes)
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        params.update(await _parse_multipart(scope, body))
        return params
    if content_type == "application/x-www-form-urlencoded":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ApiError("Malformed form input: not UTF-8", 400) from exc
        params.update(decode_pairs(parse_qsl(text, keep_blank_values=True)))
        return params
    if not body.strip():
        return params
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ApiError("Malformed JSON input: Syntax error", 400) from None
    if not isinstance(decoded, dict):
        raise ApiError("Malformed JSON input: the body must be a JSON object", 400)
    params.update(decoded)
    return params


def _validation_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    name = ".".join(str(part) for part in first["loc"]) or "input"
    reason = first["msg"]
    if first["type"] in ("string_type", "int_type", "bool_type", "float_type", "decimal_type"):
        reason = reason.replace("Input should be", "must be")
    reason = reason.removeprefix("Value error, ")
    return f"Invalid value for parameter '{name}': {reason}"


def _nul_path(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return path if "\x00" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return f"{path}.{key}"
        found = _nul_path(item, f"{path}.{key}")
        if found:
            return found
    return None


def _refuse_nul(params: dict[str, Any], exempt: frozenset[str]) -> None:
    """A NUL character in any text is refused up front: PostgreSQL cannot store it, no field needs it."""
    for name, value in params.items():
        if name in exempt:
            continue
        found = _nul_path(value, name) if "\x00" not in name else name
        if found:
            raise ApiError(f"Invalid value for parameter '{found}': must not contain NUL characters")


# Calls that hash passwords, reach the network, run jobs or stream big answers go to the thread pool,
# so they never stall a worker's event loop. Every other call is a few short queries: running it on
# the loop avoids a thread hand-off per request (about twice the throughput on `make bench`).
THREADED_ACTIONS = frozenset({
    "login", "create", "update_password", "change_password", "passwordreset", "reset_password",
    "update_rates", "ip_lookup", "run", "run_check", "run_checks", "export_csv", "batch_delete",
    "resend_email_verification",
})


def runs_in_thread_pool(role: str, cls: str, method_name: str) -> bool:
    module, _, action = f"{cls}_{method_name}".partition("_")
    if action.lower() in THREADED_ACTIONS:
        return True
    found = registry.find(role, module.lower(), action)
    return found is not None and found.blocking


def pad_to_floor(started: float) -> None:
    """Answer logins no sooner than a random 75-125 ms, as FOSSBilling does, so timing tells nothing."""
    floor = random.uniform(0.075, 0.125)
    remaining = floor - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)


def _unexpected_error(where: str) -> Response:
    """Log the exception being handled with a request id; answer with the id and nothing internal."""
    request_id = secrets.token_hex(8)
    log.exception("unexpected error %s [request %s]", where, request_id)
    return envelope(error=ApiError(f"An unexpected error occurred. Request ID: {request_id}", UNEXPECTED_CODE))


class Dispatcher:
    def __init__(self, services: AppServices):
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI app of `/api/…`: every answer is an envelope, whatever goes wrong."""
        try:
            response = await self.handle(scope, receive)
        except Exception:  # noqa: BLE001 - logged with its traceback by _unexpected_error
            response = _unexpected_error("before dispatch")
        await response(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive) -> Response:
        if scope["method"] not in ("GET", "HEAD", "POST"):
            return PlainTextResponse("Not Found", status_code=404)
        raw_path = (scope.get("raw_path") or scope["path"].encode("utf-8")).decode("latin-1").split("?")[0]
        rest = raw_path[len("/api/"):] if raw_path.startswith("/api/") else ""
        segments = rest.split("/")
        if len(segments) != 3 or segments[0] not in ROLES or not all(_SEGMENT.match(s) for s in segments):
            return envelope(error=unknown_call(unquote(rest)))
        role, cls, method = segments
        # ASGI header names are lower-case; the first of repeated headers wins, as in Starlette.
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in reversed(scope["headers"])}
        ip = client_ip(scope, headers, self.services)
        allowed = self.services.settings.api_allowed_ips_list
        if allowed and ip not in allowed:
            return envelope(error=ApiError("Unauthorized IP", 1002))
        try:
            params = await read_params(scope, receive, headers, self.services.settings.max_body_bytes)
        except ApiError as exc:
            return envelope(error=exc)
        cookie_header = headers.get("cookie")
        cookies = parse_cookie_header(cookie_header) if cookie_header else {}
        info = RequestInfo(
            ip=ip,
            user_agent=headers.get("user-agent", "")[:255],
            https=_is_https(scope, headers, self.services),
            url=_url(scope, headers),
            session_cookie=cookies.get(SESSION_COOKIE),
            cookies=cookies,
        )
        csrf_sent = params.pop("CSRFToken", None)
        args = (role, cls, method, params, info, headers.get("authorization"), csrf_sent, headers.get("x-csrf-token"))
        if runs_in_thread_pool(role, cls, method):
            return await run_in_threadpool(self._dispatch, *args)
        return self._dispatch(*args)

    def _dispatch(
        self, role: str, cls: str, method_name: str, params: dict[str, Any], info: RequestInfo,
        authorization: str | None, csrf_sent: Any, csrf_header: str | None,
    ) -> Response:
        module, _, action = f"{cls}_{method_name}".partition("_")
        module = module.lower()
        started = time.monotonic()
        failed = True
        # One transaction per call, begun by its first query; a call answered from memory (cached
        # settings) opens no session at all.
        call = Call(self.services, info, Identity("guest"))
        effects = call.effects
        use_display_timezone(lambda: zone(call.param("timezone")))
        try:
            result = self._run(call, role, module, action, params, authorization, csrf_sent, csrf_header)
            response = call.effects.response or envelope(result)
            db = call.opened_db
            if db is not None and db.in_transaction():
                db.commit()
            failed = False
        except ApiError as exc:
            response = envelope(error=exc)
        except ValidationError as exc:
            response = envelope(error=ApiError(_validation_message(exc)))
        except Exception:  # noqa: BLE001 - logged with its traceback by _unexpected_error
            response = _unexpected_error(f"in {role}/{module}/{action}")
        finally:
            db = call.opened_db
            if db is not None:
                db.close()  # rolls back whatever a failed call left uncommitted
        if failed:
            effects.cookies.clear()
            if effects.after_failure:
                self._record_failure(effects)
        apply_effects(response, effects, secure=info.https)
        if effects.login_time_floor and self.services.settings.login_time_floor:
            pad_to_floor(started)
        return response

    def _record_failure(self, effects: Effects) -> None:
        """Writes a handler asked to keep although its call failed (e.g. a failed-login record)."""
        try:
            with self.services.session_factory() as db, db.begin():
                for write in effects.after_failure:
                    write(db)
        except Exception:
            log.exception("could not record a failed call")

    def _authenticate(self, call: Call, role: str, method: ApiMethod | None, authorization: str | None) -> Identity:
        if role == "guest":
            return Identity("guest")
        credentials = parse_basic(authorization)
        use_key = credentials is not None and credentials.username in ("admin", "client")
        if use_key and method is not None and method.session_wins_over_key and self._session_identity(call, role):
            use_key = False
        if use_key and credentials is not None:
            return authenticate_key(call.db, self.services.secrets, role, credentials)
        identity = self._session_identity(call, role)
        if identity is None:
            raise AuthenticationFailed(201)
        return identity

    def _session_identity(self, call: Call, role: str) -> Identity | None:
        session = call.web_session
        if session is None:
            return None
        principal_id = session.staff_id if role == "admin" else session.client_id
        if principal_id is None:
            return None
        principal = principal_loader(role).by_id(call.db, principal_id)
        if principal is None:
            return None
        return Identity(role, principal, "session")  # type: ignore[arg-type]

    def _run(
        self, call: Call, role: str, module: str, action: str, params: dict[str, Any],
        authorization: str | None, csrf_sent: Any, csrf_header: str | None,
    ) -> Any:
        method = registry.find(role, module, action) if module else None
        if role == "guest":
            limit = "api_login" if (module, action.lower()) in _LOGIN_CALLS else "api_guest"
            call.rate_limit(limit)
        else:
            call.rate_limit("api_authenticated_ip")
        call.identity = self._authenticate(call, role, method, authorization)
        if role != "guest":
            call.rate_limit("api_authenticated_account", f"{role}:{call.identity.principal_id}")
            if call.identity.via == "session" and self.services.settings.csrf_enabled:
                session = call.web_session
                assert session is not None
                check_csrf(session.csrf_token, csrf_sent, csrf_header, call.request.cookies)
            if role == "client":
                for guard in _client_guards:
                    guard(call, module, action)
        if not module:
            raise ApiError("Invalid module name", 714)
        if not _module_gate[0](call, module):
            raise ApiError(f"FOSSBilling module {module} is not installed/activated", 715)
        if role == "admin":
            info = registry.modules.get(module)
            always = module in _NO_MODULE_ACCESS_CHECK or (info is not None and info.always_accessible)
            if not always and not staff_authorizer().can_access_module(call.db, call.identity.principal, module):
                raise ApiError(f"You do not have access to the {module} module", 725)
        if method is None:
            raise ApiError(f"{role.capitalize()} API call {action} does not exist in module {module}", 740)
        for name, message in method.required:
            if is_missing(params, name):
                raise ApiError(message)
        if method.permission and not staff_authorizer().has_permission(
            call.db, call.identity.principal, method.permission
        ):
            raise PermissionDenied(f'You need the "{method.permission}" permission to perform this action')
        _refuse_nul(params, method.params.nul_checked_by_method)
        parsed = method.params.model_validate(params)
        return method.handler(call, parsed)
