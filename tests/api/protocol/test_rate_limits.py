"""Rate limits at the protocol level: logins 10/hour per IP, guests 100/minute, whitelist, off switch."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

LIMITED = {"message": "Rate limit exceeded. Please try again later.", "code": 429}


def _login(http: TestClient, module: str = "client") -> object:
    return http.post(f"/api/guest/{module}/login", json={"email": "nobody@example.com", "password": "wrong-pass"})


@pytest.mark.parametrize("module", ["client", "staff"])
def test_eleventh_login_attempt_in_an_hour_is_429_with_retry_after(http: TestClient, module: str) -> None:
    for attempt in range(10):
        r = _login(http, module)
        assert r.status_code != 429, attempt  # type: ignore[attr-defined]
    r = _login(http, module)
    assert r.status_code == 429  # type: ignore[attr-defined]
    assert r.json() == {"result": None, "error": LIMITED}  # type: ignore[attr-defined]
    retry_after = int(r.headers["retry-after"])  # type: ignore[attr-defined]
    assert 0 < retry_after <= 3600


def test_staff_and_client_logins_share_the_per_ip_login_limit(http: TestClient) -> None:
    for _ in range(5):
        assert _login(http, "client").status_code != 429  # type: ignore[attr-defined]
        assert _login(http, "staff").status_code != 429  # type: ignore[attr-defined]
    assert _login(http, "client").status_code == 429  # type: ignore[attr-defined]


def test_login_attempts_do_not_use_the_guest_budget(http: TestClient) -> None:
    for _ in range(11):
        _login(http)
    assert http.get("/api/guest/system/version").json()["error"] is None


def test_guest_calls_are_limited_to_100_a_minute(http: TestClient) -> None:
    for call in range(100):
        r = http.get("/api/guest/system/version")
        assert r.status_code == 200, call
    r = http.get("/api/guest/system/version")
    assert r.status_code == 429
    assert r.json() == {"result": None, "error": LIMITED}
    assert 0 < int(r.headers["retry-after"]) <= 60


def test_whitelisted_ips_are_not_limited(make_app: Callable[..., TestClient]) -> None:
    http = make_app(rate_limit_whitelist="10.0.0.1, testclient")  # TestClient's peer address is "testclient"
    for _ in range(12):
        assert _login(http).status_code != 429  # type: ignore[attr-defined]


def test_rate_limits_can_be_switched_off(make_app: Callable[..., TestClient]) -> None:
    http = make_app(rate_limit_enabled=False)
    for _ in range(12):
        assert _login(http).status_code != 429  # type: ignore[attr-defined]


def test_a_whitelist_of_other_ips_still_limits(make_app: Callable[..., TestClient]) -> None:
    http = make_app(rate_limit_whitelist="10.0.0.1")
    for _ in range(10):
        _login(http)
    assert _login(http).status_code == 429  # type: ignore[attr-defined]
