"""Install-wide facts: company details, countries, periods, timezones, locales, public settings.

Other modules validate what clients and staff type (country, locale, timezone) with the checks here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
import pycountry
from babel import Locale, UnknownLocaleError
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError
from pybilling.core import settings_store
from pybilling.core.sessions import SessionData, SessionStore
from pybilling.modules.system.timezones import ZONES

DEFAULT_LOCALE = "en_US"

# -- company ----------------------------------------------------------------------------------
# (answer key, setting) in FOSSBilling's order; the logo/favicon URLs are derived separately.
_COMPANY_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "company_name"),
    ("email", "company_email"),
    ("tel", "company_tel"),
    ("signature", "company_signature"),
    ("logo_url", "company_logo"),
    ("logo_url_dark", "company_logo_dark"),
    ("favicon_url", "company_favicon"),
    ("address_1", "company_address_1"),
    ("address_2", "company_address_2"),
    ("address_3", "company_address_3"),
    ("account_number", "company_account_number"),
    ("bank_name", "company_bank_name"),
    ("bic", "company_bic"),
    ("display_bank_info", "company_display_bank_info"),
    ("bank_info_pagebottom", "company_bank_info_pagebottom"),
    ("number", "company_number"),
    ("note", "company_note"),
    ("privacy_policy", "company_privacy_policy"),
    ("tos", "company_tos"),
    ("vat_number", "company_vat_number"),
)
# What guests still see when `hide_company_public` is on (address, phone, bank, VAT stay private).
_PUBLIC_COMPANY_KEYS = (
    "www", "name", "signature", "logo_url", "logo_url_dark", "favicon_url", "display_bank_info",
    "bank_info_pagebottom", "note", "privacy_policy", "tos",
)


def _absolute(base_url: str, path: str | None) -> str | None:
    if not path:
        return None
    if "http" in path:
        return path
    return base_url + path.lstrip("/")


def company(db: Session, base_url: str) -> dict[str, Any]:
    """The company details; logo and favicon paths become URLs under the install's base URL."""
    www = base_url if base_url.endswith("/") else base_url + "/"
    values = settings_store.get_params(db, [setting for _, setting in _COMPANY_FIELDS])
    result: dict[str, Any] = {"www": www}
    for key, setting in _COMPANY_FIELDS:
        result[key] = values.get(setting)
    logo = _absolute(www, values.get("company_logo"))
    result["logo_url"] = logo
    result["logo_url_dark"] = _absolute(www, values.get("company_logo_dark")) or logo
    result["favicon_url"] = _absolute(www, values.get("company_favicon"))
    return result


def public_company(db: Session, base_url: str) -> dict[str, Any]:
    details = company(db, base_url)
    if not settings_store.get_bool(db, "hide_company_public"):
        return details
    return {key: details[key] for key in _PUBLIC_COMPANY_KEYS}


# -- settings ---------------------------------------------------------------------------------
def public_param(db: Session, key: str) -> str | None:
    found, value = settings_store.get_public_param(db, key)
    if not found:
        raise ApiError(f"Parameter {key} does not exist")
    return value


def default_country(db: Session) -> str | None:
    return settings_store.get_param(db, "default_country") or None


# -- countries --------------------------------------------------------------------------------
# Where FOSSBilling's (newer) CLDR names differ from Babel's.
_COUNTRY_NAMES = {
    "TF": "French Southern and Antarctic Lands",
    "HM": "Heard Island & McDonald Islands",
    "SH": "St. Helena, Ascension & Tristan da Cunha",
}


def _collation_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


@cache
def countries() -> Mapping[str, str]:
    """ISO 3166-1 alpha-2 code → English name, ordered by name as FOSSBilling lists them."""
    territories = Locale("en").territories
    names = {
        c.alpha_2: _COUNTRY_NAMES.get(c.alpha_2) or territories.get(c.alpha_2) or c.name for c in pycountry.countries
    }
    return dict(sorted(names.items(), key=lambda item: _collation_key(item[1])))


def check_country(code: str | None) -> None:
    if code and code not in countries():
        raise ApiError(f"Invalid country code: {code}")


def check_locale(code: str | None) -> None:
    if not code:
        return
    try:
        Locale.parse(code)
    except (ValueError, TypeError, UnknownLocaleError):
        raise ApiError(f"Invalid locale code: {code}") from None


def check_timezone(name: str | None) -> None:
    if not name:
        return
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ApiError(f"Invalid timezone: {name}") from None


@cache
def phone_codes() -> list[int]:
    return sorted(set(phonenumbers.COUNTRY_CODE_TO_REGION_CODE))


@cache
def timezones() -> dict[str, list[str]]:
    """`{"UTC": ["UTC"], "Africa": [...], ...}`: the canonical zones grouped by region."""
    grouped: dict[str, list[str]] = {"UTC": ["UTC"]}
    for zone in ZONES:
        grouped.setdefault(zone.split("/", 1)[0], []).append(zone)
    return grouped


