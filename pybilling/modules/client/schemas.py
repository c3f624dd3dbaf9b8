"""Parameter models of the client module's API methods."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, StringConstraints

from pybilling.api.fields import Id, OptionalDate, OptionalId, PhpBool
from pybilling.api.registry import Params


def _scalar_text(value: Any) -> Any:
    """Form values are strings; JSON callers may send a number (a phone, a postcode): keep it as text."""
    if isinstance(value, bool):
        raise ValueError("must be a string")
    if isinstance(value, int | float):
        return str(value)
    return value


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and value.strip() == "" else value


_Scalar = BeforeValidator(_scalar_text)
Text10 = Annotated[Annotated[str, StringConstraints(max_length=10)] | None, _Scalar]
Text20 = Annotated[Annotated[str, StringConstraints(max_length=20)] | None, _Scalar]
Text45 = Annotated[Annotated[str, StringConstraints(max_length=45)] | None, _Scalar]
Text64 = Annotated[Annotated[str, StringConstraints(max_length=64)] | None, _Scalar]
Text100 = Annotated[Annotated[str, StringConstraints(max_length=100)] | None, _Scalar]
Text255 = Annotated[Annotated[str, StringConstraints(max_length=255)] | None, _Scalar]
LongText = Annotated[Annotated[str, StringConstraints(max_length=65535)] | None, _Scalar]
Status = Literal["active", "suspended", "canceled"]
OptionalStatus = Annotated[Status | None, BeforeValidator(_blank_to_none)]


class CustomFields(Params):
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


class ProfileFields(CustomFields):
    """What a client may say about itself (signup) and staff may set (create, update)."""

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


# -- guest ---------------------------------------------------------------------------------------
class SignupParams(ProfileFields):
    """Signup: the keys a client may never set (role, status, group, balance, …) are simply not here."""

    email: Text255 = None
    first_name: Text100 = None
    password: LongText = None
    password_confirm: LongText = None


class LoginParams(Params):
    email: Text255 = None
    password: LongText = None


class ResetPasswordParams(Params):
    email: Text255 = None


class UpdatePasswordParams(Params):
    hash: Text255 = None
    password: LongText = None
    password_confirm: LongText = None


# -- admin ---------------------------------------------------------------------------------------
class StaffFields(ProfileFields):
    aid: Text255 = None
    notes: LongText = None
    billing_email: Text255 = None
    auth_type: Text255 = None
    created_at: Text45 = None


class AdminCreateParams(StaffFields):
    email: Text255 = None
    first_name: Text100 = None
    password: LongText = None
    group_id: OptionalId = None
    status: Status = "active"
    send_welcome_email: PhpBool = True


class AdminUpdateParams(StaffFields):
    id: Id
    email: Text255 = None
    first_name: Text100 = None
    status: OptionalStatus = None
    currency: Text10 = None
    email_approved: PhpBool | None = None
    tax_exempt: PhpBool | None = None
    group_id: Any = None
    client_group_id: Any = None


class AdminGetParams(Params):
    id: OptionalId = None
    email: Text255 = None


class IdParams(Params):
    id: Id


class ChangePasswordParams(Params):
    id: Id
    password: LongText = None
    password_confirm: LongText = None


OrderBy = Literal["id", "email", "first_name", "last_name", "company", "status", "created_at", "updated_at"]


class ListParams(Params):
    page: Any = None
    per_page: Any = None
    search: Text255 = None
    id: OptionalId = None
    client_id: OptionalId = None
    group_id: OptionalId = None
    status: OptionalStatus = None
    name: Text255 = None
    company: Text255 = None
    email: Text255 = None
    created_at: OptionalDate = None
    date_from: OptionalDate = None
    date_to: OptionalDate = None
    order_by: OrderBy = "created_at"
    order_dir: Literal["asc", "desc", "ASC", "DESC"] = "desc"


class PairsParams(Params):
    per_page: Any = None
    search: Text255 = None


# -- groups, balance, history, batch, export ---------------------------------------------------
class GroupCreateParams(Params):
    title: Text255 = None


class GroupUpdateParams(Params):
    id: Id
    title: Text255 = None


class AddFundsParams(Params):
    id: Id
    amount: Any = None  # parsed to a Decimal by the balance service ("Funds amount is invalid")
    description: LongText = None
    type: Text100 = None
    rel_id: Text20 = None


class BalanceListParams(Params):
    page: Any = None
    per_page: Any = None
    id: OptionalId = None
    client_id: OptionalId = None
    date_from: OptionalDate = None
    date_to: OptionalDate = None


class ClientBalanceListParams(Params):
    """A client's own lines: any `client_id` it sends is ignored."""

    page: Any = None
    per_page: Any = None
    date_from: OptionalDate = None
    date_to: OptionalDate = None


class LoginHistoryParams(Params):
    page: Any = None
    per_page: Any = None
    client_id: OptionalId = None
    search: Text255 = None


class ImpersonateParams(Params):
    id: Id
    strip_admin_identity: PhpBool = False


class BatchDeleteParams(Params):
    ids: list[Id]


def _header_list(value: Any) -> Any:
    """`headers` as a list of column names, or one comma-separated string of them."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class ExportCsvParams(Params):
    headers: Annotated[list[Annotated[str, StringConstraints(max_length=64)]], BeforeValidator(_header_list)] = []
