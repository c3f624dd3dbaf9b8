"""Security API methods (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints

from pybilling.api.context import Call
from pybilling.api.registry import NoParams, Params, api_method
from pybilling.modules.security import service

Short = Annotated[str, StringConstraints(max_length=255)]


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and value.strip() == "" else value


OptionalShort = Annotated[Short | None, BeforeValidator(_blank_to_none)]


class IpParams(Params):
    ip: Short


class CheckParams(Params):
    id: Short


class ListParams(Params):
    ip: OptionalShort = None
    search: OptionalShort = None


class ResetIpParams(Params):
    ip: Short
    policy: OptionalShort = None


@api_method("admin", "security", "ip_lookup", required={"ip": "You must specify an IP address to lookup."},
            permission="security.view")
def admin_ip_lookup(call: Call, params: IpParams) -> dict[str, Any]:
    """Country and network (ASN) of an IP address, from the configured lookup provider."""
    return service.ip_lookup(call.db, params.ip)


@api_method("admin", "security", "list_checks", permission="security.view")
def admin_list_checks(call: Call, params: NoParams) -> list[dict[str, str]]:
    """The security checks this install can run."""
    return service.list_checks()


@api_method("admin", "security", "run_check", required={"id": "You must specify a check ID to run."},
            permission="security.run_checks")
def admin_run_check(call: Call, params: CheckParams) -> dict[str, Any]:
    """Run one security check: `{result: passed|warning|failed, message, id}`."""
    return service.run_check(call.settings, params.id)


@api_method("admin", "security", "run_checks", permission="security.run_checks")
def admin_run_checks(call: Call, params: NoParams) -> list[dict[str, Any]]:
    """Run every security check."""
    return service.run_checks(call.settings)


@api_method("admin", "security", "rate_limit_status", permission="security.view")
def admin_rate_limit_status(call: Call, params: NoParams) -> dict[str, Any]:
    """Whether rate limiting is on."""
    return service.rate_limit_status(call.services.ratelimit)


@api_method("admin", "security", "rate_limit_get_list", permission="security.view")
def admin_rate_limit_get_list(call: Call, params: ListParams) -> list[dict[str, Any]]:
    """IP addresses that are rate limited now, per policy (filter by `ip`, or `search` IP and policy)."""
    return service.rate_limit_list(call.services.ratelimit, params.ip, params.search)


@api_method("admin", "security", "rate_limit_reset_ip", required={"ip": "You must specify an IP address to reset."},
            permission="security.manage_rate_limits")
def admin_rate_limit_reset_ip(call: Call, params: ResetIpParams) -> dict[str, Any]:
    """Clear an IP address's counters, under one policy or all."""
    return service.rate_limit_reset_ip(call.services.ratelimit, params.ip, params.policy)


@api_method("admin", "security", "rate_limit_reset_all", permission="security.manage_rate_limits")
def admin_rate_limit_reset_all(call: Call, params: NoParams) -> dict[str, Any]:
    """Clear every rate-limit counter."""
    return service.rate_limit_reset_all(call.services.ratelimit)
