"""`/api/guest/system/*`: company details, lookup lists, public settings, paginator, locale, messages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling import __version__
from pybilling.api.context import AppServices
from pybilling.core import settings_store
from pybilling.core.settings_store import Setting
from pybilling.modules.system import service
from pybilling.modules.system.defaults import DEFAULT_SETTINGS
from tests.helpers import Caller

PUBLIC_COMPANY_KEYS = [
    "www", "name", "signature", "logo_url", "logo_url_dark", "favicon_url", "display_bank_info",
    "bank_info_pagebottom", "note", "privacy_policy", "tos",
]
FULL_COMPANY_KEYS = [
    "www", "name", "email", "tel", "signature", "logo_url", "logo_url_dark", "favicon_url", "address_1",
    "address_2", "address_3", "account_number", "bank_name", "bic", "display_bank_info", "bank_info_pagebottom",
    "number", "note", "privacy_policy", "tos", "vat_number",
]


@pytest.fixture
def setting(db: Session) -> Callable[..., None]:
    """`setting("param", "value", public=False)` stores an install setting."""

    def store(param: str, value: str | None, public: bool = False) -> None:
        with db.begin():
            settings_store.set_param(db, param, value)
            row = db.scalar(select(Setting).where(Setting.param == param))
            assert row is not None
            row.public = public

    return store


def test_fresh_install_has_every_default_setting(db: Session) -> None:
    with db.begin():
        stored = settings_store.get_params(db, list(DEFAULT_SETTINGS))
    assert stored == DEFAULT_SETTINGS
    assert stored["invoice_series"] == "FOSS"
    assert stored["hide_company_public"] == "1"
    assert stored["nameserver_1"] is None


def test_version(guest: Caller, setting: Callable[..., None]) -> None:
    assert guest.get("system/version").ok() == __version__
    setting("hide_version_public", "1")
    assert guest("system/version").ok() == ""


# -- company -------------------------------------------------------------------------------------
def test_company_hides_the_private_details_by_default(guest: Caller) -> None:
    result = guest.get("system/company").ok()
    assert list(result) == PUBLIC_COMPANY_KEYS
    assert result["www"] == "http://127.0.0.1:8000/"
    assert result["name"] == "Company Name"
    assert result["logo_url"] == "http://127.0.0.1:8000/public/branding/logo.svg"
    assert result["logo_url_dark"] == "http://127.0.0.1:8000/public/branding/logo-dark.svg"
    assert result["favicon_url"] == "http://127.0.0.1:8000/public/branding/favicon.ico"
    assert result["display_bank_info"] is None
    assert result["tos"].startswith("This is a sample Terms of Service.")


def test_company_shows_everything_when_not_hidden(guest: Caller, setting: Callable[..., None]) -> None:
    setting("hide_company_public", "0")
    setting("company_logo", "https://cdn.example.com/logo.png")
    setting("company_logo_dark", None)
    setting("company_vat_number", "LT123")
    result = guest("system/company").ok()
    assert list(result) == FULL_COMPANY_KEYS
    assert (result["email"], result["tel"], result["address_1"]) == (
        "support@yourcompany.com", "+123 456 12345", "Demo address line 1",
    )
    assert result["vat_number"] == "LT123"
    assert result["logo_url"] == "https://cdn.example.com/logo.png"
    assert result["logo_url_dark"] == "https://cdn.example.com/logo.png"
    assert result["bank_name"] is None


# -- settings ------------------------------------------------------------------------------------
def test_default_country(guest: Caller, setting: Callable[..., None]) -> None:
    assert guest.get("system/default_country").ok() is None
    setting("default_country", "LT")
    assert guest("system/default_country").ok() == "LT"


def test_param_reads_only_public_settings(guest: Caller, setting: Callable[..., None]) -> None:
    guest.get("system/param").fails('"key" parameter was not passed')
    guest.get("system/param", key="company_name").fails("Parameter company_name does not exist")
    guest("system/param", key="no_such_setting").fails("Parameter no_such_setting does not exist")
    setting("theme_banner", "Hello", public=True)
    assert guest.get("system/param", key="theme_banner").ok() == "Hello"
    guest("system/param", key=["theme_banner"]).fails()


# -- lists ---------------------------------------------------------------------------------------
def test_countries(guest: Caller) -> None:
    result = guest.get("system/countries").ok()
    assert len(result) == 249
    assert list(result)[:6] == ["AF", "AX", "AL", "DZ", "AS", "AD"]
    assert list(result)[-3:] == ["YE", "ZM", "ZW"]
    assert result["AX"] == "Åland Islands"
    assert result["US"] == "United States"
    assert result["CI"] == "C\u00f4te d\u2019Ivoire"
    assert result["TR"] == "Türkiye"
    assert result["TF"] == "French Southern and Antarctic Lands"
    assert result["SH"] == "St. Helena, Ascension & Tristan da Cunha"
    assert "XK" not in result
    assert "EU" not in result


def test_periods(guest: Caller) -> None:
    assert guest.get("system/periods").ok() == {
        "1W": "Every Week", "1M": "Every Month", "3M": "Every 3 Months", "6M": "Every 6 Months",
        "1Y": "Every Year", "2Y": "Every 2 Years", "3Y": "Every 3 Years", "4Y": "Every 4 Years",
        "5Y": "Every 5 Years",
    }


def test_period_title(guest: Caller) -> None:
    assert guest.get("system/period_title").ok() == "-"
    assert guest.get("system/period_title", code="3M").ok() == "Every 3 Months"
    assert guest("system/period_title", code="2W").ok() == "Every 2 Weeks"
    assert guest("system/period_title", code="1D").ok() == "Every Day"
    assert guest("system/period_title", code="90D").ok() == "Every 90 Days"
    guest("system/period_title", code="25M").fails("Invalid billing period 25M")
    guest("system/period_title", code="1X").fails("Invalid billing period 1X")
    guest("system/period_title", code=["1M"]).fails()


def test_phone_codes(guest: Caller) -> None:
    result = guest.get("system/phone_codes").ok()
    assert result[:2] == [1, 7]
    assert result == sorted(set(result))
    assert all(isinstance(code, int) for code in result)
    assert {44, 49, 370, 800} <= set(result)


def test_timezones(guest: Caller) -> None:
    result = guest.get("system/timezones").ok()
    assert list(result) == [
        "UTC", "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian",
        "Pacific",
    ]
    assert result["UTC"] == ["UTC"]
    assert result["Africa"][:2] == ["Africa/Abidjan", "Africa/Accra"]
    assert {region: len(zones) for region, zones in result.items()} == {
        "UTC": 1, "Africa": 52, "America": 144, "Antarctica": 11, "Arctic": 1, "Asia": 82, "Atlantic": 10,
        "Australia": 11, "Europe": 58, "Indian": 11, "Pacific": 38,
    }
    assert "Europe/Vilnius" in result["Europe"]


# -- paginator -----------------------------------------------------------------------------------
def test_paginator_defaults(guest: Caller) -> None:
    assert guest.get("system/paginator").ok() == {
        "currentpage": 1, "numpages": 1, "midrange": 7, "range": [1], "start": 1, "end": 1,
    }


def test_paginator_windows(guest: Caller) -> None:
    assert guest.get("system/paginator", total=50, per_page=10, page_param="page").ok() == {
        "currentpage": 1, "numpages": 5, "midrange": 7, "range": [1, 2, 3, 4, 5], "start": 1, "end": 5,
    }
    middle = guest.get("system/paginator", total="200", per_page="10", page="10").ok()
    assert (middle["currentpage"], middle["numpages"], middle["range"]) == (10, 20, list(range(7, 14)))
    assert (middle["start"], middle["end"]) == (7, 13)
    near_start = guest("system/paginator", total=200, per_page=10, page=2).ok()
    assert near_start["range"] == [1, 2, 3, 4, 5, 6, 7]
    custom = guest.get("system/paginator", total=200, per_page=10, page_param="p", p=20).ok()
    assert (custom["currentpage"], custom["range"][0], custom["end"]) == (20, 1, 20)
    assert guest("system/paginator", total=5, per_page=-1).ok()["numpages"] == 1


def test_paginator_refuses_non_numbers(guest: Caller) -> None:
    guest.get("system/paginator", total="many").fails(
        "Invalid value for parameter 'total': must be an integer"
    )
    guest.get("system/paginator", page="x").fails("Invalid value for parameter 'page': must be an integer")
    guest("system/paginator", per_page=[1]).fails()


# -- request facts -------------------------------------------------------------------------------
def test_current_url(guest: Caller, http: Any) -> None:
    assert guest.get("system/current_url").ok() == "/api/guest/system/current_url"
    assert http.get("/api/guest/system/current_url?a=1&b=2").json()["result"] == "/api/guest/system/current_url?a=1&b=2"
    assert guest("system/current_url").ok() == "/api/guest/system/current_url"


@pytest.fixture
def template_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "theme"
    (folder / "mod_page").mkdir(parents=True)
    (folder / "layout_default.html.twig").write_text("{{ content }}")
    (folder / "mod_page" / "about.html.twig").write_text("about")
    (tmp_path / "secret.txt").write_text("not a template")
    service.register_template_dir(folder)
    yield folder
    service.unregister_template_dir(folder)


def test_template_exists(guest: Caller, template_dir: Path) -> None:
    assert guest.get("system/template_exists").ok() is False
    assert guest.get("system/template_exists", file="layout_default.html.twig").ok() is True
    assert guest("system/template_exists", file="mod_page/about.html.twig").ok() is True
    assert guest("system/template_exists", file="missing.html.twig").ok() is False
    assert guest("system/template_exists", file="../secret.txt").ok() is False
    assert guest("system/template_exists", file=str(template_dir / "layout_default.html.twig")).ok() is False
    assert guest("system/template_exists", file="mod_page").ok() is False


def test_locale(guest: Caller, http: Any, setting: Callable[..., None]) -> None:
    assert guest.get("system/locale").ok() == "en_US"
    assert http.get("/api/guest/system/locale", cookies={"BBLANG": "xx_XX"}).json()["result"] == "en_US"
    setting("locale", "lt_LT")
    assert guest("system/locale").ok() == "lt_LT"
    assert http.get("/api/guest/system/locale", cookies={"BBLANG": "en_US"}).json()["result"] == "en_US"


def test_pending_messages_are_read_once(
    guest: Caller, http: Any, make_client: Any, services: AppServices, db: Session
) -> None:
    assert guest.get("system/get_pending_messages").ok() == []
    account = make_client()
    guest("client/login", email=account.email, password=account.password).ok()
    session_id = http.cookies.get("pybilling_session")
    with db.begin():
        session = services.sessions.load(db, services.secrets.session_id_hash(session_id))
        assert session is not None
        service.add_pending_message(db, services.sessions, session, "Profile updated")
        service.add_pending_message(db, services.sessions, session, "Welcome back")
    assert guest.get("system/get_pending_messages").ok() == ["Profile updated", "Welcome back"]
    assert guest("system/get_pending_messages").ok() == []
    as_client = Caller(http, "client")
    as_client.csrf = http.cookies.get("csrf_token")
    assert as_client("profile/get").ok()["id"] == account.id
