"""Exchange-rate providers and the cross-rate arithmetic that turns their quotes into our rates.

A provider returns `Quotes`: how many units of each currency one unit of its base currency buys.
`cross_rates` turns them into rates relative to the install's default currency. Only the
European Central Bank's daily reference rates are implemented; another provider is one class
with a `fetch()`.
"""

from __future__ import annotations

import logging
import re
import ssl
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Protocol

import httpx

log = logging.getLogger("pybilling.currency")

RATE_PLACES = Decimal("0.000001")
MAX_RATE = Decimal("9999999.999999")  # Numeric(13, 6)
ECB_DEFAULT_URL = "https://www.ecb.europa.eu/stats/eurofxref"
ECB_DOCUMENT = "eurofxref-daily.xml"
MAX_PAYLOAD_BYTES = 1_000_000
TIMEOUT_SECONDS = 10.0

_CODE = re.compile(r"^[A-Z]{3}$")
_UNSAFE_XML = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class ProviderError(Exception):
    """The provider could not be reached or answered something we cannot use (details are logged)."""


@dataclass(frozen=True)
class Quotes:
    base: str
    rates: dict[str, Decimal] = field(default_factory=dict)
    as_of: date | None = None

    def rate(self, code: str) -> Decimal | None:
        """Units of `code` per one unit of the base currency (the base itself is 1)."""
        return Decimal(1) if code == self.base else self.rates.get(code)


class RateProvider(Protocol):
    name: str

    def fetch(self) -> Quotes: ...


def quantize_rate(value: Decimal) -> Decimal:
    return value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def cross_rates(quotes: Quotes, default_code: str, codes: Iterable[str]) -> dict[str, Decimal]:
    """Rates of `codes` relative to `default_code`; currencies the provider does not quote are left out.

    Raises KeyError when the default currency itself is not quoted (no cross rate is possible).
    """
    default_quote = quotes.rate(default_code)
    if default_quote is None:
        raise KeyError(default_code)
    result: dict[str, Decimal] = {}
    for code in codes:
        quote = quotes.rate(code)
        if quote is None:
            continue
        rate = quantize_rate(quote / default_quote)
        if Decimal(0) < rate <= MAX_RATE:
            result[code] = rate
    return result


# -- the European Central Bank ------------------------------------------------------------------
_GESMES = "{http://www.gesmes.org/xml/2002-08-01}"
_ECB_NS = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_ecb_xml(payload: bytes) -> Quotes:
    """`<Cube><Cube time="…"><Cube currency="USD" rate="1.0823"/>…` → EUR-based quotes."""
    if _UNSAFE_XML.search(payload):
        raise ProviderError("the document declares a DOCTYPE or ENTITY; refused")
    try:
        root = ET.fromstring(payload)  # noqa: S314 - DOCTYPE/ENTITY refused above
    except ET.ParseError as exc:
        raise ProviderError(f"not well-formed XML: {exc}") from exc
    rates: dict[str, Decimal] = {}
    as_of: date | None = None
    for element in root.iter():
        if _local(element.tag) != "Cube":
            continue
        when = element.get("time")
        if when and as_of is None:
            try:
                as_of = date.fromisoformat(when)
            except ValueError:
                as_of = None
        code, raw_rate = element.get("currency"), element.get("rate")
        if code is None or raw_rate is None:
            continue
        code = code.strip().upper()
        try:
            rate = Decimal(raw_rate.strip())
        except InvalidOperation:
            continue
        if _CODE.match(code) and rate.is_finite() and rate > 0:
            rates[code] = rate
    if not rates:
        raise ProviderError("the document holds no exchange rates")
    return Quotes(base="EUR", rates=rates, as_of=as_of)


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """Loading the CA bundle costs a quarter second: once per process, not once per fetch."""
    return httpx.create_ssl_context()


class EcbProvider:
    """The ECB's daily euro foreign exchange reference rates (`eurofxref-daily.xml`)."""

    name = "European Central Bank"

    def __init__(self, base_url: str = ECB_DEFAULT_URL, timeout: float = TIMEOUT_SECONDS):
        self.url = f"{base_url.rstrip('/')}/{ECB_DOCUMENT}"
        self.timeout = timeout

    def fetch(self) -> Quotes:
        try:
            with (
                httpx.Client(timeout=self.timeout, follow_redirects=True, verify=_tls_context()) as http,
                http.stream("GET", self.url, headers={"Accept": "application/xml, text/xml"}) as response,
            ):
                response.raise_for_status()
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > MAX_PAYLOAD_BYTES:
                        raise ProviderError(f"answer larger than {MAX_PAYLOAD_BYTES} bytes")
        except httpx.HTTPError as exc:
            raise ProviderError(f"{type(exc).__name__}: {exc}") from exc
        return parse_ecb_xml(bytes(body))
