"""IP lookups behind a provider interface; the one provider shipped asks an HTTP JSON service.

Configured in the security module's configuration (`extension_meta`, `mod_security`):
`ip_lookup_url` — e.g. `https://geo.example.net/json/{ip}` (`{ip}` is replaced; without it the
address is appended as a path segment) — and optionally `ip_lookup_timeout` (seconds, default 5).
No URL, no lookups: nothing leaves the server unless an administrator configured it.

The provider answers a JSON object; these keys are read (first one present wins):
country: `country_code`, `countryCode`, `country_iso_code`, `country` (ISO 3166 alpha-2);
ASN: `asn`, `as_number`, `autonomous_system_number` (a number or "AS123");
organisation: `asn_org`, `as_org`, `org`, `autonomous_system_organization`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import httpx
import pycountry
from babel.numbers import get_territory_currencies

from pybilling.api.errors import ApiError

NOT_CONFIGURED = "IP lookup is not configured"
DEFAULT_TIMEOUT = 5.0
_COUNTRY_KEYS = ("country_code", "countryCode", "country_iso_code", "country")
_ASN_KEYS = ("asn", "as_number", "autonomous_system_number")
_ORG_KEYS = ("asn_org", "as_org", "org", "autonomous_system_organization")


@dataclass(frozen=True)
class IpRecord:
    country_code: str | None
    asn_number: int | None
    asn_org: str | None


class IpLookupProvider(Protocol):
    def lookup(self, ip: str) -> IpRecord: ...


class LookupFailed(Exception):
    """The provider could not answer; the message says why, without secrets."""


def _first(data: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if data.get(key) not in (None, ""):
            return data[key]
    return None


def _asn(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        digits = value.strip().upper().removeprefix("AS").split(" ")[0]
        return int(digits) if digits.isdigit() else None
    return None


class HttpJsonProvider:
    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None):
        self.url = url
        self.timeout = timeout
        self.transport = transport

    def _address(self, ip: str) -> str:
        segment = quote(ip, safe=":")
        if "{ip}" in self.url:
            return self.url.replace("{ip}", segment)
        return f"{self.url.rstrip('/')}/{segment}"

    def lookup(self, ip: str) -> IpRecord:
        try:
            with httpx.Client(timeout=self.timeout, transport=self.transport) as http:
                response = http.get(self._address(ip), headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise LookupFailed(f"the provider could not be reached ({type(exc).__name__})") from exc
        if response.status_code != 200:
            raise LookupFailed(f"the provider answered HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError as exc:
            raise LookupFailed("the provider did not answer JSON") from exc
        if not isinstance(data, dict):
            raise LookupFailed("the provider did not answer a JSON object")
        country = _first(data, _COUNTRY_KEYS)
        org = _first(data, _ORG_KEYS)
        return IpRecord(
            country_code=country.upper() if isinstance(country, str) and len(country) == 2 else None,
            asn_number=_asn(_first(data, _ASN_KEYS)),
            asn_org=org if isinstance(org, str) else None,
        )


def provider_from_config(config: dict[str, Any]) -> IpLookupProvider | None:
    url = config.get("ip_lookup_url")
    if not isinstance(url, str) or not url.strip():
        return None
    if not url.strip().lower().startswith(("http://", "https://")):
        raise ApiError("The IP lookup URL must start with http:// or https://")
    try:
        timeout = float(config.get("ip_lookup_timeout") or DEFAULT_TIMEOUT)
    except (TypeError, ValueError):
        timeout = DEFAULT_TIMEOUT
    return HttpJsonProvider(url.strip(), timeout=min(max(timeout, 0.5), 30.0))


def _flag(code: str) -> str:
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code)


def _country(code: str | None) -> dict[str, Any] | list[Any]:
    """FOSSBilling's country record `{name, flag, currencies}`; `[]` when the provider knows none."""
    if code is None:
        return []
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return []
    return {
        "name": getattr(country, "common_name", None) or country.name,
        "flag": _flag(code),
        "currencies": list(get_territory_currencies(code)),
    }


def describe(ip: str, kind: str, record: IpRecord) -> dict[str, Any]:
    """The answer of `admin/security/ip_lookup`: `{ip: {address, type}, country, asn}`."""
    asn: dict[str, Any] | list[Any] = []
    if record.asn_number is not None and record.asn_org is not None:
        asn = {"asnNumber": record.asn_number, "asnOrg": record.asn_org}
    return {"ip": {"address": ip, "type": kind}, "country": _country(record.country_code), "asn": asn}
