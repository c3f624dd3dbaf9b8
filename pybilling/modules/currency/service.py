"""Currency rules: the catalogue of accepted currencies, the one default, rates and their updates.

Rates are `Decimal` with six places (ROUND_HALF_UP): a currency's rate is how many of its units one
unit of the default currency buys, so the default's rate is always 1.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError, NotFound
from pybilling.core import module_config, settings_store
from pybilling.core.clock import utcnow
from pybilling.core.cron import cron_job
from pybilling.core.events import events
from pybilling.modules.currency import formatting
from pybilling.modules.currency.models import DEFAULT_RATE, Currency
from pybilling.modules.currency.rates import (
    ECB_DEFAULT_URL,
    MAX_RATE,
    EcbProvider,
    ProviderError,
    RateProvider,
    cross_rates,
    quantize_rate,
)

log = logging.getLogger("pybilling.currency")

MODULE = "currency"
NOT_FOUND = "Currency not found."
RATE_INVALID_CODE = 151
FORMAT_PATTERN_MAX = 100
MAX_FRACTION_DIGITS = 6
_OFF = {"", "0", "false", "no", "off", "never", "disabled"}


class _Unset:
    """Marks an optional parameter the caller did not send (different from sending it blank)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


def today() -> date:
    return utcnow().date()


# -- reading ----------------------------------------------------------------------------------
def normalise_code(code: str) -> str:
    return code.strip().upper()


def find(db: Session, code: str, *, for_update: bool = False) -> Currency | None:
    stmt = select(Currency).where(Currency.code == normalise_code(code))
    if for_update:
        stmt = stmt.with_for_update()
    return db.scalar(stmt)


def require(db: Session, code: str, *, for_update: bool = False) -> Currency:
    currency = find(db, code, for_update=for_update)
    if currency is None:
        raise NotFound(NOT_FOUND)
    return currency


def find_default(db: Session) -> Currency | None:
    return db.scalar(select(Currency).where(Currency.is_default.is_(True)).order_by(Currency.id).limit(1))


def list_query() -> Select[Any]:
    return select(Currency).order_by(Currency.is_default.desc(), Currency.code)


def rate_for_api(rate: Decimal) -> int | float:
    """FOSSBilling answers the rate as a JSON number (`1`, `1.0823`); six decimals survive a float."""
    value = Decimal(rate)
    return int(value) if value == value.to_integral_value() else float(value)


def to_api(currency: Currency) -> dict[str, Any]:
    return {
        "code": currency.code,
        "name": formatting.currency_name(currency.code),
        "symbol": formatting.currency_symbol(currency.code),
        "conversion_rate": rate_for_api(currency.conversion_rate),
        "is_rate_manual": bool(currency.is_rate_manual),
        "format_pattern": currency.format_pattern,
        "fraction_digits": currency.fraction_digits,
        "default": bool(currency.is_default),
    }


def pairs(db: Session) -> dict[str, str]:
    """The accepted currencies as `{code: name}`, for the client area's currency switcher."""
    codes = db.scalars(list_query().with_only_columns(Currency.code)).all()
    return {code: formatting.currency_name(code) for code in codes}


def available_pairs() -> dict[str, str]:
    """Every currency in use in the world as `{code: "CODE (Name)"}`, for the admin's picker."""
    return formatting.available_currencies(today())


