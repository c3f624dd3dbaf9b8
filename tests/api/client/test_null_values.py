"""JSON `null` for an optional text field means "not given", never a server error."""

from __future__ import annotations

from typing import Any

from tests.helpers import Caller, unique_email


def test_signup_with_null_optional_fields(guest: Caller) -> None:
    email = unique_email("nulls")
    new_id = guest(
        "client/create", email=email, first_name="Nul", last_name=None, company=None, phone=None,
        password="Null-Pass-123", password_confirm="Null-Pass-123",
    ).ok()
    assert isinstance(new_id, int)


def test_dashboard_balance_is_the_ledger_sum(admin: Any, make_client: Any) -> None:
    client = make_client(currency="USD")
    admin.api("client/balance_add_funds", id=client.id, amount="12.50", description="Top-up").ok()
    admin.api("client/balance_add_funds", id=client.id, amount="-2.25", description="Fee").ok()
    dashboard = client.api("index/get_dashboard").ok()
    assert dashboard["profile"]["balance"] == 10.25
