"""Security rules: install checks, the rate limiter's counters per IP, IP lookups."""

from __future__ import annotations

import ipaddress
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError
from pybilling.config import Settings
from pybilling.core import module_config
from pybilling.core.ratelimit import POLICIES, RateLimitService
from pybilling.modules.security.checks import CHECKS, CheckResult
from pybilling.modules.security.iplookup import (
    NOT_CONFIGURED,
    IpLookupProvider,
    LookupFailed,
    describe,
    provider_from_config,
)

MODULE = "security"
INVALID_IP = "The provided input was not a valid IP address."


def _ip_kind(value: str) -> str | None:
    """`IPv4` / `IPv6` for an address, None for anything else."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    return "IPv4" if address.version == 4 else "IPv6"


def _valid_ip(value: str) -> str:
    if _ip_kind(value) is None:
        raise ApiError(INVALID_IP)
    return str(ipaddress.ip_address(value.strip()))


def _atom(epoch: float) -> str:
    """FOSSBilling writes these times as DATE_ATOM (`2026-11-25T12:18:27+00:00`)."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


# -- checks --------------------------------------------------------------------------------------

def list_checks() -> list[dict[str, str]]:
    return [{"id": c.id, "name": c.name, "description": c.description} for c in CHECKS.values()]


def _as_dict(result: CheckResult) -> dict[str, Any]:
    return {"result": result.result, "message": result.message}


def run_check(settings: Settings, check_id: str) -> dict[str, Any]:
    check = CHECKS.get(check_id)
    if check is None:
        raise ApiError(f"The check {check_id} does not exist.")
    return {**_as_dict(check.run(settings)), "id": check.id}


def run_checks(settings: Settings) -> list[dict[str, Any]]:
    return [{**_as_dict(c.run(settings)), "id": c.id, "name": c.name} for c in CHECKS.values()]


# -- rate limits ---------------------------------------------------------------------------------

def rate_limit_status(limiter: RateLimitService) -> dict[str, Any]:
    return {"enabled": limiter.enabled}


def rate_limit_list(
    limiter: RateLimitService, ip: str | None = None, search: str | None = None
) -> list[dict[str, Any]]:
    """Limited IP subjects, sorted by IP then policy; entries no longer limited leave the index."""
    wanted = _valid_ip(ip) if ip else None
    rows: list[dict[str, Any]] = []
    for policy, subject, last_seen in limiter.limited_subjects():
        if policy not in POLICIES:
            limiter.forget(policy, subject)
            continue
        if _ip_kind(subject) is None or (wanted is not None and subject != wanted):
            continue
        state = limiter.state(policy, subject)
        if not state.limited:
            limiter.forget(policy, subject)
            continue
        rows.append({
            "policy": policy,
            "ip": subject,
            "last_seen": _atom(last_seen),
            "limit": state.limit,
            "remaining": state.remaining,
            "limited": True,
            "retry_after": _atom(state.reset_at),
            "retry_after_seconds": max(0, int(state.reset_at - time.time()) + 1),
        })
    if search:
        needle = search.lower()
        rows = [r for r in rows if needle in r["ip"].lower() or needle in r["policy"].lower()]
    rows.sort(key=lambda r: (r["ip"], r["policy"]))
    return rows


def rate_limit_reset_ip(limiter: RateLimitService, ip: str, policy: str | None = None) -> dict[str, Any]:
    address = _valid_ip(ip)
    if policy is not None and policy not in POLICIES:
        raise ApiError(f"Rate limiter policy {policy} is not defined or invalid")
    removed = limiter.reset_subject(address, policy)
    return {"ip": address, "policy": policy, "removed": removed}


def rate_limit_reset_all(limiter: RateLimitService) -> dict[str, Any]:
    limiter.reset_all()
    return {"cleared": True}


# -- IP lookup -----------------------------------------------------------------------------------

def ip_lookup(db: Session, ip: str, provider: IpLookupProvider | None = None) -> dict[str, Any]:
    kind = _ip_kind(ip)
    if kind is None:
        raise ApiError(INVALID_IP)
    address = str(ipaddress.ip_address(ip.strip()))
    if provider is None:
        provider = provider_from_config(module_config.get_config(db, MODULE))
    if provider is None:
        raise ApiError(NOT_CONFIGURED)
    try:
        record = provider.lookup(address)
    except LookupFailed as exc:
        raise ApiError(f"IP lookup failed: {exc}") from exc
    return describe(address, kind, record)
