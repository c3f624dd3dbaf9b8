"""What CLDR (through Babel) knows about currencies: which are in use, their names, symbols, formats."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_name,
    get_currency_precision,
    get_currency_symbol,
    get_territory_currencies,
)

DEFAULT_LOCALE = "en_US"
NAME_LOCALE = "en"
AMOUNT_PLACEHOLDER = "{amount}"
_FRACTION = re.compile(r"\.[0#]+")


@lru_cache(maxsize=8)
def _currencies_in_use(day: date) -> frozenset[str]:
    codes: set[str] = set()
    for territory in Locale.parse(NAME_LOCALE).territories:
        if not isinstance(territory, str):
            continue
        try:
            codes.update(get_territory_currencies(territory, day, tender=True))
        except Exception:  # noqa: BLE001, S112 - a territory CLDR has no currency data for
            continue
    return frozenset(codes)


def _sort_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def available_currencies(day: date) -> dict[str, str]:
    """Currencies legal tender somewhere on `day`: `{code: "CODE (Name)"}`, ordered by name."""
    names = {code: currency_name(code) for code in _currencies_in_use(day)}
    return {code: f"{code} ({names[code]})" for code in sorted(names, key=lambda c: (_sort_key(names[c]), c))}


def is_available(code: str, day: date) -> bool:
    return code in _currencies_in_use(day)


def currency_name(code: str) -> str:
    return str(get_currency_name(code, locale=NAME_LOCALE))


def currency_symbol(code: str) -> str:
    return str(get_currency_symbol(code, locale=NAME_LOCALE))


def resolve_locale(code: str | None) -> Locale:
    """A Babel locale from `en_US` / `en-US` / `de`; unknown or malformed codes fall back to en_US."""
    if code:
        try:
            return Locale.parse(code.strip().replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            pass
    return Locale.parse(DEFAULT_LOCALE)


def fraction_digits_for(code: str, override: int | None) -> int:
    return override if override is not None else int(get_currency_precision(code))


def _with_fraction(pattern: str, digits: int) -> str:
    """The locale's pattern with exactly `digits` decimals (`#,##0.00` → `#,##0.000` / `#,##0`)."""
    fraction = "." + "0" * digits if digits else ""
    if _FRACTION.search(pattern):
        return _FRACTION.sub(fraction, pattern)
    return re.sub(r"0(?![0#])", "0" + fraction, pattern, count=1)


def round_amount(amount: Decimal, digits: int) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def format_number(amount: Decimal, digits: int, locale: Locale) -> str:
    """The amount alone, grouped and with the decimal mark of `locale`: `1,234.50`."""
    pattern = _with_fraction(locale.decimal_formats[None].pattern, digits)
    return str(format_decimal(round_amount(amount, digits), format=pattern, locale=locale))


def format_money(
    amount: Decimal, code: str, digits: int, locale: Locale, pattern: str | None = None
) -> str:
    """The amount with its currency: the currency's own pattern (`{amount} €`) or the locale's (`$1,234.50`)."""
    if pattern:
        return pattern.replace(AMOUNT_PLACEHOLDER, format_number(amount, digits, locale))
    currency_pattern = _with_fraction(locale.currency_formats["standard"].pattern, digits)
    return str(
        format_currency(
            round_amount(amount, digits), code, format=currency_pattern, locale=locale, currency_digits=False
        )
    )
