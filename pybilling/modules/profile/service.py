"""The caller's own account: its profile, password and API key (staff and clients).

Sessions are the caller's business (`api.py`); these rules never see a request.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError, NotFound
from pybilling.core import api_keys, emails, passwords
from pybilling.core.crypto import Secrets
from pybilling.core.events import events
from pybilling.core.timefmt import format_date
from pybilling.modules.client import service as client_service
from pybilling.modules.client.models import CUSTOM_FIELDS, Client
from pybilling.modules.staff import service as staff_service
from pybilling.modules.staff.models import Staff
from pybilling.modules.system import service as system_service

PASSWORDS_DIFFER = "Passwords do not match"
WRONG_PASSWORD = "Current password incorrect"  # noqa: S105 - an error message
EMAIL_LOCKED = "Email address cannot be changed"

# What a client may change about itself. Role, status, group, balance, email_approved, tax_exempt,
# API key, currency and id are never taken; nor are the staff-only `aid` and `notes`.
CLIENT_TEXT_FIELDS = (
    "first_name", "last_name", "type", "gender", "company", "company_vat", "company_number", "address_1",
    "address_2", "city", "state", "postcode", "phone_cc", "phone", *CUSTOM_FIELDS,
)
# Blank means "none" for these: they are codes looked up elsewhere.
CLIENT_CODE_FIELDS = ("country", "lang", "timezone", "billing_email")
CLIENT_BASE_FIELDS = (
    "id", "email", "email_approved", "type", "first_name", "last_name", "gender", "birthday", "phone_cc",
    "phone", "company", "company_vat", "company_number", "address_1", "address_2", "city", "state",
    "postcode", "country", "currency", "lang", "timezone",
)


# -- shared --------------------------------------------------------------------------------------
def _check_new_password(current: str, new: str, confirm: str, hashed: str | None) -> None:
    """FOSSBilling's order: the two new ones agree, the new one is strong, the current one is right."""
    if new != confirm:
        raise ApiError(PASSWORDS_DIFFER)
    staff_service.check_password_strength(new)
    if not passwords.verify_password(current, hashed):
        raise ApiError(WRONG_PASSWORD)


def _blank_to_none(value: str | None) -> str | None:
    return None if value is None or value.strip() == "" else value


# -- staff ---------------------------------------------------------------------------------------
def staff_to_api(secrets: Secrets, staff: Staff) -> dict[str, Any]:
    """`admin/profile/get`: dates as `Y-m-d`, the member's own key in `api_token`."""
    return {
        "id": staff.id,
        "email": staff.email,
        "name": staff.name,
        "signature": staff.signature,
        "status": staff.status,
        "api_token": api_keys.reveal(secrets, staff),
        "timezone": staff.timezone,
        "created_at": format_date(staff.created_at),
        "updated_at": format_date(staff.updated_at),
    }


def update_staff(db: Session, staff: Staff, changes: dict[str, Any], *, dns_check: bool) -> None:
    """Email, name, signature and timezone; a key sent as null leaves its value as it is."""
    changes = {key: value for key, value in changes.items() if value is not None}
    if "email" in changes:
        email = emails.checked(changes["email"], dns=dns_check)
        if staff_service.email_taken(db, email, except_id=staff.id):
            raise ApiError(f"Staff member with email {email} is already registered.", 788954)
        changes["email"] = email
    if "timezone" in changes:
        changes["timezone"] = _blank_to_none(changes["timezone"])
        system_service.check_timezone(changes["timezone"])
    events.fire(db, "onBeforeAdminStaffProfileUpdate", id=staff.id, data=dict(changes))
    if "email" in changes:
        staff.email = changes["email"]
        staff.email_normalised = emails.normalise(changes["email"])
    for field in ("name", "signature", "timezone"):
        if field in changes:
            setattr(staff, field, changes[field])
    db.flush()
    events.fire(db, "onAfterAdminStaffProfileUpdate", id=staff.id)


