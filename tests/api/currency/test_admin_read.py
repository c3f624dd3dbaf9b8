"""admin/currency: get_list, get_pairs, get, get_default."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import StaffAccount

USD = {
    "code": "USD",
    "name": "US Dollar",
    "symbol": "$",
    "conversion_rate": 1,
    "is_rate_manual": False,
    "format_pattern": None,
    "fraction_digits": None,
    "default": True,
}


def test_get_list_on_a_fresh_install_has_the_us_dollar(admin: StaffAccount) -> None:
    answer = admin.api.get("currency/get_list")
    assert answer.ok() == {"pages": 1, "page": 1, "per_page": 100, "total": 1, "list": [USD]}
    assert answer.body["result"]["list"][0]["conversion_rate"] == 1
    assert isinstance(answer.body["result"]["list"][0]["conversion_rate"], int)


def test_get_list_puts_the_default_first_then_orders_by_code_and_paginates(
    admin: StaffAccount, add_currency: Callable[..., None]
) -> None:
    add_currency("GBP", "0.79")
    add_currency("EUR", "0.923958", is_rate_manual=True)
    first = admin.api("currency/get_list", per_page=2).ok()
    assert (first["pages"], first["page"], first["per_page"], first["total"]) == (2, 1, 2, 3)
    assert [row["code"] for row in first["list"]] == ["USD", "EUR"]
    eur = first["list"][1]
    assert eur == {
        "code": "EUR",
        "name": "Euro",
        "symbol": "€",
        "conversion_rate": 0.923958,
        "is_rate_manual": True,
        "format_pattern": None,
        "fraction_digits": None,
        "default": False,
    }
    second = admin.api("currency/get_list", per_page=2, page=2).ok()
    assert [row["code"] for row in second["list"]] == ["GBP"]


def test_get_list_refuses_a_page_size_over_the_limit(admin: StaffAccount) -> None:
    admin.api("currency/get_list", per_page=501).fails(
        "The number of items per page (per_page) is too large. Please specify a smaller number."
    )


def test_get_pairs_lists_every_currency_in_use_ordered_by_name(admin: StaffAccount) -> None:
    pairs = admin.api.get("currency/get_pairs").ok()
    assert pairs["USD"] == "USD (US Dollar)"
    assert pairs["EUR"] == "EUR (Euro)"
    assert pairs["CHF"] == "CHF (Swiss Franc)"
    assert list(pairs)[:3] == ["AFN", "ALL", "DZD"]
    assert "DEM" not in pairs  # the Deutsche Mark is history
    assert "XAU" not in pairs  # gold is not legal tender
    assert 140 < len(pairs) < 200


def test_get_returns_one_currency_by_code_case_insensitively(
    admin: StaffAccount, add_currency: Callable[..., None]
) -> None:
    assert admin.api.get("currency/get", code="USD").ok() == USD
    add_currency("JPY", "150.097016")
    jpy = admin.api("currency/get", code="jpy").ok()
    assert (jpy["code"], jpy["name"], jpy["symbol"], jpy["conversion_rate"]) == ("JPY", "Japanese Yen", "¥", 150.097016)


def test_get_unknown_code_is_not_found(admin: StaffAccount) -> None:
    admin.api("currency/get", code="EUR").fails("Currency not found.")


@pytest.mark.parametrize("value", [["USD"], {"x": "USD"}, 840])
def test_get_refuses_a_code_that_is_not_text(admin: StaffAccount, value: object) -> None:
    answer = admin.api("currency/get", code=value)
    answer.fails()
    assert answer.message.startswith("Invalid value for parameter 'code':")


def test_get_default_returns_the_default_currency(admin: StaffAccount) -> None:
    assert admin.api.get("currency/get_default").ok() == USD
