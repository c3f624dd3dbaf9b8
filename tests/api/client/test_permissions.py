"""Who may call what: roles, staff module access (725) and each method's staff permission (403)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Caller

# (action, permission, params that pass the required-parameter check)
ADMIN_METHODS = [
    ("get_list", "client.view", {}),
    ("get_pairs", "client.view", {}),
    ("get", "client.view", {"id": 1}),
    ("get_statuses", "client.view", {}),
    ("create", "client.create", {"email": "perm@example.com", "first_name": "P"}),
    ("update", "client.edit_profile", {"id": 1}),
    ("delete", "client.delete", {"id": 1}),
    ("change_password", "client.change_password", {"id": 1, "password": "a", "password_confirm": "a"}),
    ("login", "client.impersonate_login", {"id": 1}),
    ("balance_get_list", "client.manage_balance", {}),
    ("balance_delete", "client.manage_balance", {"id": 1}),
    ("balance_add_funds", "client.manage_balance", {"id": 1, "amount": "1", "description": "d"}),
    ("batch_expire_password_reminders", "client.delete", {}),
    ("login_history_get_list", "client.view_login_history", {}),
    ("group_get_pairs", "client.view", {}),
    ("group_create", "client.manage_groups", {"title": "t"}),
    ("group_update", "client.manage_groups", {"id": 1}),
    ("group_delete", "client.manage_groups", {"id": 1}),
    ("group_get", "client.manage_groups", {"id": 1}),
    ("batch_delete", "client.bulk_delete", {"ids": [1]}),
    ("export_csv", "client.export", {}),
]
CLIENT_METHODS = ["balance_get_list", "balance_get_total", "is_taxable", "resend_email_verification"]


@pytest.mark.parametrize(("action", "permission", "params"), ADMIN_METHODS)
def test_staff_without_client_module_access(make_staff: Any, action: str, permission: str, params: Any) -> None:
    support = make_staff(group_id=3)
    support.api(f"client/{action}", **params).fails("You do not have access to the client module", code=725)


@pytest.mark.parametrize(("action", "permission", "params"), ADMIN_METHODS)
def test_staff_missing_the_method_permission(staff_with: Any, action: str, permission: str, params: Any) -> None:
    others = [p for _, p, _ in ADMIN_METHODS if p != permission]
    staff = staff_with(*{p.split(".")[1] for p in others})
    staff.api(f"client/{action}", **params).fails(
        f'You need the "{permission}" permission to perform this action', code=403, status=403
    )


def test_required_params_are_checked_before_the_permission(staff_with: Any) -> None:
    staff_with().api("client/delete").fails("Client ID is missing")


@pytest.mark.parametrize(("action", "permission", "params"), ADMIN_METHODS)
def test_admin_methods_refuse_guests_and_clients(
    guest: Caller, make_client: Any, action: str, permission: str, params: Any
) -> None:
    Caller(guest.http, "admin")(f"client/{action}", **params).fails("Authentication Failed", code=201, status=401)
    account = make_client()
    Caller(account.api.http, "admin", account.key)(f"client/{action}", **params).fails(code=205, status=401)


def test_granted_permission_is_enough(staff_with: Any, make_client: Any) -> None:
    account = make_client()
    staff = staff_with("delete")
    assert staff.api("client/delete", id=account.id).ok() is True


@pytest.mark.parametrize("action", CLIENT_METHODS)
def test_client_methods_refuse_guests_and_staff_keys(guest: Caller, admin: Any, action: str) -> None:
    Caller(guest.http, "client")(f"client/{action}").fails("Authentication Failed", code=201, status=401)
    Caller(admin.api.http, "client", admin.key)(f"client/{action}").fails(code=204, status=401)


def test_balance_lines_need_the_balance_permission(staff_with: Any, make_client: Any) -> None:
    """Staff allowed to view clients still cannot read or move their money without `manage_balance`."""
    account = make_client(currency="USD")
    staff = staff_with("view")
    staff.api("client/balance_add_funds", id=account.id, amount="5", description="x").fails(code=403, status=403)
    assert account.api("client/balance_get_total").ok() == 0
    assert staff_with("manage_balance").api("client/balance_add_funds", id=account.id, amount="5",
                                            description="x").ok() is True
    assert account.api("client/balance_get_total").ok() == 5
