"""admin/currency: create and update."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import StaffAccount

Stored = Callable[[str], Any]


# -- create -------------------------------------------------------------------------------------
def test_create_stores_the_currency_with_its_rate(admin: StaffAccount, stored: Stored) -> None:
    assert admin.api("currency/create", code="EUR", conversion_rate="0.9239585").ok() == "EUR"
    row = stored("EUR")
    assert row.conversion_rate == Decimal("0.923959")  # six places, half up
    assert (row.is_default, row.is_rate_manual, row.format_pattern, row.fraction_digits) == (False, False, None, None)
    got = admin.api("currency/get", code="EUR").ok()
    assert (got["conversion_rate"], got["default"], got["name"]) == (0.923959, False, "Euro")


def test_create_takes_a_lowercase_code_and_a_form_post(admin: StaffAccount, stored: Stored) -> None:
    form = {"code": "gbp", "conversion_rate": "0.79", "is_rate_manual": "1"}
    assert admin.api.form("currency/create", form).ok() == "GBP"
    row = stored("GBP")
    assert (row.conversion_rate, row.is_rate_manual) == (Decimal("0.790000"), True)


def test_create_without_a_rate_and_sync_off_uses_one(admin: StaffAccount, stored: Stored) -> None:
    admin.api("currency/create", code="CHF").ok()
    assert stored("CHF").conversion_rate == Decimal("1.000000")


def test_create_refuses_a_registered_currency(admin: StaffAccount) -> None:
    admin.api("currency/create", code="USD").fails("Currency already registered.")
    admin.api("currency/create", code="usd").fails("Currency already registered.")


@pytest.mark.parametrize("code", ["XYZ", "DEM", "US", "USDD", "XAU", "1$"])
def test_create_refuses_a_code_that_is_no_currency_in_use(admin: StaffAccount, stored: Stored, code: str) -> None:
    admin.api("currency/create", code=code).fails("Currency code is invalid.")
    assert stored(code.upper()) is None


@pytest.mark.parametrize("rate", [0, "0", -1, "-0.5", "abc", "0.0000001", "10000000", "NaN", "Infinity"])
def test_create_refuses_a_rate_that_is_not_positive(admin: StaffAccount, stored: Stored, rate: object) -> None:
    admin.api("currency/create", code="EUR", conversion_rate=rate).fails(
        "Currency conversion rate must be a positive number."
    )
    assert stored("EUR") is None


def test_create_with_manual_override_needs_a_rate(admin: StaffAccount) -> None:
    admin.api("currency/create", code="EUR", is_rate_manual=True).fails(
        "A conversion rate is required when manual override is enabled."
    )
    admin.api("currency/create", code="EUR", is_rate_manual=True, conversion_rate="").fails(
        "A conversion rate is required when manual override is enabled."
    )


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"code": ["EUR"]}, "code"),
        ({"code": "EUR", "conversion_rate": [1]}, "conversion_rate"),
        ({"code": "EUR", "conversion_rate": True}, "conversion_rate"),
        ({"code": "EUR", "is_rate_manual": "maybe"}, "is_rate_manual"),
    ],
)
def test_create_refuses_values_of_the_wrong_type(admin: StaffAccount, params: dict[str, Any], name: str) -> None:
    answer = admin.api("currency/create", **params)
    answer.fails()
    assert answer.message.startswith(f"Invalid value for parameter '{name}':")


# -- update -------------------------------------------------------------------------------------
def test_update_changes_every_field(admin: StaffAccount, add_currency: Callable[..., None], stored: Stored) -> None:
    add_currency("EUR", "0.9")
    assert admin.api(
        "currency/update", code="eur", conversion_rate=0.95, is_rate_manual=True,
        format_pattern="{amount} €", fraction_digits="3",
    ).ok() is True
    row = stored("EUR")
    assert (row.conversion_rate, row.is_rate_manual, row.format_pattern, row.fraction_digits) == (
        Decimal("0.950000"), True, "{amount} €", 3,
    )
    got = admin.api("currency/get", code="EUR").ok()
    assert (got["conversion_rate"], got["is_rate_manual"], got["format_pattern"], got["fraction_digits"]) == (
        0.95, True, "{amount} €", 3,
    )


def test_update_leaves_unsent_fields_and_clears_blank_ones(
    admin: StaffAccount, add_currency: Callable[..., None], stored: Stored
) -> None:
    add_currency("EUR", "0.9", is_rate_manual=True, format_pattern="€{amount}", fraction_digits=2)
    admin.api("currency/update", code="EUR").ok()
    row = stored("EUR")
    assert (row.conversion_rate, row.is_rate_manual, row.format_pattern, row.fraction_digits) == (
        Decimal("0.900000"), True, "€{amount}", 2,
    )
    admin.api("currency/update", code="EUR", format_pattern="", fraction_digits=None, is_rate_manual=False).ok()
    row = stored("EUR")
    assert (row.is_rate_manual, row.format_pattern, row.fraction_digits) == (False, None, None)


def test_update_unknown_currency_is_not_found(admin: StaffAccount) -> None:
    admin.api("currency/update", code="EUR", conversion_rate=1).fails("Currency not found.")


@pytest.mark.parametrize("rate", [0, -2, "abc", "-0.000001", [1.5]])
def test_update_refuses_an_invalid_rate_with_code_151(
    admin: StaffAccount, add_currency: Callable[..., None], stored: Stored, rate: object
) -> None:
    add_currency("EUR", "0.9")
    answer = admin.api("currency/update", code="EUR", conversion_rate=rate)
    if isinstance(rate, list):
        answer.fails()
        assert answer.message.startswith("Invalid value for parameter 'conversion_rate':")
    else:
        answer.fails("Currency conversion rate is invalid.", code=151, status=200)
    assert stored("EUR").conversion_rate == Decimal("0.900000")


def test_update_refuses_a_manual_rate_or_another_rate_on_the_default(admin: StaffAccount, stored: Stored) -> None:
    admin.api("currency/update", code="USD", is_rate_manual=True).fails(
        "The default currency cannot use a manual rate override."
    )
    admin.api("currency/update", code="USD", conversion_rate="1.5").fails(
        "Currency conversion rate is invalid.", code=151
    )
    assert admin.api("currency/update", code="USD", conversion_rate="1").ok() is True
    row = stored("USD")
    assert (row.conversion_rate, row.is_rate_manual) == (Decimal("1.000000"), False)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("<b>{amount}</b>", "Currency format pattern must be plain text."),
        ("{amount}" + "x" * 93, "Currency format pattern cannot exceed 100 characters."),
        ("EUR", "Currency format pattern must contain exactly one {amount} placeholder."),
        ("{amount} / {amount}", "Currency format pattern must contain exactly one {amount} placeholder."),
        ("€\n{amount}", "Currency format pattern must be a single line of plain text."),
        ("€{amount}\x00", "Currency format pattern must be a single line of plain text."),
    ],
)
def test_update_refuses_a_bad_format_pattern(
    admin: StaffAccount, add_currency: Callable[..., None], stored: Stored, pattern: str, message: str
) -> None:
    add_currency("EUR", "0.9")
    admin.api("currency/update", code="EUR", format_pattern=pattern).fails(message)
    assert stored("EUR").format_pattern is None


def test_update_accepts_a_pattern_of_exactly_100_characters(
    admin: StaffAccount, add_currency: Callable[..., None], stored: Stored
) -> None:
    add_currency("EUR", "0.9")
    pattern = "{amount}" + "x" * 92
    admin.api("currency/update", code="EUR", format_pattern=pattern).ok()
    assert stored("EUR").format_pattern == pattern


@pytest.mark.parametrize("digits", [7, -1, "1.5", "two"])
def test_update_refuses_fraction_digits_out_of_range(
    admin: StaffAccount, add_currency: Callable[..., None], digits: object
) -> None:
    add_currency("EUR", "0.9")
    admin.api("currency/update", code="EUR", fraction_digits=digits).fails(
        "Currency fraction digits must be a whole number between 0 and 6."
    )
