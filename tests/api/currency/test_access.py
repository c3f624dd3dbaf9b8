"""Who may call the currency methods: required parameters, roles, module access, staff permissions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.helpers import Caller

ADMIN_METHODS = {
    "get_list": "currency.view",
    "get_pairs": "currency.view",
    "get": "currency.view",
    "get_default": "currency.view",
    "is_cron_enabled": "currency.view",
    "create": "currency.create",
    "update": "currency.edit",
    "delete": "currency.delete",
    "set_default": "currency.set_default",
    "update_rates": "currency.update_rates",
}
NEEDS_CODE = ("get", "create", "update", "delete", "set_default")


@pytest.mark.parametrize("action", NEEDS_CODE)
@pytest.mark.parametrize("params", [{}, {"code": ""}, {"code": None}])
def test_missing_code_is_refused_with_fossbillings_message(admin: Any, action: str, params: dict[str, Any]) -> None:
    admin.api(f"currency/{action}", **params).fails("Currency code is missing", status=200)


@pytest.mark.parametrize("action", NEEDS_CODE)
def test_missing_code_is_checked_before_the_permission(staff_with: Callable[..., Any], action: str) -> None:
    staff = staff_with()
    staff.api(f"currency/{action}").fails("Currency code is missing")


@pytest.mark.parametrize(("action", "permission"), ADMIN_METHODS.items())
def test_each_admin_method_needs_its_permission(
    staff_with: Callable[..., Any], action: str, permission: str
) -> None:
    others = [key for key in ("view", "create", "edit", "delete", "set_default", "update_rates")
              if key != permission.split(".")[1]]
    staff = staff_with(*others)
    staff.api(f"currency/{action}", code="EUR").fails(
        f'You need the "{permission}" permission to perform this action', code=403, status=403
    )


def test_a_permission_is_enough_for_its_method(staff_with: Callable[..., Any]) -> None:
    viewer = staff_with("view")
    assert viewer.api("currency/get_default").ok()["code"] == "USD"
    creator = staff_with("create")
    assert creator.api("currency/create", code="EUR", conversion_rate="0.9").ok() == "EUR"
    creator.api("currency/get", code="EUR").fails(
        'You need the "currency.view" permission to perform this action', code=403
    )


def test_staff_without_module_access_is_refused(staff_with: Callable[..., Any]) -> None:
    staff = staff_with("view", access=False)
    staff.api("currency/get_list").fails("You do not have access to the currency module", code=725)


def test_a_guest_cannot_call_admin_methods(http: TestClient) -> None:
    Caller(http, "admin")("currency/get_list").fails("Authentication Failed", code=201, status=401)


def test_a_client_key_cannot_call_admin_methods(
    make_client: Callable[..., Any], http: TestClient, add_currency: Callable[..., None],
    stored: Callable[[str], Any],
) -> None:
    add_currency("EUR", "0.9")
    client = make_client()
    answer = Caller(http, "admin", client.key)("currency/delete", code="EUR")
    answer.fails("Authentication Failed", code=205, status=401)
    assert stored("EUR") is not None


def test_there_are_no_client_currency_methods(make_client: Callable[..., Any]) -> None:
    make_client().api("currency/get_list").fails(
        "Client API call get_list does not exist in module currency", code=740, status=404
    )


@pytest.mark.parametrize("action", ["get_pairs", "get", "format"])
def test_guest_methods_need_no_login(guest: Caller, action: str) -> None:
    assert guest.get(f"currency/{action}").ok()
