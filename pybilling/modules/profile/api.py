"""Profile API methods: the caller's own profile, password, API key and sessions (admin and client)."""

from __future__ import annotations

from typing import Any

from pybilling.api.context import Call
from pybilling.api.registry import NoParams, api_method
from pybilling.modules.profile import service
from pybilling.modules.profile.schemas import (
    ChangePasswordParams,
    ClientIdParams,
    ClientUpdateParams,
    StaffUpdateParams,
)

_STAFF_PASSWORDS = {
    "current_password": "Current password is required",
    "new_password": "New password is required",
    "confirm_password": "New password confirmation is required",
}
_CLIENT_PASSWORDS = {
    "current_password": "Current password required",
    "new_password": "New password required",
    "confirm_password": "New password confirmation required",
}


def _logout(call: Call) -> bool:
    """A session loses this identity; an API-key call has no session, so nothing changes."""
    if call.identity.via == "session":
        call.end_session_identity(call.identity.role)
    return True


# -- admin ---------------------------------------------------------------------------------------
@api_method("admin", "profile", "get")
def admin_get(call: Call, params: NoParams) -> dict[str, Any]:
    """The signed-in staff member."""
    return service.staff_to_api(call.services.secrets, call.staff)


@api_method("admin", "profile", "update")
def admin_update(call: Call, params: StaffUpdateParams) -> bool:
    """Change own email, name, signature or timezone."""
    service.update_staff(
        call.db, call.staff, params.model_dump(exclude_unset=True), dns_check=call.settings.email_dns_check
    )
    return True


@api_method("admin", "profile", "logout")
def admin_logout(call: Call, params: NoParams) -> bool:
    """End the staff identity of this browser session."""
    return _logout(call)


@api_method("admin", "profile", "generate_api_key", session_wins_over_key=True)
def admin_generate_api_key(call: Call, params: NoParams) -> bool:
    """A new API key for the signed-in member (read it with `profile/get`)."""
    service.new_staff_api_key(call.db, call.services.secrets, call.staff)
    return True


@api_method("admin", "profile", "change_password", required=_STAFF_PASSWORDS)
def admin_change_password(call: Call, params: ChangePasswordParams) -> bool:
    """Change own password; every other session of the member ends."""
    staff = call.staff
    call.rate_limit("profile_password_change_ip")
    call.rate_limit("profile_password_change_account", f"admin:{staff.id}")
    service.change_staff_password(
        call.db, staff, params.current_password, params.new_password, params.confirm_password
    )
    call.destroy_other_sessions(staff_id=staff.id)
    return True


@api_method("admin", "profile", "destroy_sessions")
def admin_destroy_sessions(call: Call, params: NoParams) -> bool:
    """End every session of the signed-in member, this one included."""
    call.destroy_sessions(staff_id=call.staff.id)
    return True


@api_method(
    "admin", "profile", "api_key_reset", required={"id": "Client ID was not passed"},
    permission="client.manage_api_keys", session_wins_over_key=True,
)
def admin_api_key_reset(call: Call, params: ClientIdParams) -> str:
    """A new API key for client `id`, returned."""
    return service.reset_client_api_key(call.db, call.services.secrets, params.id)


# -- client --------------------------------------------------------------------------------------
@api_method("client", "profile", "get")
def client_get(call: Call, params: NoParams) -> dict[str, Any]:
    """The signed-in client's own details."""
    return service.client_to_api(call.db, call.client)


@api_method("client", "profile", "update")
def client_update(call: Call, params: ClientUpdateParams) -> bool:
    """Change own contact details; role, status, group, balance, key and currency are not taken."""
    service.update_client(
        call.db, call.client, params.model_dump(exclude_unset=True), dns_check=call.settings.email_dns_check
    )
    return True


@api_method("client", "profile", "api_key_get", session_wins_over_key=True)
def client_api_key_get(call: Call, params: NoParams) -> str | None:
    """The client's own API key, or null when it has none."""
    return service.client_api_key(call.services.secrets, call.client)


@api_method("client", "profile", "api_key_reset", session_wins_over_key=True)
def client_api_key_reset(call: Call, params: NoParams) -> str:
    """A new API key for the client, returned; the old one stops working at once."""
    return service.new_client_api_key(call.db, call.services.secrets, call.client)


@api_method("client", "profile", "change_password", required=_CLIENT_PASSWORDS)
def client_change_password(call: Call, params: ChangePasswordParams) -> bool:
    """Change own password; every other session of the client ends."""
    client = call.client
    call.rate_limit("profile_password_change_ip")
    call.rate_limit("profile_password_change_account", f"client:{client.id}")
    service.change_client_password(
        call.db, client, params.current_password, params.new_password, params.confirm_password
    )
    call.destroy_other_sessions(client_id=client.id)
    return True


@api_method("client", "profile", "logout")
def client_logout(call: Call, params: NoParams) -> bool:
    """End the client identity of this browser session."""
    return _logout(call)


@api_method("client", "profile", "destroy_sessions")
def client_destroy_sessions(call: Call, params: NoParams) -> bool:
    """End every session of the signed-in client, this one included."""
    call.destroy_sessions(client_id=call.client.id)
    return True
