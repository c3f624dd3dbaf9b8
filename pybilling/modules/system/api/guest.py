"""System API methods (guest): version, company details and the lookup lists themes and forms use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BeforeValidator, ConfigDict, StringConstraints, TypeAdapter, ValidationError

from pybilling import __version__
from pybilling.api.context import Call
from pybilling.api.errors import ApiError
from pybilling.api.registry import NoParams, Params, api_method
from pybilling.core import settings_store
from pybilling.modules.system import service


def _int_like(value: Any) -> Any:
    """Numbers as themes send them (`"10"`, `10`, blank for the default); anything else is refused."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, bool):
        raise ValueError("must be an integer")
    if isinstance(value, str):
        text = value.strip()
        if not text.lstrip("-").isdigit():
            raise ValueError("must be an integer")
        return int(text)
    return value


IntLike = Annotated[int | None, BeforeValidator(_int_like)]
_INT_LIKE: TypeAdapter[int | None] = TypeAdapter(IntLike)
ShortText = Annotated[str | None, StringConstraints(max_length=255)]


@api_method("guest", "system", "version")
def guest_version(call: Call, params: NoParams) -> str:
    """PyBilling's version; empty when the `hide_version_public` setting is on."""
    if settings_store.is_true(call.param("hide_version_public")):
        return ""
    return __version__


@api_method("guest", "system", "company")
def guest_company(call: Call, params: NoParams) -> dict[str, Any]:
    """Company details; only the public part when `hide_company_public` is on."""
    return service.public_company(call.db, call.settings.base_url)


@api_method("guest", "system", "default_country")
def guest_default_country(call: Call, params: NoParams) -> str | None:
    """The country preselected in forms (setting `default_country`), or null."""
    return service.default_country(call.db)


@api_method("guest", "system", "countries")
def guest_countries(call: Call, params: NoParams) -> Mapping[str, str]:
    """Country code → English name."""
    return service.countries()


class ParamParams(Params):
    key: Annotated[str, StringConstraints(max_length=255)]


@api_method("guest", "system", "param", required={"key": '"key" parameter was not passed'})
def guest_param(call: Call, params: ParamParams) -> str | None:
    """The value of a setting marked public."""
    return service.public_param(call.db, params.key)


@api_method("guest", "system", "periods")
def guest_periods(call: Call, params: NoParams) -> dict[str, str]:
    """The named billing periods with their titles."""
    return service.PERIODS


class PeriodTitleParams(Params):
    code: ShortText = None


@api_method("guest", "system", "period_title")
def guest_period_title(call: Call, params: PeriodTitleParams) -> str:
    """The title of a billing period code ("-" without one)."""
    return service.period_title(params.code)


@api_method("guest", "system", "phone_codes")
def guest_phone_codes(call: Call, params: NoParams) -> list[int]:
    """International dialling codes, sorted."""
    return service.phone_codes()


class PaginatorParams(Params):
    # The current page is read from the parameter that `page_param` names, so keep every key.
    model_config = ConfigDict(extra="allow")

    page_param: Annotated[str, StringConstraints(max_length=64)] = "page"
    per_page: IntLike = None
    total: IntLike = None


@api_method("guest", "system", "paginator")
def guest_paginator(call: Call, params: PaginatorParams) -> dict[str, Any]:
    """Page links for `total` items, `per_page` on each, around the current page."""
    name = params.page_param
    raw = getattr(params, name) if name in PaginatorParams.model_fields else (params.model_extra or {}).get(name)
    try:
        page = _INT_LIKE.validate_python(raw)
    except ValidationError:
        raise ApiError(f"Invalid value for parameter '{name}': must be an integer") from None
    data = service.PaginatorInput(
        total=params.total or 0,
        per_page=20 if params.per_page is None else params.per_page,
        page=page,
    )
    return service.paginator(data)


@api_method("guest", "system", "current_url")
def guest_current_url(call: Call, params: NoParams) -> str:
    """The path (and query) of this request."""
    parts = urlsplit(call.request.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class TemplateParams(Params):
    file: ShortText = None


@api_method("guest", "system", "template_exists")
def guest_template_exists(call: Call, params: TemplateParams) -> bool:
    """Whether the client area has a template of that file name."""
    return service.template_exists(call.db, params.file)


@api_method("guest", "system", "locale")
def guest_locale(call: Call, params: NoParams) -> str:
    """The locale this visitor sees."""
    return service.active_locale(call.db, call.request.cookies.get("BBLANG"))


@api_method("guest", "system", "timezones")
def guest_timezones(call: Call, params: NoParams) -> dict[str, list[str]]:
    """Timezones grouped by region."""
    return service.timezones()


@api_method("guest", "system", "get_pending_messages")
def guest_get_pending_messages(call: Call, params: NoParams) -> list[Any]:
    """Messages kept for this browser session; reading them clears them."""
    return service.take_pending_messages(call.db, call.services.sessions, call.web_session)