# -- parameters -------------------------------------------------------------------------------
def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_rate(raw: object) -> Decimal | None:
    """A positive rate that fits Numeric(13, 6), quantised to six places; None when it is not one."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        return None
    try:
        value = Decimal(raw.strip()) if isinstance(raw, str) else Decimal(str(raw))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    value = quantize_rate(value)
    return value if Decimal(0) < value <= MAX_RATE else None


def _check_format_pattern(raw: object) -> str | None:
    if _blank(raw):
        return None
    if not isinstance(raw, str):
        raise ApiError("Currency format pattern must be plain text.")
    pattern = raw.strip()
    if "<" in pattern or ">" in pattern:
        raise ApiError("Currency format pattern must be plain text.")
    if len(pattern) > FORMAT_PATTERN_MAX:
        raise ApiError("Currency format pattern cannot exceed 100 characters.")
    if pattern.count(formatting.AMOUNT_PLACEHOLDER) != 1:
        raise ApiError("Currency format pattern must contain exactly one {amount} placeholder.")
    if any(ch in "\r\n\u2028\u2029" or (ord(ch) < 32 and ch != "\t") or ord(ch) == 127 for ch in pattern):
        raise ApiError("Currency format pattern must be a single line of plain text.")
    return pattern


def _check_fraction_digits(raw: object) -> int | None:
    if _blank(raw):
        return None
    digits: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        digits = raw
    elif isinstance(raw, str) and raw.strip().isdigit():
        digits = int(raw.strip())
    if digits is None or not 0 <= digits <= MAX_FRACTION_DIGITS:
        raise ApiError("Currency fraction digits must be a whole number between 0 and 6.")
    return digits


# -- rate synchronisation settings ------------------------------------------------------------
@dataclass(frozen=True)
class RateSync:
    enabled: bool
    provider: str
    url: str


def rate_sync(db: Session) -> RateSync:
    """The currency module config: `sync_rate` (off unless set), `provider` (`ecb`), `rate_provider_url`."""
    config = module_config.get_config(db, MODULE)
    flag = config.get("sync_rate", False)
    enabled = flag.strip().lower() not in _OFF if isinstance(flag, str) else bool(flag)
    url = config.get("rate_provider_url")
    return RateSync(
        enabled=enabled,
        provider=str(config.get("provider") or "ecb").strip().lower(),
        url=url.strip() if isinstance(url, str) and url.strip() else ECB_DEFAULT_URL,
    )


def is_cron_enabled(db: Session) -> bool:
    return rate_sync(db).enabled


def make_provider(sync: RateSync) -> RateProvider:
    if sync.provider in ("ecb", "european_central_bank"):
        return EcbProvider(sync.url)
    raise ApiError(f"Unknown exchange rate provider: {sync.provider}")


def _fetch_rates(db: Session, default: Currency, codes: list[str]) -> dict[str, Decimal]:
    provider = make_provider(rate_sync(db))
    try:
        quotes = provider.fetch()
    except ProviderError as exc:
        log.warning("exchange rates from %s failed: %s", provider.name, exc)
        raise ApiError(
            f"There was an error when fetching currency rates from {provider.name}. See the error log for details."
        ) from exc
    try:
        return cross_rates(quotes, default.code, codes)
    except KeyError:
        raise ApiError(f"Unable to fetch conversion rate for currency: {default.code}.") from None


# -- writing ----------------------------------------------------------------------------------
def create_currency(
    db: Session, code: str, *, conversion_rate: object = None, is_rate_manual: bool = False
) -> str:
    code = normalise_code(code)
    if find(db, code) is not None:
        raise ApiError("Currency already registered.")
    if not formatting.is_available(code, today()):
        raise ApiError("Currency code is invalid.")
    default = find_default(db)
    rate: Decimal | None
    if _blank(conversion_rate):
        if is_rate_manual:
            raise ApiError("A conversion rate is required when manual override is enabled.")
        rate = DEFAULT_RATE
        if default is not None and rate_sync(db).enabled:
            rate = _fetch_rates(db, default, [code]).get(code)
            if rate is None:
                raise ApiError(f"Unable to fetch conversion rate for currency: {code}.")
    else:
        rate = parse_rate(conversion_rate)
        if rate is None:
            raise ApiError("Currency conversion rate must be a positive number.")
    currency = Currency(code=code, conversion_rate=rate, is_rate_manual=is_rate_manual, is_default=False)
    if default is None:  # an install without currencies: the first one becomes the default
        currency.is_default, currency.conversion_rate, currency.is_rate_manual = True, DEFAULT_RATE, False
    db.add(currency)
    db.flush()
    log.info("added currency %s", code)
    return code


def update_currency(
    db: Session,
    code: str,
    *,
    conversion_rate: object = UNSET,
    is_rate_manual: bool | None = None,
    format_pattern: object = UNSET,
    fraction_digits: object = UNSET,
) -> bool:
    currency = require(db, code, for_update=True)
    if is_rate_manual and currency.is_default:
        raise ApiError("The default currency cannot use a manual rate override.")
    if conversion_rate is not UNSET and not _blank(conversion_rate):
        rate = parse_rate(conversion_rate)
        if rate is None or (currency.is_default and rate != DEFAULT_RATE):
            raise ApiError("Currency conversion rate is invalid.", RATE_INVALID_CODE)
        currency.conversion_rate = rate
    if format_pattern is not UNSET:
        currency.format_pattern = _check_format_pattern(format_pattern)
    if fraction_digits is not UNSET:
        currency.fraction_digits = _check_fraction_digits(fraction_digits)
    if is_rate_manual is not None:
        currency.is_rate_manual = is_rate_manual
    currency.updated_at = utcnow()
    db.flush()
    return True


def delete_currency(db: Session, code: str) -> bool:
    currency = require(db, code, for_update=True)
    if currency.is_default:
        raise ApiError("Cannot remove the default currency.")
    events.fire(db, "onBeforeAdminDeleteCurrency", id=currency.id, code=currency.code)
    deleted_code, deleted_id = currency.code, currency.id
    db.delete(currency)
    db.flush()
    events.fire(db, "onAfterAdminDeleteCurrency", id=deleted_id, code=deleted_code)
    log.info("removed currency %s", deleted_code)
    return True


def _fit(rate: Decimal) -> Decimal:
    return min(max(quantize_rate(rate), Decimal("0.000001")), MAX_RATE)


def set_default(db: Session, code: str) -> bool:
    """Make `code` the one default; every rate is rebased so the new default's is 1.

    All currency rows are locked in id order first, so two concurrent calls cannot leave two
    defaults (or none) behind.
    """
    rows = list(db.scalars(select(Currency).order_by(Currency.id).with_for_update()))
    target = next((row for row in rows if row.code == normalise_code(code)), None)
    if target is None:
        raise NotFound(NOT_FOUND)
    if target.is_default and sum(1 for row in rows if row.is_default) == 1:
        return True
    base = target.conversion_rate
    now = utcnow()
    for row in rows:
        if row is target:
            row.is_default, row.conversion_rate, row.is_rate_manual = True, DEFAULT_RATE, False
        else:
            row.is_default = False
            row.conversion_rate = _fit(row.conversion_rate / base)
        row.updated_at = now
    db.flush()
    log.info("set currency %s as default", target.code)
    return True


def update_rates(db: Session) -> int:
    """Fetch today's rates and store them for every currency not on a manual rate; returns how many changed."""
    if not rate_sync(db).enabled:
        raise ApiError(
            "Automatic currency rate updates are disabled. Turn on sync_rate in the currency module settings."
        )
    rows = list(db.scalars(select(Currency).order_by(Currency.id).with_for_update()))
    default = next((row for row in rows if row.is_default), None)
    if default is None:
        raise ApiError("Default currency not found. Cannot update rates.")
    wanted = [row for row in rows if not row.is_default and not row.is_rate_manual]
    rates = _fetch_rates(db, default, [row.code for row in wanted])
    now, changed = utcnow(), 0
    default.conversion_rate = DEFAULT_RATE
    for row in wanted:
        rate = rates.get(row.code)
        if rate is None:
            log.warning("no exchange rate for %s from the provider; kept %s", row.code, row.conversion_rate)
            continue
        if rate != row.conversion_rate:
            row.conversion_rate, row.updated_at = rate, now
            changed += 1
    db.flush()
    log.info("updated %d currency rates", changed)
    return changed


@cron_job("currency_rates", timedelta(days=1))
def cron_update_rates(db: Session, now: datetime) -> str | None:
    if not is_cron_enabled(db):
        return "exchange rate sync is off"
    return f"{update_rates(db)} currency rates changed"


# -- formatting -------------------------------------------------------------------------------
def active_locale(db: Session, cookie: str | None) -> str:
    """The visitor's `BBLANG` locale when it is one the install offers, else the install's locale."""
    configured = settings_store.get_param(db, "locale") or formatting.DEFAULT_LOCALE
    if cookie and cookie in (formatting.DEFAULT_LOCALE, configured):
        return cookie
    return configured


def format_price(
    db: Session,
    currency: Currency,
    price: Decimal,
    *,
    convert: bool = True,
    without_currency: bool = False,
    locale_code: str | None = None,
) -> str:
    """A price in the default currency shown in `currency` (converted unless `convert` is off)."""
    amount = price * currency.conversion_rate if convert else price
    digits = formatting.fraction_digits_for(currency.code, currency.fraction_digits)
    locale = formatting.resolve_locale(locale_code)
    if without_currency:
        return formatting.format_number(amount, digits, locale)
    return formatting.format_money(amount, currency.code, digits, locale, currency.format_pattern)
