"""admin/security/rate_limit_*: a really limited IP shows in the list, and a reset frees it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from pybilling.api.context import AppServices
from tests.helpers import Caller

LIMITED_IP = "203.0.113.9"
OTHER_IP = "198.51.100.20"
INVALID_IP = "The provided input was not a valid IP address."


def _login(http: TestClient) -> int:
    r = http.post("/api/guest/staff/login", json={"email": "nobody@example.com", "password": "wrong-pass"})
    return int(r.status_code)


def _exhaust_logins(http: TestClient) -> None:
    for attempt in range(10):
        assert _login(http) != 429, attempt
    assert _login(http) == 429


def test_status_says_whether_limiting_is_on(admin: Any, admin_on: Callable[..., Caller]) -> None:
    assert admin.api("security/rate_limit_status").ok() == {"enabled": True}
    assert admin_on(rate_limit_enabled=False)("security/rate_limit_status").ok() == {"enabled": False}


def test_nothing_is_listed_when_nobody_is_limited(admin: Any) -> None:
    assert admin.api("security/rate_limit_get_list").ok() == []
    assert admin.api.get("security/rate_limit_get_list", ip="127.0.0.1").ok() == []


def test_a_limited_ip_is_listed_then_reset_and_gone(admin: Any, from_ip: Callable[[str], TestClient]) -> None:
    limited = from_ip(LIMITED_IP)
    _exhaust_logins(limited)
    rows = admin.api("security/rate_limit_get_list").ok()
    assert len(rows) == 1
    row = rows[0]
    assert {k: row[k] for k in ("policy", "ip", "limit", "remaining", "limited")} == {
        "policy": "api_login", "ip": LIMITED_IP, "limit": 10, "remaining": 0, "limited": True,
    }
    assert 0 < row["retry_after_seconds"] <= 3601
    assert row["retry_after"].endswith("+00:00")
    assert "T" in row["retry_after"]
    assert row["last_seen"].endswith("+00:00")

    assert admin.api("security/rate_limit_reset_ip", ip=LIMITED_IP).ok() == {
        "ip": LIMITED_IP, "policy": None, "removed": 1,
    }
    assert admin.api("security/rate_limit_get_list").ok() == []
    assert _login(limited) != 429


def test_the_list_filters_by_ip_and_search(admin: Any, from_ip: Callable[[str], TestClient]) -> None:
    _exhaust_logins(from_ip(LIMITED_IP))
    _exhaust_logins(from_ip(OTHER_IP))
    listed = admin.api("security/rate_limit_get_list").ok()
    assert [r["ip"] for r in listed] == [OTHER_IP, LIMITED_IP]  # sorted by IP, as strings
    assert [r["ip"] for r in admin.api("security/rate_limit_get_list", ip=LIMITED_IP).ok()] == [LIMITED_IP]
    assert [r["ip"] for r in admin.api("security/rate_limit_get_list", search="198.51").ok()] == [OTHER_IP]
    assert len(admin.api("security/rate_limit_get_list", search="API_LOGIN").ok()) == 2
    assert admin.api("security/rate_limit_get_list", search="signup").ok() == []


def test_only_ip_subjects_are_listed(admin: Any, services: AppServices) -> None:
    for _ in range(4):
        services.ratelimit.consume("client_password_reset_email", "someone@example.com")
    assert ("client_password_reset_email", "someone@example.com") in {
        (p, s) for p, s, _ in services.ratelimit.limited_subjects()
    }
    assert admin.api("security/rate_limit_get_list").ok() == []


def test_reset_of_another_policy_leaves_the_limit(admin: Any, from_ip: Callable[[str], TestClient]) -> None:
    limited = from_ip(LIMITED_IP)
    _exhaust_logins(limited)
    assert admin.api("security/rate_limit_reset_ip", ip=LIMITED_IP, policy="api_guest").ok() == {
        "ip": LIMITED_IP, "policy": "api_guest", "removed": 0,
    }
    assert _login(limited) == 429
    assert admin.api("security/rate_limit_reset_ip", ip=LIMITED_IP, policy="api_login").ok()["removed"] == 1
    assert _login(limited) != 429


def test_reset_all_clears_every_counter(
    admin: Any, services: AppServices, from_ip: Callable[[str], TestClient]
) -> None:
    first, second = from_ip(LIMITED_IP), from_ip(OTHER_IP)
    _exhaust_logins(first)
    _exhaust_logins(second)
    for _ in range(4):
        services.ratelimit.consume("client_password_reset_email", "someone@example.com")
    assert admin.api("security/rate_limit_reset_all").ok() == {"cleared": True}
    assert admin.api("security/rate_limit_get_list").ok() == []
    assert services.ratelimit.limited_subjects() == []
    assert _login(first) != 429
    assert _login(second) != 429
    assert services.ratelimit.consume("client_password_reset_email", "someone@example.com")


@pytest.mark.parametrize("ip", ["not-an-ip", "999.1.1.1", "10.0.0.1/24"])
def test_invalid_ips_are_refused(admin: Any, ip: str) -> None:
    admin.api("security/rate_limit_get_list", ip=ip).fails(INVALID_IP)
    admin.api("security/rate_limit_reset_ip", ip=ip).fails(INVALID_IP)


def test_reset_ip_needs_an_ip_and_a_known_policy(admin: Any) -> None:
    admin.api("security/rate_limit_reset_ip").fails("You must specify an IP address to reset.")
    admin.api("security/rate_limit_reset_ip", ip="").fails("You must specify an IP address to reset.")
    admin.api("security/rate_limit_reset_ip", ip=LIMITED_IP, policy="nope").fails(
        "Rate limiter policy nope is not defined or invalid"
    )
    admin.api("security/rate_limit_reset_ip", ip=[LIMITED_IP]).fails(
        "Invalid value for parameter 'ip': must be a valid string"
    )


@pytest.mark.parametrize(
    ("action", "permission", "params"),
    [
        ("rate_limit_status", "security.view", {}),
        ("rate_limit_get_list", "security.view", {}),
        ("rate_limit_reset_ip", "security.manage_rate_limits", {"ip": LIMITED_IP}),
        ("rate_limit_reset_all", "security.manage_rate_limits", {}),
    ],
)
def test_rate_limit_methods_need_their_permission(
    staff_with: Callable[..., Any], action: str, permission: str, params: dict[str, Any]
) -> None:
    other = "run_checks"
    staff_with(other).api(f"security/{action}", **params).fails(
        f'You need the "{permission}" permission to perform this action', code=403, status=403
    )
    staff_with(permission.split(".")[1]).api(f"security/{action}", **params).ok()