def new_staff_api_key(db: Session, secrets: Secrets, staff: Staff) -> str:
    """A new key for the member; the old one stops working at once."""
    events.fire(db, "onBeforeAdminStaffApiKeyChange", id=staff.id)
    key = api_keys.issue(secrets, staff)
    db.flush()
    events.fire(db, "onAfterAdminStaffApiKeyChange", id=staff.id)
    return key


def change_staff_password(db: Session, staff: Staff, current: str, new: str, confirm: str) -> None:
    _check_new_password(current, new, confirm, staff.password_hash)
    events.fire(db, "onBeforeAdminStaffProfilePasswordChange", id=staff.id)
    staff.password_hash = passwords.hash_password(new)
    db.flush()
    events.fire(db, "onAfterAdminStaffProfilePasswordChange", id=staff.id)


def reset_client_api_key(db: Session, secrets: Secrets, client_id: int) -> str:
    """Staff giving a client a new key (`admin/profile/api_key_reset`)."""
    client = db.get(Client, client_id)
    if client is None:
        raise NotFound("Client not found")
    return new_client_api_key(db, secrets, client)


# -- clients -------------------------------------------------------------------------------------
def client_balance(db: Session, client: Client) -> int | float:
    """The client's credit, the sum of its balance ledger, as the JSON number FOSSBilling shows."""
    return client_service.as_number(client_service.client_balance(db, client.id))


def client_to_api(db: Session, client: Client) -> dict[str, Any]:
    """`client/profile/get`: the client's own view, its billing email, balance and enabled custom fields."""
    result: dict[str, Any] = {name: getattr(client, name) for name in CLIENT_BASE_FIELDS}
    result["email_approved"] = bool(client.email_approved)
    result["billing_email"] = client.billing_email
    result["balance"] = client_balance(db, client)
    custom = client_service.config(db).custom_fields
    for name in CUSTOM_FIELDS:
        spec = custom.get(name)
        value = getattr(client, name)
        if isinstance(spec, dict) and _flag(spec.get("active")) and value:
            result[name] = value
    return result


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def update_client(db: Session, client: Client, changes: dict[str, Any], *, dns_check: bool) -> None:
    """A client editing itself: only the keys given change (null leaves a value as it is, blank clears it)."""
    changes = {key: value for key, value in changes.items() if value is not None or key == "birthday"}
    if "email" in changes:
        email = emails.checked(changes["email"], dns=dns_check)
        if emails.normalise(email) != client.email_normalised:
            if client_service.config(db).disable_change_email:
                raise ApiError(EMAIL_LOCKED)
            if client_service.email_taken(db, email, except_id=client.id):
                raise ApiError(client_service.EMAIL_TAKEN)
        changes["email"] = email
    for field in CLIENT_CODE_FIELDS:
        if field in changes:
            changes[field] = _blank_to_none(changes[field])
    if changes.get("billing_email"):
        changes["billing_email"] = emails.checked(changes["billing_email"], dns=dns_check)
    system_service.check_country(changes.get("country"))
    system_service.check_locale(changes.get("lang"))
    system_service.check_timezone(changes.get("timezone"))
    events.fire(db, "onBeforeClientProfileUpdate", id=client.id, data=dict(changes))
    if "email" in changes:
        client.email = changes["email"]
        client.email_normalised = emails.normalise(changes["email"])
    for field in (*CLIENT_TEXT_FIELDS, *CLIENT_CODE_FIELDS):
        if field in changes:
            setattr(client, field, changes[field])
    if "birthday" in changes:
        client.birthday = changes["birthday"]
    db.flush()
    events.fire(db, "onAfterClientProfileUpdate", id=client.id)


def client_api_key(secrets: Secrets, client: Client) -> str | None:
    return api_keys.reveal(secrets, client)


def new_client_api_key(db: Session, secrets: Secrets, client: Client) -> str:
    key = api_keys.issue(secrets, client)
    db.flush()
    return key


def change_client_password(db: Session, client: Client, current: str, new: str, confirm: str) -> None:
    _check_new_password(current, new, confirm, client.password_hash)
    events.fire(db, "onBeforeClientProfilePasswordChange", id=client.id)
    client.password_hash = passwords.hash_password(new)
    db.flush()
    events.fire(db, "onAfterClientProfilePasswordChange", id=client.id)
