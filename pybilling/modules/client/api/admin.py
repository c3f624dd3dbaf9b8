"""Staff methods on clients: create, read, list, update, delete, change a password."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from pybilling.api.context import Call
from pybilling.api.errors import ApiError, NotFound
from pybilling.api.identity import staff_authorizer
from pybilling.api.pagination import page_request, paginate
from pybilling.api.registry import NoParams, api_method
from pybilling.core import api_keys
from pybilling.modules.client import auth, export, service
from pybilling.modules.client.models import Client
from pybilling.modules.client.schemas import (
    AdminCreateParams,
    AdminGetParams,
    AdminUpdateParams,
    BatchDeleteParams,
    ChangePasswordParams,
    ExportCsvParams,
    IdParams,
    ImpersonateParams,
    ListParams,
    LoginHistoryParams,
    PairsParams,
)

IMPERSONATE_INACTIVE = "Only an active client can be signed in to"
_PASSWORDS = {"password": "Password required", "password_confirm": "Password confirmation required"}
_UPDATABLE = {
    *service.STAFF_FIELDS, "email", "first_name", "status", "currency", "email_approved", "tax_exempt",
    "created_at", "group_id", "client_group_id",
}


@api_method("admin", "client", "get_list", permission="client.view")
def admin_get_list(call: Call, params: ListParams) -> dict[str, Any]:
    """Clients matching the filters, newest first unless `order_by`/`order_dir` say otherwise."""
    page = page_request(params.page, params.per_page)
    filters = params.model_dump(exclude={"page", "per_page", "order_by", "order_dir"})
    return service.admin_list(call.db, filters, params.order_by, params.order_dir.lower() == "desc", page)


@api_method("admin", "client", "get_pairs", permission="client.view")
def admin_get_pairs(call: Call, params: PairsParams) -> dict[str, str] | list[Any]:
    """`{id: label}` of the newest clients (`per_page`, default 30) for pickers."""
    limit = _pairs_limit(params.per_page)
    return service.pairs(call.db, params.search, limit) or []


def _pairs_limit(raw: Any) -> int:
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return 30
    text = str(raw).strip() if isinstance(raw, int | str) and not isinstance(raw, bool) else ""
    if not text.isdigit() or not 1 <= int(text) <= 500:
        raise ApiError("Invalid per page number")
    return int(text)


@api_method("admin", "client", "get", permission="client.view")
def admin_get(call: Call, params: AdminGetParams) -> dict[str, Any]:
    """One client by `id` or `email`; the API key only for staff allowed to manage keys."""
    client: Client | None
    if params.id is not None:
        client = call.db.get(Client, params.id)
    elif params.email:
        client = service.find_by_email(call.db, params.email)
    else:
        raise ApiError("Client ID or email is required")
    if client is None:
        raise NotFound("Client not found")
    with_token = staff_authorizer().has_permission(call.db, call.staff, "client.manage_api_keys")
    token = api_keys.reveal(call.services.secrets, client) if with_token else None
    return service.to_admin_detail(client, service.client_balance(call.db, client.id), token, with_token)


@api_method("admin", "client", "get_statuses", permission="client.view")
def admin_get_statuses(call: Call, params: NoParams) -> dict[str, int]:
    """How many clients there are in total and per status."""
    return service.status_counts(call.db)


@api_method(
    "admin", "client", "create",
    required={"email": "Email required", "first_name": "First name is required"},
    permission="client.create",
)
def admin_create(call: Call, params: AdminCreateParams) -> int:
    """Create a client; without a password, the welcome email lets the client choose one."""
    if not params.send_welcome_email and not params.password:
        raise ApiError("A password is required when the welcome email is disabled.")
    if params.send_welcome_email and params.status != "active":
        raise ApiError("Welcome email can only be sent for active clients.")
    if service.email_taken(call.db, params.email or ""):
        raise ApiError(service.EMAIL_TAKEN)
    call.fire("onBeforeAdminClientCreate", email=params.email, staff_id=call.staff.id)
    client = service.admin_create(
        call.db,
        email=params.email or "",
        first_name=params.first_name or "",
        password=params.password,
        group_id=params.group_id,
        status=params.status,
        values=params.model_dump(include=set(service.STAFF_FIELDS), exclude_unset=True),
        created_at=params.created_at,
        dns_check=call.settings.email_dns_check,
    )
    if params.send_welcome_email:
        auth.send_welcome_email(call.db, client, call.settings.base_url, call.request.ip)
    call.fire("onAfterAdminClientCreate", id=client.id, staff_id=call.staff.id)
    return client.id


@api_method("admin", "client", "update", required={"id": "Client ID was not passed"}, permission="client.edit_profile")
def admin_update(call: Call, params: AdminUpdateParams) -> bool:
    """Change the given fields; suspending or canceling signs the client out everywhere at once."""
    client = service.get(call.db, params.id)
    call.fire("onBeforeAdminClientUpdate", id=client.id, staff_id=call.staff.id)
    values = params.model_dump(include=_UPDATABLE, exclude_unset=True)
    service.admin_update(
        call.db, client, values, dns_check=call.settings.email_dns_check,
        end_sessions=lambda client_id: _end_sessions(call, client_id),
    )
    call.fire("onAfterAdminClientUpdate", id=client.id, staff_id=call.staff.id)
    return True


def _end_sessions(call: Call, client_id: int) -> None:
    call.destroy_sessions(client_id=client_id)


@api_method("admin", "client", "delete", required={"id": "Client ID is missing"}, permission="client.delete")
def admin_delete(call: Call, params: IdParams) -> bool:
    _delete(call, service.get(call.db, params.id))
    return True


def _delete(call: Call, client: Client) -> None:
    client_id = client.id
    call.fire("onBeforeAdminClientDelete", id=client_id, staff_id=call.staff.id)
    call.destroy_sessions(client_id=client_id)
    service.delete_client(call.db, client)
    call.fire("onAfterAdminClientDelete", id=client_id, staff_id=call.staff.id)


@api_method("admin", "client", "batch_delete", required={"ids": "IDs were not passed"}, permission="client.bulk_delete")
def admin_batch_delete(call: Call, params: BatchDeleteParams) -> bool:
    """Delete every listed client, or none: one unknown id refuses the whole batch."""
    for client_id in dict.fromkeys(params.ids):
        _delete(call, service.get(call.db, client_id))
    return True


@api_method("admin", "client", "batch_expire_password_reminders", permission="client.delete")
def admin_batch_expire_password_reminders(call: Call, params: NoParams) -> bool:
    """Remove the password-reset links that have expired."""
    service.expire_password_reminders(call.db)
    return True


@api_method("admin", "client", "login_history_get_list", permission="client.view_login_history")
def admin_login_history_get_list(call: Call, params: LoginHistoryParams) -> dict[str, Any]:
    """Client logins, newest first, optionally of one client (`client_id`) or matching `search`."""
    page = page_request(params.page, params.per_page)
    stmt = service.login_history_query(params.client_id, params.search)
    return paginate(call.db, stmt, page, service.login_to_api, scalars=False)


@api_method("admin", "client", "export_csv", permission="client.export")
def admin_export_csv(call: Call, params: ExportCsvParams) -> None:
    """Download the clients as `clients.csv` (`headers`: the columns; never passwords or API keys)."""
    body = export.export_csv(call.db, params.headers)
    call.effects.response = Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="clients.csv"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@api_method("admin", "client", "login", required={"id": "ID required"}, permission="client.impersonate_login")
def admin_login(call: Call, params: ImpersonateParams) -> dict[str, Any]:
    """Act as a client in the client area.

    From a staff browser session, that session gains the client identity (and loses the staff one
    with `strip_admin_identity`). With an API key, a new client session is made and handed out in
    `Set-Cookie`, with its CSRF cookies.
    """
    client = service.get(call.db, params.id)
    if client.status != "active":
        raise ApiError(IMPERSONATE_INACTIVE)
    session = call.web_session if call.identity.via == "session" else None
    if session is None:
        call.start_session(client_id=client.id, fresh=True)
    else:
        session.client_id = client.id
        if params.strip_admin_identity:
            session.staff_id = None
        call.services.sessions.save(call.db, session)
    return service.to_session(client)


@api_method(
    "admin", "client", "change_password",
    required={"id": "ID required", **_PASSWORDS},
    permission="client.change_password",
)
def admin_change_password(call: Call, params: ChangePasswordParams) -> bool:
    """Set a client's password; the client's sessions end."""
    client = service.get(call.db, params.id)
    password = service.check_passwords(params.password, params.password_confirm)
    call.fire("onBeforeAdminClientPasswordChange", id=client.id, staff_id=call.staff.id)
    service.set_password(call.db, client, password)
    call.destroy_sessions(client_id=client.id)
    call.fire("onAfterAdminClientPasswordChange", id=client.id, staff_id=call.staff.id)
    return True
