"""client/index/get_dashboard: the client's own profile and (for now empty) counts."""

from __future__ import annotations

from typing import Any

from tests.helpers import Caller

PROFILE_KEYS = {
    "id", "email", "email_approved", "type", "first_name", "last_name", "gender", "birthday", "phone_cc",
    "phone", "company", "company_vat", "company_number", "address_1", "address_2", "city", "state",
    "postcode", "country", "currency", "lang", "timezone", "balance",
}


def test_dashboard_of_the_calling_client(make_client: Any) -> None:
    client = make_client(first_name="Sample", last_name="Client", company="Sample Co", city="Springfield",
                         country="US", phone_cc="1", phone="5550100")
    make_client(first_name="Someone", last_name="Else")
    board = client.api("index/get_dashboard").ok()
    assert set(board) == {"profile", "tickets", "invoices", "orders", "recent_orders", "recent_tickets"}
    profile = board["profile"]
    assert set(profile) == PROFILE_KEYS
    assert (profile["id"], profile["email"], profile["first_name"], profile["last_name"]) == (
        client.id, client.email, "Sample", "Client",
    )
    assert (profile["company"], profile["city"], profile["country"], profile["phone"]) == (
        "Sample Co", "Springfield", "US", "5550100",
    )
    assert profile["balance"] == 0
    assert profile["birthday"] is None
    assert board["tickets"] == {"total": 0, "open": 0, "on_hold": 0, "closed": 0}
    assert board["invoices"] == {"total": 0, "paid": 0, "unpaid": 0}
    assert board["orders"] == {"total": 0, "active": 0, "expiring": 0}
    assert board["recent_orders"] == []
    assert board["recent_tickets"] == []


def test_dashboard_over_get(make_client: Any) -> None:
    client = make_client()
    assert client.api.get("index/get_dashboard").ok()["profile"]["id"] == client.id


def test_dashboard_needs_a_client(http: Any, admin: Any, guest: Caller) -> None:
    Caller(http, "client")("index/get_dashboard").fails("Authentication Failed", code=201, status=401)
    guest("index/get_dashboard").fails(code=740, status=404)
    admin.api("index/get_dashboard").fails(code=740, status=404)
