"""guest/currency: get_pairs, get, format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from pybilling.core import settings_store
from tests.helpers import Caller


def test_get_pairs_lists_the_accepted_currencies(guest: Caller, add_currency: Callable[..., None]) -> None:
    assert guest.get("currency/get_pairs").ok() == {"USD": "US Dollar"}
    add_currency("EUR", "0.9")
    add_currency("CHF", "0.8")
    answer = guest("currency/get_pairs")
    assert answer.ok() == {"USD": "US Dollar", "CHF": "Swiss Franc", "EUR": "Euro"}
    assert list(answer.result) == ["USD", "CHF", "EUR"]


def test_get_without_a_code_returns_the_default(guest: Caller) -> None:
    assert guest.get("currency/get").ok() == {
        "code": "USD", "name": "US Dollar", "symbol": "$", "conversion_rate": 1, "is_rate_manual": False,
        "format_pattern": None, "fraction_digits": None, "default": True,
    }
    assert guest("currency/get", code="").ok()["code"] == "USD"


def test_get_by_code(guest: Caller, add_currency: Callable[..., None]) -> None:
    add_currency("EUR", "0.923958", format_pattern="{amount} €", fraction_digits=2)
    got = guest.get("currency/get", code="EUR").ok()
    assert (got["code"], got["conversion_rate"], got["format_pattern"], got["fraction_digits"], got["default"]) == (
        "EUR", 0.923958, "{amount} €", 2, False,
    )


def test_get_unknown_code_is_not_found(guest: Caller) -> None:
    guest("currency/get", code="EUR").fails("Currency not found.")
    guest("currency/format", code="EUR", price=1).fails("Currency not found.")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "$0.00"),
        ({"price": 1234.5, "code": "USD"}, "$1,234.50"),
        ({"price": 1234.5, "code": "USD", "without_currency": 1}, "1,234.50"),
        ({"price": "-1234567.891"}, "-$1,234,567.89"),
        ({"price": "0.125"}, "$0.13"),  # half up
        ({"price": "0.005", "without_currency": "true"}, "0.01"),
    ],
)
def test_format_in_the_default_currency(guest: Caller, params: dict[str, Any], expected: str) -> None:
    assert guest.get("currency/format", **params).ok() == expected


def test_format_converts_by_the_rate_unless_told_not_to(guest: Caller, add_currency: Callable[..., None]) -> None:
    add_currency("EUR", "0.923958")
    assert guest("currency/format", code="EUR", price=100).ok() == "€92.40"
    assert guest("currency/format", code="EUR", price=100, convert=False).ok() == "€100.00"
    assert guest.get("currency/format", code="EUR", price="100", convert="0", without_currency="1").ok() == "100.00"


def test_format_uses_the_currency_digits_and_pattern(guest: Caller, add_currency: Callable[..., None]) -> None:
    add_currency("JPY", "150.097016")
    add_currency("EUR", "0.5", format_pattern="{amount} EUR", fraction_digits=3)
    add_currency("GBP", "1", fraction_digits=0)
    assert guest("currency/format", code="JPY", price=10).ok() == "¥1,501"
    assert guest("currency/format", code="EUR", price="1234.5678").ok() == "617.284 EUR"
    assert guest("currency/format", code="EUR", price="1234.5678", without_currency=True).ok() == "617.284"
    assert guest("currency/format", code="GBP", price="1234.5").ok() == "£1,235"


def test_format_follows_the_install_locale(guest: Caller, db: Session) -> None:
    with db.begin():
        settings_store.set_param(db, "locale", "de_DE")
    assert guest("currency/format", price=1234.5).ok() == "1.234,50\xa0$"
    assert guest("currency/format", price=1234.5, without_currency=1).ok() == "1.234,50"


@pytest.mark.parametrize("price", ["abc", [1], {"a": 1}, True, "1e400", "NaN"])
def test_format_refuses_a_price_that_is_not_a_number(guest: Caller, price: object) -> None:
    answer = guest("currency/format", price=price)
    answer.fails()
    assert answer.message.startswith("Invalid value for parameter 'price':")


def test_format_refuses_a_code_that_is_not_text(guest: Caller) -> None:
    answer = guest("currency/format", code=["USD"], price=1)
    answer.fails()
    assert answer.message.startswith("Invalid value for parameter 'code':")
