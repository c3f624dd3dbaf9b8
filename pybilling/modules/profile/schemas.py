"""Parameter models of the profile module's API methods."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints

from pybilling.api.fields import Id, OptionalDate
from pybilling.api.registry import Params


def _scalar_text(value: Any) -> Any:
    """JSON callers may send a phone or a postcode as a number: keep it as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


_Scalar = BeforeValidator(_scalar_text)
# The length applies to the string only, so an explicit null stays a valid "not changed".
Text10 = Annotated[Annotated[str, StringConstraints(max_length=10)] | None, _Scalar]
Text20 = Annotated[Annotated[str, StringConstraints(max_length=20)] | None, _Scalar]
Text64 = Annotated[Annotated[str, StringConstraints(max_length=64)] | None, _Scalar]
Text100 = Annotated[Annotated[str, StringConstraints(max_length=100)] | None, _Scalar]
Text255 = Annotated[Annotated[str, StringConstraints(max_length=255)] | None, _Scalar]
LongText = Annotated[Annotated[str, StringConstraints(max_length=65535)] | None, _Scalar]
Password = Annotated[str, StringConstraints(max_length=4096)]


class StaffUpdateParams(Params):
    """The only keys staff may change about themselves; group, status and permissions are not here."""

    email: Text255 = None
    name: Text255 = None
    signature: Text255 = None
    timezone: Text64 = None


class ClientUpdateParams(Params):
    """What a client may change about itself: never its role, status, group, balance, key, currency or id."""

    email: Text255 = None
    billing_email: Text255 = None
    first_name: Text100 = None
    last_name: Text100 = None
    type: Text100 = None
    gender: Text20 = None
    birthday: OptionalDate = None
    company: Text100 = None
    company_vat: Text100 = None
    company_number: Text255 = None
    address_1: Text100 = None
    address_2: Text100 = None
    city: Text100 = None
    state: Text100 = None
    postcode: Text100 = None
    country: Text100 = None
    phone_cc: Text10 = None
    phone: Text100 = None
    lang: Text10 = None
    timezone: Text64 = None
    custom_1: LongText = None
    custom_2: LongText = None
    custom_3: LongText = None
    custom_4: LongText = None
    custom_5: LongText = None
    custom_6: LongText = None
    custom_7: LongText = None
    custom_8: LongText = None
    custom_9: LongText = None
    custom_10: LongText = None
    custom_11: LongText = None
    custom_12: LongText = None
    custom_13: LongText = None
    custom_14: LongText = None
    custom_15: LongText = None
    custom_16: LongText = None
    custom_17: LongText = None
    custom_18: LongText = None
    custom_19: LongText = None
    custom_20: LongText = None


class ChangePasswordParams(Params):
    current_password: Password
    new_password: Password
    confirm_password: Password


class ClientIdParams(Params):
    id: Id
