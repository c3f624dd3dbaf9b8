"""Who may call the staff methods: required parameters, roles, module access, per-action permissions."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Caller

# action → (its required parameters with FOSSBilling's messages, in order; the permission it needs)
ADMIN_METHODS: dict[str, tuple[list[tuple[str, str]], str | None]] = {
    "get_list": ([], "staff.view"),
    "get_pairs": ([], "staff.view"),
    "get": ([("id", "ID was not passed")], "staff.view"),
    "is_super_administrator": ([], None),
    "update": ([("id", "ID was not passed")], "staff.create_and_edit_staff"),
    "delete": ([("id", "ID was not passed")], "staff.delete_staff"),
    "change_password": (
        [("id", "ID was not passed"), ("password", "Password required"),
         ("password_confirm", "Password confirmation required")],
        "staff.reset_staff_password",
    ),
    "create": (
        [("email", "Email address was not passed"), ("password", "Password was not passed"),
         ("name", "Name was not passed")],
        "staff.create_and_edit_staff",
    ),
    "group_get_pairs": ([], "staff.view"),
    "group_get_list": ([], "staff.manage_groups"),
    "group_create": ([("name", "Group name was not passed")], "staff.manage_groups"),
    "group_get": ([("id", "Group ID was not passed")], "staff.manage_groups"),
    "group_delete": ([("id", "Group ID was not passed")], "staff.manage_groups"),
    "group_update": ([("id", "Group ID was not passed")], "staff.manage_groups"),
    "group_member_add": (
        [("admin_id", "Staff member ID was not passed"), ("group_id", "Group ID was not passed")],
        "staff.manage_groups",
    ),
    "group_member_remove": (
        [("admin_id", "Staff member ID was not passed"), ("group_id", "Group ID was not passed")],
        "staff.manage_groups",
    ),
    "group_member_get_list": ([("group_id", "Group ID was not passed")], "staff.manage_groups"),
    "admin_group_get_list": ([("admin_id", "Staff member ID was not passed")], "staff.manage_groups"),
    "login_history_get_list": ([], "staff.manage_settings"),
    "login_history_get": ([("id", "Event ID was not passed")], "staff.manage_settings"),
}
GUEST_METHODS: dict[str, list[tuple[str, str]]] = {
    "login": [("email", "Email required"), ("password", "Password required")],
    "passwordreset": [("email", "Email required")],
    "update_password": [
        ("code", "Code required"), ("password", "Password required"),
        ("password_confirm", "Password confirmation required"),
    ],
}
FILLERS = {"email": "someone@example.com", "password": "Whatever-123", "password_confirm": "Whatever-123",
           "name": "Someone", "code": "abc"}


def _filler(name: str) -> Any:
    return FILLERS.get(name, 1)


def test_every_staff_method_is_registered() -> None:
    from pybilling.api.registry import registry

    registered = {(m.role, m.action) for m in registry.methods.values() if m.module == "staff"}
    expected = {("admin", a) for a in ADMIN_METHODS} | {("guest", a) for a in GUEST_METHODS}
    assert registered == expected


@pytest.mark.parametrize("action", [a for a, (req, _) in ADMIN_METHODS.items() if req])
def test_admin_required_parameters_in_order(admin: Any, action: str) -> None:
    required, _ = ADMIN_METHODS[action]
    sent: dict[str, Any] = {}
    for name, message in required:
        admin.api(f"staff/{action}", **sent).fails(message, 9999, 200)
        # blank values count as missing, as in FOSSBilling
        admin.api(f"staff/{action}", **{**sent, name: "  "}).fails(message)
        sent[name] = _filler(name)


@pytest.mark.parametrize("action", list(GUEST_METHODS))
def test_guest_required_parameters_in_order(guest: Caller, action: str) -> None:
    sent: dict[str, Any] = {}
    for name, message in GUEST_METHODS[action]:
        guest(f"staff/{action}", **sent).fails(message, 9999, 200)
        sent[name] = _filler(name)


def test_required_message_also_for_get_requests(admin: Any) -> None:
    admin.api.get("staff/get").fails("ID was not passed")
    admin.api.get("staff/create").fails("Email address was not passed")


def test_create_group_id_is_required_after_the_others(admin: Any) -> None:
    base = {"email": "new-member@example.com", "password": "Member-Pass-123", "name": "New"}
    admin.api("staff/create", **base).fails("Group ID was not passed")
    admin.api("staff/create", **base, group_id="").fails("Group ID was not passed")


def test_there_is_no_guest_create(guest: Caller) -> None:
    guest("staff/create", email="x@example.com", password="Abcdef-123", name="X", group_id=1).fails(
        "Guest API call create does not exist in module staff", 740, 404
    )


def test_client_key_cannot_call_admin_methods(make_client: Any, http: Any) -> None:
    client = make_client()
    as_client_on_admin = Caller(http, "admin")
    as_client_on_admin.key = client.key
    # Basic user name "admin" with a client key: no such staff key → 205
    as_client_on_admin("staff/get", id=1).fails("Authentication Failed", 205, 401)
    # a client's own credentials on the admin role: wrong role name → 203
    from tests.helpers import basic

    r = http.post("/api/admin/staff/get", json={"id": 1}, headers=basic("client", client.key))
    assert (r.status_code, r.json()["error"]["code"]) == (401, 203)


def test_client_role_has_no_staff_methods(make_client: Any) -> None:
    make_client().api("staff/get", id=1).fails("Client API call get does not exist in module staff", 740, 404)


def test_anonymous_admin_call_is_refused(http: Any) -> None:
    Caller(http, "admin")("staff/get_list").fails("Authentication Failed", 201, 401)


@pytest.mark.parametrize("action", list(ADMIN_METHODS))
def test_staff_without_module_access_gets_725(make_staff: Any, action: str) -> None:
    support = make_staff(group_id=3)  # Support Staff: no staff access
    support.api(f"staff/{action}").fails("You do not have access to the staff module", 725, 200)


@pytest.mark.parametrize("action", [a for a, (_, perm) in ADMIN_METHODS.items() if perm])
def test_missing_permission_is_403(staff_with: Any, action: str) -> None:
    required, permission = ADMIN_METHODS[action]
    member = staff_with()  # staff access, no keys
    params = {name: _filler(name) for name, _ in required}
    member.api(f"staff/{action}", **params).fails(
        f'You need the "{permission}" permission to perform this action', 403, 403
    )


def test_module_access_alone_answers_is_super_administrator(staff_with: Any, admin: Any) -> None:
    assert staff_with().api("staff/is_super_administrator").ok() is False
    assert admin.api("staff/is_super_administrator").ok() is True


def test_wrong_types_are_clean_errors(admin: Any) -> None:
    answer = admin.api("staff/get", id=["1"])
    answer.fails(code=9999)
    assert answer.message.startswith("Invalid value for parameter 'id': ")
    answer = admin.api("staff/get", id="abc")
    answer.fails(code=9999)
    assert answer.message.startswith("Invalid value for parameter 'id': ")
    assert "must be an integer" in answer.message
    admin.api("staff/update", id=admin.id, name={"a": 1}).fails(code=9999)
    admin.api("staff/group_create", name=["x"]).fails(code=9999)
