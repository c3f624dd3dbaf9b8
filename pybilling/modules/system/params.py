"""Install settings as staff read and change them: parameters, localization, error reporting, instance id."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError
from pybilling.core import settings_store
from pybilling.core.events import events
from pybilling.core.settings_store import Setting
from pybilling.modules.system.service import DEFAULT_LOCALE, check_country, check_locale, check_timezone

# `allowed("system.manage_company_details")` → whether the calling staff member holds that permission.
PermissionCheck = Callable[[str], bool]

_PARAM_NAME = re.compile(r"^[a-z0-9_]+$")
_MAX_VALUE = 65535
# Company details and legal texts need their own staff permission on top of `system.update_params`.
COMPANY_DETAILS = frozenset({
    "company_name", "company_email", "company_tel", "company_address_1", "company_address_2",
    "company_address_3", "company_logo", "company_logo_dark", "company_favicon", "company_number",
    "company_vat_number", "company_account_number", "company_bank_name", "company_bic",
    "company_display_bank_info", "company_bank_info_pagebottom", "hide_company_public", "company_signature",
})
COMPANY_LEGAL = frozenset({"company_tos", "company_privacy_policy", "company_note"})

INSTANCE_ID = "instance_id"
ERROR_REPORTING = "error_reporting"
INTERFACE_IP = "interface_ip"
CUSTOM_INTERFACE_IP = "custom_interface_ip"
LOCALE = "locale"
AUTO_DETECT_LOCALE = "auto_detect_locale"
# Settings that only their own method changes, with its validation and permission.
_MANAGED_ELSEWHERE = frozenset({INSTANCE_ID, ERROR_REPORTING, INTERFACE_IP, CUSTOM_INTERFACE_IP})
# Settings whose values other code interprets: checked before they are stored.
_VALUE_CHECKS: dict[str, Callable[[str | None], None]] = {
    "timezone": check_timezone,
    "locale": check_locale,
    "default_country": check_country,
}
# PyBilling sends no error reports anywhere; this is the version whose error reporting last changed.
ERROR_REPORTING_LAST_CHANGE = "0.1.0"


# -- parameters -------------------------------------------------------------------------------
def all_params(db: Session) -> dict[str, str | None]:
    """Every setting, in the order they were created."""
    rows = db.execute(select(Setting.param, Setting.value).order_by(Setting.id))
    return {row.param: row.value for row in rows}


def _stored_value(key: str, value: Any) -> str | None:
    """A form or JSON value as the `setting` table keeps it (text); lists and objects are refused."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, str):
        if len(value) > _MAX_VALUE:
            raise ApiError(f"Invalid value for parameter '{key}': String should have at most {_MAX_VALUE} characters")
        return value
    raise ApiError(f"Invalid value for parameter '{key}': must be a string")


def update_params(db: Session, data: Mapping[str, Any], allowed: PermissionCheck) -> bool:
    """Store every `param → value` of `data`, creating unknown params, as FOSSBilling's updateParams.

    Names are case-insensitive (stored lower-case); all are checked before anything is written.
    """
    events.fire(db, "onBeforeAdminSettingsUpdate", params=dict(data))
    changes: dict[str, str | None] = {}
    for key, raw in data.items():
        name = key.lower()
        if len(name) > 255 or not _PARAM_NAME.fullmatch(name):
            raise ApiError(f"Invalid parameter name, received: {key}.")
        if (
            name in _MANAGED_ELSEWHERE
            or (name in COMPANY_DETAILS and not allowed("system.manage_company_details"))
            or (name in COMPANY_LEGAL and not allowed("system.manage_company_legal"))
        ):
            raise ApiError(f"You do not have permission to update the parameter {key}")
        value = _stored_value(key, raw)
        check = _VALUE_CHECKS.get(name)
        if check is not None:
            check(value)
        changes[name] = value
    for name, value in changes.items():
        settings_store.set_param(db, name, value)
    events.fire(db, "onAfterAdminSettingsUpdate")
    return True


# -- localization -----------------------------------------------------------------------------
def localization(db: Session) -> dict[str, Any]:
    return {
        "locale": settings_store.get_param(db, LOCALE) or DEFAULT_LOCALE,
        "auto_detect_locale": settings_store.get_bool(db, AUTO_DETECT_LOCALE, default=True),
    }


def update_localization(db: Session, locale: str | None, auto_detect: bool) -> bool:
    """A blank locale keeps the current one; auto-detection is always set (on unless told otherwise)."""
    if locale:
        check_locale(locale)
        settings_store.set_param(db, LOCALE, locale)
    settings_store.set_param(db, AUTO_DETECT_LOCALE, "1" if auto_detect else "0")
    return True


# -- error reporting --------------------------------------------------------------------------
def error_reporting_enabled(db: Session) -> bool:
    return settings_store.get_bool(db, ERROR_REPORTING)


def toggle_error_reporting(db: Session) -> bool:
    settings_store.set_param(db, ERROR_REPORTING, "0" if error_reporting_enabled(db) else "1")
    return True


# -- instance id ------------------------------------------------------------------------------
def instance_id(db: Session) -> str:
    """This install's stable random id: made on first use (or by `pybilling init`), never changed."""
    current = settings_store.get_param(db, INSTANCE_ID)
    if current:
        return current
    fresh = str(uuid.uuid4())
    try:
        with db.begin_nested():  # another request may create it at the same moment
            settings_store.set_param(db, INSTANCE_ID, fresh)
    except IntegrityError:
        return settings_store.get_param(db, INSTANCE_ID) or fresh
    return fresh
