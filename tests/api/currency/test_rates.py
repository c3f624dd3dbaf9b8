"""admin/currency: is_cron_enabled, update_rates (a fake ECB on 127.0.0.1), create with sync, the cron job."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from pybilling.api.context import AppServices
from pybilling.core.cron import run_due
from tests.api.currency.conftest import FakeEcb
from tests.conftest import StaffAccount

Stored = Callable[[str], Any]
Config = Callable[..., None]
PROVIDER_ERROR = (
    "There was an error when fetching currency rates from European Central Bank. See the error log for details."
)


@pytest.mark.parametrize(
    ("config", "expected"),
    [({}, False), ({"sync_rate": True}, True), ({"sync_rate": "1"}, True), ({"sync_rate": "auto"}, True),
     ({"sync_rate": "never"}, False), ({"sync_rate": "off"}, False), ({"sync_rate": False}, False)],
)
def test_is_cron_enabled_follows_the_sync_rate_setting(
    admin: StaffAccount, currency_config: Config, config: dict[str, Any], expected: bool
) -> None:
    if config:
        currency_config(**config)
    assert admin.api.get("currency/is_cron_enabled").ok() is expected


def test_update_rates_is_refused_while_sync_is_off(
    admin: StaffAccount, add_currency: Callable[..., None], stored: Stored, ecb: FakeEcb, currency_config: Config
) -> None:
    add_currency("EUR", "0.5")
    currency_config(sync_rate=False, rate_provider_url=ecb.base_url)
    admin.api("currency/update_rates").fails(
        "Automatic currency rate updates are disabled. Turn on sync_rate in the currency module settings."
    )
    assert ecb.paths == []
    assert stored("EUR").conversion_rate == Decimal("0.500000")


def test_update_rates_stores_cross_rates_from_the_ecb(
    admin: StaffAccount, add_currency: Callable[..., None], stored: Stored, ecb: FakeEcb, currency_config: Config
) -> None:
    add_currency("EUR", "0.5")
    add_currency("GBP", "0.5")
    add_currency("JPY", "1")
    add_currency("CHF", "0.7", is_rate_manual=True)  # manual: left alone
    add_currency("AED", "3.67")  # not quoted by the ECB: kept
    currency_config(sync_rate=True, rate_provider_url=ecb.base_url + "/")
    assert admin.api("currency/update_rates").ok() is True
    assert ecb.paths == ["/eurofxref-daily.xml"]
    assert {code: stored(code).conversion_rate for code in ("USD", "EUR", "GBP", "JPY", "CHF", "AED")} == {
        "USD": Decimal("1.000000"),
        "EUR": Decimal("0.923958"),  # 1 / 1.0823
        "GBP": Decimal("0.791925"),  # 0.8571 / 1.0823, half up
        "JPY": Decimal("150.097016"),  # 162.45 / 1.0823
        "CHF": Decimal("0.700000"),
        "AED": Decimal("3.670000"),
    }
    assert admin.api("currency/get", code="GBP").ok()["conversion_rate"] == 0.791925


def test_update_rates_with_a_euro_default_takes_the_quotes_as_they_are(
    admin: StaffAccount, add_currency: Callable[..., None], stored: Stored, ecb: FakeEcb, currency_config: Config
) -> None:
    add_currency("EUR", "0.9")
    admin.api("currency/set_default", code="EUR").ok()
    currency_config(sync_rate="1d", rate_provider_url=ecb.base_url)
    admin.api("currency/update_rates").ok()
    assert (stored("EUR").conversion_rate, stored("USD").conversion_rate) == (Decimal("1.000000"), Decimal("1.082300"))


def test_update_rates_reports_an_unreachable_provider(
    admin: StaffAccount, add_currency: Callable[..., None], stored: Stored, closed_port_url: str,
    currency_config: Config,
) -> None:
    add_currency("EUR", "0.5")
    currency_config(sync_rate=True, rate_provider_url=closed_port_url)
    answer = admin.api("currency/update_rates")
    answer.fails(PROVIDER_ERROR, status=200)
    assert stored("EUR").conversion_rate == Decimal("0.500000")


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, b"Internal Server Error"),
        (200, b"<html><body>maintenance</body></html>"),
        (200, b"<Cube><Cube currency='USD' rate='1.08'"),
        (200, b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "1.0823">]>'
              b"<Cube><Cube currency='USD' rate='&x;'/></Cube>"),
        (200, b"<Cube><Cube currency='USD' rate='-1'/><Cube currency='GBP' rate='zero'/></Cube>"),
    ],
)
def test_update_rates_refuses_an_answer_that_is_not_ecb_rates(
    admin: StaffAccount, add_currency: Callable[..., None], stored: Stored, ecb: FakeEcb,
    currency_config: Config, status: int, body: bytes,
) -> None:
    add_currency("EUR", "0.5")
    ecb.status, ecb.body = status, body
    currency_config(sync_rate=True, rate_provider_url=ecb.base_url)
    admin.api("currency/update_rates").fails(PROVIDER_ERROR)
    assert stored("EUR").conversion_rate == Decimal("0.500000")


def test_update_rates_needs_the_default_currency_quoted(
    admin: StaffAccount, add_currency: Callable[..., None], ecb: FakeEcb, currency_config: Config
) -> None:
    add_currency("AED", "0.27")
    admin.api("currency/set_default", code="AED").ok()
    currency_config(sync_rate=True, rate_provider_url=ecb.base_url)
    admin.api("currency/update_rates").fails("Unable to fetch conversion rate for currency: AED.")


def test_create_with_sync_on_fetches_the_rate(
    admin: StaffAccount, stored: Stored, ecb: FakeEcb, currency_config: Config
) -> None:
    currency_config(sync_rate=True, rate_provider_url=ecb.base_url)
    admin.api("currency/create", code="GBP").ok()
    assert stored("GBP").conversion_rate == Decimal("0.791925")
    admin.api("currency/create", code="AED").fails("Unable to fetch conversion rate for currency: AED.")
    assert stored("AED") is None
    admin.api("currency/create", code="AED", conversion_rate="3.6725").ok()  # a given rate needs no provider
    assert stored("AED").conversion_rate == Decimal("3.672500")


def test_create_with_sync_on_and_the_provider_down_fails_cleanly(
    admin: StaffAccount, stored: Stored, closed_port_url: str, currency_config: Config
) -> None:
    currency_config(sync_rate=True, rate_provider_url=closed_port_url)
    admin.api("currency/create", code="GBP").fails(PROVIDER_ERROR)
    assert stored("GBP") is None


def test_an_unknown_provider_is_reported(admin: StaffAccount, currency_config: Config) -> None:
    currency_config(sync_rate=True, provider="currencylayer")
    admin.api("currency/update_rates").fails("Unknown exchange rate provider: currencylayer")


def _currency_job(services: AppServices) -> Any:
    return next(r for r in run_due(services.session_factory, force=True) if r.job == "currency_rates")


def test_the_daily_cron_job_updates_rates_when_sync_is_on(
    services: AppServices, add_currency: Callable[..., None], stored: Stored, ecb: FakeEcb, currency_config: Config
) -> None:
    add_currency("EUR", "0.5")
    currency_config(sync_rate=True, rate_provider_url=ecb.base_url)
    result = _currency_job(services)
    assert (result.status, result.message) == ("ok", "1 currency rates changed")
    assert stored("EUR").conversion_rate == Decimal("0.923958")


def test_the_cron_job_does_nothing_while_sync_is_off(
    services: AppServices, add_currency: Callable[..., None], stored: Stored, ecb: FakeEcb, currency_config: Config
) -> None:
    add_currency("EUR", "0.5")
    currency_config(rate_provider_url=ecb.base_url)
    result = _currency_job(services)
    assert (result.status, result.message) == ("ok", "exchange rate sync is off")
    assert ecb.paths == []
    assert stored("EUR").conversion_rate == Decimal("0.500000")


def test_the_cron_job_records_a_provider_failure(
    services: AppServices, add_currency: Callable[..., None], stored: Stored, closed_port_url: str,
    currency_config: Config,
) -> None:
    add_currency("EUR", "0.5")
    currency_config(sync_rate=True, rate_provider_url=closed_port_url)
    result = _currency_job(services)
    assert (result.status, result.message) == ("error", f"ApiError: {PROVIDER_ERROR}")
    assert stored("EUR").conversion_rate == Decimal("0.500000")
