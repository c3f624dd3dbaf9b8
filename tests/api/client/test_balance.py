"""The balance ledger: add funds, void lines, lists, totals, and the balance in client shapes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from pybilling.modules.client.models import Client, ClientBalance

LINE_KEYS = {"id", "description", "amount", "currency", "created_at"}


def _lines(db: Any, client_id: int) -> list[ClientBalance]:
    db.expire_all()
    with db.begin():
        stmt = select(ClientBalance).where(ClientBalance.client_id == client_id).order_by(ClientBalance.id)
        return list(db.scalars(stmt))


def _ledger_sum(db: Any, client_id: int) -> Decimal:
    with db.begin():
        total = db.scalar(select(func.sum(ClientBalance.amount)).where(ClientBalance.client_id == client_id))
    return Decimal(total or 0)


def test_add_funds_appends_lines_and_the_balance_is_their_sum(admin: Any, make_client: Any, db: Any) -> None:
    account = make_client(currency="EUR")
    assert admin.api("client/balance_add_funds", id=account.id, amount="25.00", description="Welcome credit").ok()
    assert admin.api("client/balance_add_funds", id=account.id, amount=-10, description="Used", type="invoice",
                     rel_id=172).ok()
    admin.api("client/balance_add_funds", id=account.id, amount=0.5, description="Half").ok()

    lines = _lines(db, account.id)
    assert [line.amount for line in lines] == [Decimal("25.00"), Decimal("-10.00"), Decimal("0.50")]
    assert [(line.type, line.rel_id) for line in lines] == [("gift", None), ("invoice", "172"), ("gift", None)]
    assert account.api("client/balance_get_total").ok() == 15.5
    assert admin.api("client/get", id=account.id).ok()["balance"] == 15.5
    assert account.api("profile/get").ok()["balance"] == 15.5
    rows = admin.api("client/get_list", search=account.email).ok()["list"]
    assert [row["balance"] for row in rows] == [15.5]

    listed = admin.api("client/balance_get_list", client_id=account.id).ok()
    assert (listed["total"], listed["pages"], listed["per_page"]) == (3, 1, 100)
    first = listed["list"][0]
    assert set(first) == LINE_KEYS
    assert (first["description"], first["amount"], first["currency"]) == ("Half", "0.50", "EUR")
    assert [row["amount"] for row in listed["list"]] == ["0.50", "-10.00", "25.00"]


def test_whole_balances_are_integers_and_no_lines_is_zero(admin: Any, make_client: Any) -> None:
    account = make_client()
    assert account.api("client/balance_get_total").ok() == 0
    assert admin.api("client/get", id=account.id).ok()["balance"] == 0
    admin.api("client/balance_add_funds", id=account.id, amount="15", description="Credit").ok()
    total = account.api("client/balance_get_total").ok()
    assert (total, type(total)) == (15, int)
    assert isinstance(admin.api("client/get", id=account.id).ok()["balance"], int)


def test_a_client_without_currency_gets_the_default_one(admin: Any, make_client: Any, stored: Any) -> None:
    account = make_client()
    admin.api("client/balance_add_funds", id=account.id, amount="5", description="Credit").ok()
    assert stored(account.id).currency == "USD"
    assert account.api("client/balance_get_list").ok()["list"][0]["currency"] == "USD"


def test_an_invalid_amount_leaves_the_client_untouched(admin: Any, make_client: Any, db: Any, stored: Any) -> None:
    account = make_client()
    admin.api("client/balance_add_funds", id=account.id, amount="x", description="Credit").fails(
        "Funds amount is invalid"
    )
    assert stored(account.id).currency is None
    assert _lines(db, account.id) == []


def test_add_funds_refused_without_any_currency(admin: Any, make_client: Any, db: Any) -> None:
    from pybilling.modules.currency.models import Currency

    account = make_client()
    with db.begin():
        for currency in db.scalars(select(Currency)):
            currency.is_default = False
    admin.api("client/balance_add_funds", id=account.id, amount="5", description="Credit").fails(
        "You must define the client's currency before adding funds."
    )
    assert _lines(db, account.id) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"amount": "5", "description": "x"}, "Client ID required"),
        ({"id": 1, "description": "x"}, "Amount is required"),
        ({"id": 1, "amount": ""}, "Amount is required"),
        ({"id": 1, "amount": "5"}, "Description is required"),
        ({"id": 1, "amount": "5", "description": "  "}, "Description is required"),
        ({"id": 999999, "amount": "5", "description": "x"}, "Client not found"),
    ],
)
def test_add_funds_required_params(admin: Any, params: dict[str, Any], message: str) -> None:
    admin.api("client/balance_add_funds", **params).fails(message)


@pytest.mark.parametrize(
    "amount",
    ["abc", "0", 0, "0.00", "1.005", "1e3x", "NaN", "Infinity", "-inf", "10000000000000000", [5], {"a": 1}, True],
)
def test_add_funds_refuses_invalid_amounts(admin: Any, make_client: Any, db: Any, amount: Any) -> None:
    account = make_client(currency="USD")
    admin.api("client/balance_add_funds", id=account.id, amount=amount, description="x").fails(
        "Funds amount is invalid"
    )
    assert _lines(db, account.id) == []


def test_add_funds_accepts_forms_and_negative_decimals(admin: Any, make_client: Any, db: Any) -> None:
    account = make_client(currency="USD")
    admin.api.form("client/balance_add_funds", {"id": str(account.id), "amount": "-2.5", "description": "Fee"}).ok()
    admin.api.get("client/balance_add_funds", id=account.id, amount="1e1", description="Ten").ok()
    assert [line.amount for line in _lines(db, account.id)] == [Decimal("-2.50"), Decimal("10.00")]


def test_void_adds_a_reversal_and_hides_both_lines(admin: Any, make_client: Any, db: Any) -> None:
    account = make_client(currency="USD")
    admin.api("client/balance_add_funds", id=account.id, amount="40", description="Keep").ok()
    admin.api("client/balance_add_funds", id=account.id, amount="7.25", description="Mistake").ok()
    mistake = admin.api("client/balance_get_list", client_id=account.id).ok()["list"][0]
    assert mistake["description"] == "Mistake"

    assert admin.api("client/balance_delete", id=mistake["id"]).ok() is True

    lines = _lines(db, account.id)
    assert len(lines) == 3  # nothing deleted
    voided, reversal = lines[1], lines[2]
    assert (voided.id, voided.amount, voided.reverses_id) == (mistake["id"], Decimal("7.25"), None)
    assert (reversal.amount, reversal.reverses_id) == (Decimal("-7.25"), mistake["id"])
    listed = admin.api("client/balance_get_list", client_id=account.id).ok()
    assert [row["description"] for row in listed["list"]] == ["Keep"]
    assert listed["total"] == 1
    assert [row["description"] for row in account.api("client/balance_get_list").ok()["list"]] == ["Keep"]
    assert account.api("client/balance_get_total").ok() == 40
    assert _ledger_sum(db, account.id) == Decimal("40.00")


def test_voiding_twice_or_voiding_a_reversal_is_refused(admin: Any, make_client: Any, db: Any) -> None:
    account = make_client(currency="USD")
    admin.api("client/balance_add_funds", id=account.id, amount="3", description="Once").ok()
    line_id = _lines(db, account.id)[0].id
    admin.api("client/balance_delete", id=line_id).ok()
    admin.api("client/balance_delete", id=line_id).fails("Balance line not found")
    reversal_id = _lines(db, account.id)[1].id
    admin.api("client/balance_delete", id=reversal_id).fails("Balance line not found")
    admin.api("client/balance_delete", id=999999).fails("Balance line not found")
    assert len(_lines(db, account.id)) == 2
    assert account.api("client/balance_get_total").ok() == 0


def test_balance_delete_required_param(admin: Any) -> None:
    admin.api("client/balance_delete").fails("Client ID was not passed")


def test_the_balance_always_equals_the_ledger_sum(admin: Any, make_client: Any, db: Any) -> None:
    account = make_client(currency="USD")
    for amount in ("10.10", "-3.03", "0.01", "99.99", "-50"):
        admin.api("client/balance_add_funds", id=account.id, amount=amount, description=f"Line {amount}").ok()
    for row in admin.api("client/balance_get_list", client_id=account.id).ok()["list"][:2]:
        admin.api("client/balance_delete", id=row["id"]).ok()
        shown = Decimal(str(account.api("client/balance_get_total").ok()))
        assert shown == _ledger_sum(db, account.id)
    assert _ledger_sum(db, account.id) == Decimal("10.10") - Decimal("3.03") + Decimal("0.01")
    visible = admin.api("client/balance_get_list", client_id=account.id).ok()["list"]
    assert sum(Decimal(row["amount"]) for row in visible) == _ledger_sum(db, account.id)


def test_amounts_are_exact_at_full_precision(admin: Any, make_client: Any, db: Any) -> None:
    """18 significant digits in, the same 18 out, and sums exact to the cent (SQLite included)."""
    account = make_client(currency="USD")
    for amount in ("9999999999999999.99", "-9999999999999999.98", "0.10", "0.20"):
        admin.api("client/balance_add_funds", id=account.id, amount=amount, description=f"Line {amount}").ok()
    listed = admin.api("client/balance_get_list", client_id=account.id).ok()["list"]
    assert [row["amount"] for row in listed] == ["0.20", "0.10", "-9999999999999999.98", "9999999999999999.99"]
    assert [line.amount for line in _lines(db, account.id)] == [
        Decimal("9999999999999999.99"), Decimal("-9999999999999999.98"), Decimal("0.10"), Decimal("0.20"),
    ]
    assert _ledger_sum(db, account.id) == Decimal("0.31")
    assert account.api("client/balance_get_total").ok() == 0.31
    assert admin.api("client/get", id=account.id).ok()["balance"] == 0.31


def test_a_client_sees_only_its_own_lines(admin: Any, make_client: Any) -> None:
    mine = make_client(currency="USD")
    other = make_client(currency="USD")
    admin.api("client/balance_add_funds", id=mine.id, amount="1", description="Mine").ok()
    admin.api("client/balance_add_funds", id=other.id, amount="100", description="Not yours").ok()
    listed = mine.api("client/balance_get_list", client_id=other.id).ok()
    assert [row["description"] for row in listed["list"]] == ["Mine"]
    assert mine.api.get("client/balance_get_list", client_id=other.id, id="").ok()["total"] == 1
    assert mine.api("client/balance_get_total", client_id=other.id).ok() == 1
    everyone = admin.api("client/balance_get_list", per_page=500).ok()
    assert {"Mine", "Not yours"} <= {row["description"] for row in everyone["list"]}


def test_balance_lists_paginate_and_filter(admin: Any, make_client: Any) -> None:
    account = make_client(currency="USD")
    for n in range(3):
        admin.api("client/balance_add_funds", id=account.id, amount=str(n + 1), description=f"n{n}").ok()
    page = account.api("client/balance_get_list", per_page=2, page=2).ok()
    assert (page["pages"], page["page"], page["total"]) == (2, 2, 3)
    assert [row["description"] for row in page["list"]] == ["n0"]
    first_id = admin.api("client/balance_get_list", client_id=account.id).ok()["list"][-1]["id"]
    assert admin.api("client/balance_get_list", id=first_id).ok()["list"][0]["description"] == "n0"
    assert admin.api("client/balance_get_list", client_id=account.id, date_from="2000-01-01").ok()["total"] == 3
    assert admin.api("client/balance_get_list", client_id=account.id, date_to="2000-01-01").ok()["total"] == 0
    account.api("client/balance_get_list", per_page=501).fails(
        "The number of items per page (per_page) is too large. Please specify a smaller number."
    )
    admin.api("client/balance_get_list", client_id="x").fails(code=9999)


def test_deleting_a_client_keeps_its_ledger_lines_unlinked(admin: Any, make_client: Any, db: Any) -> None:
    account = make_client(currency="USD")
    admin.api("client/balance_add_funds", id=account.id, amount="9", description="Kept").ok()
    line_id = _lines(db, account.id)[0].id
    admin.api("client/delete", id=account.id).ok()
    db.expire_all()
    with db.begin():
        line = db.get(ClientBalance, line_id)
        assert line is not None
        assert (line.client_id, line.amount) == (None, Decimal("9.00"))
        assert db.get(Client, account.id) is None
