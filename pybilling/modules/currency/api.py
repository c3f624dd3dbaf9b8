"""Currency API methods: admin (10) and guest (3)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field

from pybilling.api.context import Call
from pybilling.api.errors import ApiError, NotFound
from pybilling.api.fields import PhpBool, Text255
from pybilling.api.pagination import page_request, paginate
from pybilling.api.registry import NoParams, Params, api_method
from pybilling.modules.currency import service
from pybilling.modules.currency.models import Currency

CODE_MISSING = {"code": "Currency code is missing"}
MAX_PRICE = Decimal(10) ** 15


def _scalar(value: Any) -> Any:
    """A number or text as sent (the service judges it, with FOSSBilling's messages); never an array."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | None):
        raise ValueError("must be a number")
    return value


def _price(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal(0)
    if isinstance(value, bool):
        raise ValueError("must be a number")
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            raise ValueError("must be a number") from None
    raise ValueError("must be a number")


RawNumber = Annotated[str | int | float | None, BeforeValidator(_scalar)]
Price = Annotated[Decimal, BeforeValidator(_price), Field(ge=-MAX_PRICE, le=MAX_PRICE, allow_inf_nan=False)]


class CodeParams(Params):
    code: Text255


class ListParams(Params):
    page: Any = None
    per_page: Any = None


class CreateParams(CodeParams):
    conversion_rate: RawNumber = None
    is_rate_manual: PhpBool = False


class UpdateParams(CodeParams):
    nul_checked_by_method: ClassVar[frozenset[str]] = frozenset({"format_pattern"})  # its own message
    conversion_rate: RawNumber = None
    is_rate_manual: PhpBool | None = None
    format_pattern: str | None = None
    fraction_digits: RawNumber = None


class GuestGetParams(Params):
    code: Text255 | None = None


class FormatParams(GuestGetParams):
    price: Price = Decimal(0)
    convert: PhpBool = True
    without_currency: PhpBool = False


# -- admin ------------------------------------------------------------------------------------
@api_method("admin", "currency", "get_list", permission="currency.view")
def admin_get_list(call: Call, params: ListParams) -> dict[str, Any]:
    """The accepted currencies, paginated (the default first, then by code)."""
    return paginate(call.db, service.list_query(), page_request(params.page, params.per_page), service.to_api)


@api_method("admin", "currency", "get_pairs", permission="currency.view")
def admin_get_pairs(call: Call, params: NoParams) -> dict[str, str]:
    """Every currency that can be added: `{code: "CODE (Name)"}`, ordered by name."""
    return service.available_pairs()


@api_method("admin", "currency", "get", required=CODE_MISSING, permission="currency.view")
def admin_get(call: Call, params: CodeParams) -> dict[str, Any]:
    """One currency by its code."""
    return service.to_api(service.require(call.db, params.code))


@api_method("admin", "currency", "get_default", permission="currency.view")
def admin_get_default(call: Call, params: NoParams) -> dict[str, Any]:
    """The default currency."""
    default = service.find_default(call.db)
    if default is None:
        raise NotFound("Default currency not found")
    return service.to_api(default)


@api_method("admin", "currency", "create", required=CODE_MISSING, permission="currency.create")
def admin_create(call: Call, params: CreateParams) -> str:
    """Accept a new currency; returns its code."""
    return service.create_currency(
        call.db, params.code, conversion_rate=params.conversion_rate, is_rate_manual=params.is_rate_manual
    )


@api_method("admin", "currency", "update", required=CODE_MISSING, permission="currency.edit")
def admin_update(call: Call, params: UpdateParams) -> bool:
    """Change a currency's rate, manual-rate flag, format pattern or fraction digits."""
    given = params.model_fields_set
    return service.update_currency(
        call.db,
        params.code,
        conversion_rate=params.conversion_rate if "conversion_rate" in given else service.UNSET,
        is_rate_manual=params.is_rate_manual,
        format_pattern=params.format_pattern if "format_pattern" in given else service.UNSET,
        fraction_digits=params.fraction_digits if "fraction_digits" in given else service.UNSET,
    )


@api_method("admin", "currency", "is_cron_enabled", permission="currency.view")
def admin_is_cron_enabled(call: Call, params: NoParams) -> bool:
    """Whether cron updates the exchange rates (the module config's `sync_rate`)."""
    return service.is_cron_enabled(call.db)


@api_method("admin", "currency", "update_rates", permission="currency.update_rates")
def admin_update_rates(call: Call, params: NoParams) -> bool:
    """Fetch the provider's rates now and store them for every currency not on a manual rate."""
    service.update_rates(call.db)
    return True


@api_method("admin", "currency", "delete", required=CODE_MISSING, permission="currency.delete")
def admin_delete(call: Call, params: CodeParams) -> bool:
    """Remove a currency; the default currency cannot be removed."""
    return service.delete_currency(call.db, params.code)


@api_method("admin", "currency", "set_default", required=CODE_MISSING, permission="currency.set_default")
def admin_set_default(call: Call, params: CodeParams) -> bool:
    """Make a currency the default (rates are rebased on it)."""
    return service.set_default(call.db, params.code)


# -- guest ------------------------------------------------------------------------------------
def _guest_currency(call: Call, code: str | None) -> Currency:
    currency = service.find(call.db, code) if code and code.strip() else service.find_default(call.db)
    if currency is None:
        raise ApiError(service.NOT_FOUND)
    return currency


@api_method("guest", "currency", "get_pairs")
def guest_get_pairs(call: Call, params: NoParams) -> dict[str, str]:
    """The accepted currencies as `{code: name}`."""
    return service.pairs(call.db)


@api_method("guest", "currency", "get")
def guest_get(call: Call, params: GuestGetParams) -> dict[str, Any]:
    """One currency by its code, or the default currency without one."""
    return service.to_api(_guest_currency(call, params.code))


@api_method("guest", "currency", "format")
def guest_format(call: Call, params: FormatParams) -> str:
    """A price (in the default currency) formatted in a currency, converted by its rate unless `convert` is off."""
    currency = _guest_currency(call, params.code)
    return service.format_price(
        call.db,
        currency,
        params.price,
        convert=params.convert,
        without_currency=params.without_currency,
        locale_code=service.active_locale(call.db, call.request.cookies.get("BBLANG")),
    )