# -- billing periods --------------------------------------------------------------------------
PERIODS: dict[str, str] = {
    "1W": "Every Week",
    "1M": "Every Month",
    "3M": "Every 3 Months",
    "6M": "Every 6 Months",
    "1Y": "Every Year",
    "2Y": "Every 2 Years",
    "3Y": "Every 3 Years",
    "4Y": "Every 4 Years",
    "5Y": "Every 5 Years",
}
# unit → (largest quantity, singular, plural)
_PERIOD_UNITS = {
    "D": (90, "Day", "Days"),
    "W": (52, "Week", "Weeks"),
    "M": (24, "Month", "Months"),
    "Y": (5, "Year", "Years"),
}
_PERIOD_RE = re.compile(r"^([1-9][0-9]?)([DWMY])$")


def period_title(code: str | None) -> str:
    """`3M` → "Every 3 Months"; nothing → "-"; a code outside D1-90, W1-52, M1-24, Y1-5 is refused."""
    if not code:
        return "-"
    if code in PERIODS:
        return PERIODS[code]
    match = _PERIOD_RE.match(code)
    if match is None or int(match.group(1)) > _PERIOD_UNITS[match.group(2)][0]:
        raise ApiError(f"Invalid billing period {code}")
    quantity = int(match.group(1))
    _, singular, plural = _PERIOD_UNITS[match.group(2)]
    return f"Every {singular}" if quantity == 1 else f"Every {quantity} {plural}"


# -- the classic paginator of themes ----------------------------------------------------------
@dataclass(frozen=True)
class PaginatorInput:
    total: int = 0
    per_page: int | None = 20
    page: int | None = 1
    midrange: int = 7


def paginator(data: PaginatorInput) -> dict[str, Any]:
    """FOSSBilling's page-link window: `range` spans `midrange` pages around the current one."""
    current = data.page if data.page and data.page >= 1 else 1
    limit = 20 if not data.per_page else max(data.per_page, 0)
    pages = 1 if limit < 1 or limit > data.total else math.ceil(data.total / limit)
    half = data.midrange // 2
    start, end = current - half, current + half
    if start <= 0:
        end += abs(start) + 1
        start = 1
    if end > pages:
        end = pages
        start = 1
    return {
        "currentpage": current,
        "numpages": pages,
        "midrange": data.midrange,
        "range": list(range(start, end + 1)),
        "start": start,
        "end": end,
    }


# -- locale -----------------------------------------------------------------------------------
def available_locales(db: Session) -> list[str]:
    """Translations installed: English, plus the install's default locale when it is another."""
    configured = settings_store.get_param(db, "locale")
    return [DEFAULT_LOCALE] + ([configured] if configured and configured != DEFAULT_LOCALE else [])


def active_locale(db: Session, cookie: str | None) -> str:
    """The visitor's chosen locale (cookie `BBLANG`) when installed, else the install's default."""
    installed = available_locales(db)
    if cookie and cookie in installed:
        return cookie
    return settings_store.get_param(db, "locale") or DEFAULT_LOCALE


# -- templates --------------------------------------------------------------------------------
_template_dirs: list[Path] = []
_admin_template_dirs: list[Path] = []
_PACKAGE_DIR = Path(__file__).resolve().parents[2]
_TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9_\-./]+$")


def register_template_dir(path: Path, *, admin: bool = False) -> None:
    """Themes and modules add the folders their client-area (or admin-area) templates live in."""
    folders = _admin_template_dirs if admin else _template_dirs
    if path not in folders:
        folders.append(path)


def unregister_template_dir(path: Path, *, admin: bool = False) -> None:
    folders = _admin_template_dirs if admin else _template_dirs
    if path in folders:
        folders.remove(path)


def template_exists(db: Session, name: str | None, *, admin: bool = False) -> bool:
    """Whether the client area (or the admin area) can render `name`; names that leave the folders are not."""
    if not name or not _TEMPLATE_NAME.match(name):
        return False
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts:
        return False
    if admin:
        folders = list(_admin_template_dirs)
        theme = settings_store.get_param(db, "admin_theme") or "admin_default"
    else:
        folders = list(_template_dirs)
        theme = settings_store.get_param(db, "theme") or ""
    if theme and re.fullmatch(r"[A-Za-z0-9_\-]+", theme):
        folders.append(_PACKAGE_DIR / "themes" / theme / "html")
    return any((folder / relative).is_file() for folder in folders)


# -- one-time messages of a browser session ---------------------------------------------------
PENDING_KEY = "pending_messages"


def add_pending_message(db: Session, store: SessionStore, session: SessionData, message: str) -> None:
    """Keep `message` for the next page the browser shows (FOSSBilling's setPendingMessage)."""
    messages = list(session.data.get(PENDING_KEY) or [])
    messages.append(message)
    session.data[PENDING_KEY] = messages
    store.save(db, session)


def take_pending_messages(db: Session, store: SessionStore, session: SessionData | None) -> list[Any]:
    """The messages kept for this session, removed as they are read."""
    if session is None:
        return []
    messages = session.data.get(PENDING_KEY) or []
    if PENDING_KEY in session.data:
        del session.data[PENDING_KEY]
        store.save(db, session)
    return list(messages) if isinstance(messages, list) else []
