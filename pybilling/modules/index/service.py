"""The client dashboard: profile summary now; invoices, orders and tickets once those modules exist."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pybilling.modules.client import service as client_service
from pybilling.modules.client.models import Client

PROFILE_FIELDS = (
    "id", "email", "email_approved", "type", "first_name", "last_name", "gender", "birthday", "phone_cc",
    "phone", "company", "company_vat", "company_number", "address_1", "address_2", "city", "state",
    "postcode", "country", "currency", "lang", "timezone",
)


def profile(db: Session, client: Client) -> dict[str, Any]:
    result = {name: getattr(client, name) for name in PROFILE_FIELDS}
    result["email_approved"] = bool(client.email_approved)
    result["balance"] = client_service.as_number(client_service.client_balance(db, client.id))
    return result


def dashboard(db: Session, client: Client) -> dict[str, Any]:
    return {
        "profile": profile(db, client),
        "tickets": {"total": 0, "open": 0, "on_hold": 0, "closed": 0},
        "invoices": {"total": 0, "paid": 0, "unpaid": 0},
        "orders": {"total": 0, "active": 0, "expiring": 0},
        "recent_orders": [],
        "recent_tickets": [],
    }
