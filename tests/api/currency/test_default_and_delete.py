"""admin/currency: set_default and delete (with their events)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError
from pybilling.core.events import Event, events
from pybilling.modules.currency.models import Currency
from tests.conftest import StaffAccount

Stored = Callable[[str], Any]


@pytest.fixture
def fired() -> Iterator[list[tuple[str, dict[str, Any], bool]]]:
    """Records the delete events: (name, params, whether the row still existed when it fired)."""
    seen: list[tuple[str, dict[str, Any], bool]] = []

    def listener(event: Event) -> None:
        exists = event.db.scalar(select(Currency.id).where(Currency.code == event.params["code"])) is not None
        seen.append((event.name, dict(event.params), exists))

    names = ("onBeforeAdminDeleteCurrency", "onAfterAdminDeleteCurrency")
    for name in names:
        events.on(name)(listener)
    try:
        yield seen
    finally:
        for name in names:
            events.off(listener, name)


def _defaults(db: Session) -> list[str]:
    db.expire_all()
    with db.begin():
        return list(db.scalars(select(Currency.code).where(Currency.is_default.is_(True))))


# -- set_default --------------------------------------------------------------------------------
def test_set_default_moves_the_flag_and_rebases_every_rate(
    admin: StaffAccount, add_currency: Callable[..., None], stored: Stored, db: Session
) -> None:
    add_currency("EUR", "0.5")
    add_currency("GBP", "0.4", is_rate_manual=True)
    add_currency("JPY", "150")
    assert admin.api("currency/set_default", code="eur").ok() is True
    assert _defaults(db) == ["EUR"]
    assert {code: stored(code).conversion_rate for code in ("EUR", "USD", "GBP", "JPY")} == {
        "EUR": Decimal("1.000000"),
        "USD": Decimal("2.000000"),
        "GBP": Decimal("0.800000"),
        "JPY": Decimal("300.000000"),
    }
    assert stored("GBP").is_rate_manual is True
    default = admin.api("currency/get_default").ok()
    assert (default["code"], default["conversion_rate"], default["default"]) == ("EUR", 1, True)
    assert admin.api("currency/get", code="USD").ok()["default"] is False


def test_set_default_on_the_default_changes_nothing(admin: StaffAccount, stored: Stored, db: Session) -> None:
    assert admin.api("currency/set_default", code="USD").ok() is True
    assert _defaults(db) == ["USD"]
    assert stored("USD").conversion_rate == Decimal("1.000000")


def test_set_default_clears_a_manual_flag_on_the_new_default(
    admin: StaffAccount, add_currency: Callable[..., None], stored: Stored
) -> None:
    add_currency("EUR", "0.8", is_rate_manual=True)
    admin.api("currency/set_default", code="EUR").ok()
    row = stored("EUR")
    assert (row.is_default, row.is_rate_manual, row.conversion_rate) == (True, False, Decimal("1.000000"))
    assert stored("USD").conversion_rate == Decimal("1.250000")


def test_set_default_unknown_currency_is_not_found(admin: StaffAccount, db: Session) -> None:
    admin.api("currency/set_default", code="EUR").fails("Currency not found.")
    assert _defaults(db) == ["USD"]


def test_after_set_default_the_old_default_can_be_deleted(
    admin: StaffAccount, add_currency: Callable[..., None], db: Session
) -> None:
    add_currency("EUR", "0.9")
    admin.api("currency/set_default", code="EUR").ok()
    admin.api("currency/delete", code="EUR").fails("Cannot remove the default currency.")
    assert admin.api("currency/delete", code="USD").ok() is True
    db.expire_all()
    with db.begin():
        assert db.scalar(select(func.count()).select_from(Currency)) == 1


# -- delete -------------------------------------------------------------------------------------
def test_delete_removes_the_currency_and_fires_both_events(
    admin: StaffAccount, add_currency: Callable[..., None], stored: Stored,
    fired: list[tuple[str, dict[str, Any], bool]],
) -> None:
    add_currency("EUR", "0.9")
    currency_id = stored("EUR").id
    assert admin.api("currency/delete", code="eur").ok() is True
    assert stored("EUR") is None
    assert fired == [
        ("onBeforeAdminDeleteCurrency", {"id": currency_id, "code": "EUR"}, True),
        ("onAfterAdminDeleteCurrency", {"id": currency_id, "code": "EUR"}, False),
    ]
    admin.api("currency/get", code="EUR").fails("Currency not found.")


def test_delete_refuses_the_default_currency(
    admin: StaffAccount, stored: Stored, fired: list[tuple[str, dict[str, Any], bool]]
) -> None:
    admin.api("currency/delete", code="USD").fails("Cannot remove the default currency.")
    assert stored("USD") is not None
    assert fired == []


def test_delete_unknown_currency_is_not_found(admin: StaffAccount) -> None:
    admin.api("currency/delete", code="EUR").fails("Currency not found.")


def test_a_listener_refusing_the_delete_keeps_the_currency(
    admin: StaffAccount, add_currency: Callable[..., None], stored: Stored
) -> None:
    add_currency("EUR", "0.9")

    def veto(event: Event) -> None:
        raise ApiError("Currency is in use")

    events.on("onBeforeAdminDeleteCurrency")(veto)
    try:
        admin.api("currency/delete", code="EUR").fails("Currency is in use")
    finally:
        events.off(veto, "onBeforeAdminDeleteCurrency")
    assert stored("EUR") is not None
