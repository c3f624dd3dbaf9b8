"""admin/security/list_checks, run_check, run_checks: an insecure setting is flagged."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TEST_SECRET
from tests.helpers import Caller

CHECK_IDS = ["secretKey", "debugMode", "https", "filePermissions", "rateLimiter", "csrf", "trustedProxies"]
posix_only = pytest.mark.skipif(os.name == "nt", reason="file modes are POSIX")


def _results(caller: Caller) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in caller("security/run_checks").ok()}


def test_list_checks(admin: Any) -> None:
    checks = admin.api("security/list_checks").ok()
    assert [c["id"] for c in checks] == CHECK_IDS
    for check in checks:
        assert set(check) == {"id", "name", "description"}
        assert check["name"].endswith("Check")
        assert check["description"]


@posix_only
def test_a_safe_setup_passes(admin_on: Callable[..., Caller], tmp_path: Path) -> None:
    data = tmp_path / "safe"
    data.mkdir(mode=0o700)
    data.chmod(0o700)
    caller = admin_on(data, base_url="https://billing.example.com/")
    results = caller("security/run_checks").ok()
    assert [r["id"] for r in results] == CHECK_IDS
    for result in results:
        assert set(result) == {"result", "message", "id", "name"}
        assert result["result"] == "passed", result
    assert results[0]["message"] == "The secret key is set in the environment."


def test_insecure_settings_are_flagged(admin_on: Callable[..., Caller]) -> None:
    caller = admin_on(debug=True, csrf_enabled=False, rate_limit_enabled=False,
                      base_url="http://billing.example.com/", trusted_proxies="0.0.0.0/0")
    results = _results(caller)
    assert results["debugMode"]["result"] == "warning"
    assert results["debugMode"]["message"] == "Debug mode is enabled for your PyBilling installation."
    assert results["csrf"] == {"result": "warning", "message": "CSRF prevention is not enabled for the API.",
                               "id": "csrf", "name": "CSRF Protection Check"}
    assert results["rateLimiter"]["result"] == "warning"
    assert results["rateLimiter"]["message"] == "Rate limiting is disabled."
    assert results["https"]["result"] == "failed"
    assert "http://billing.example.com/" in results["https"]["message"]
    assert results["trustedProxies"]["result"] == "failed"


def test_http_on_loopback_is_only_a_warning(admin: Any) -> None:
    result = admin.api("security/run_check", id="https").ok()
    assert result["result"] == "warning"
    assert set(result) == {"result", "message", "id"}
    assert result["id"] == "https"


def test_a_secret_key_read_from_the_data_directory_is_a_warning(
    admin_on: Callable[..., Caller], tmp_path: Path
) -> None:
    data = tmp_path / "generated"
    data.mkdir()
    (data / "secret_key").write_text("a-generated-key-that-sits-beside-the-database-0123456789")
    # The old key lets the admin's existing API key still verify.
    caller = admin_on(data, secret_key="", secret_key_old=TEST_SECRET)
    result = caller("security/run_check", id="secretKey").ok()
    assert result["result"] == "warning"
    assert f"The secret key is read from {data / 'secret_key'}" in result["message"]


@pytest.mark.parametrize(("key", "message"), [
    ("changeme", "- Failed: The secret key is a well-known default value; set a random PYBILLING_SECRET_KEY."),
    ("short-key-123", "- Failed: The secret key is shorter than 32 characters."),
])
def test_a_weak_secret_key_fails(admin_on: Callable[..., Caller], key: str, message: str) -> None:
    caller = admin_on(secret_key=key, secret_key_old=TEST_SECRET)
    result = caller("security/run_check", id="secretKey").ok()
    assert result["result"] == "failed"
    assert result["message"].splitlines()[0] == message


@posix_only
def test_world_readable_files_fail(admin_on: Callable[..., Caller], tmp_path: Path) -> None:
    data = tmp_path / "open"
    data.mkdir()
    data.chmod(0o755)
    key_file = data / "secret_key"
    key_file.write_text("x" * 40)
    key_file.chmod(0o644)
    result = admin_on(data)("security/run_check", id="filePermissions").ok()
    assert result["result"] == "failed"
    assert f"- Failed: The data directory {data} is world-readable." in result["message"].splitlines()
    assert f"- Failed: The secret key file {key_file} is world-readable." in result["message"].splitlines()
    data.chmod(0o700)
    key_file.chmod(0o640)
    result = admin_on(data)("security/run_check", id="filePermissions").ok()
    assert result["result"] == "warning"
    assert result["message"] == f"- Warning: The secret key file {key_file} is readable or writable by its group."


def test_run_check_errors(admin: Any) -> None:
    admin.api("security/run_check").fails("You must specify a check ID to run.")
    admin.api("security/run_check", id="phpVersion").fails("The check phpVersion does not exist.")
    admin.api("security/run_check", id={"a": 1}).fails("Invalid value for parameter 'id': must be a valid string")


@pytest.mark.parametrize(
    ("action", "permission", "params"),
    [
        ("list_checks", "security.view", {}),
        ("run_check", "security.run_checks", {"id": "csrf"}),
        ("run_checks", "security.run_checks", {}),
    ],
)
def test_check_methods_need_their_permission(
    staff_with: Callable[..., Any], action: str, permission: str, params: dict[str, Any]
) -> None:
    other = "manage_rate_limits"
    staff_with(other).api(f"security/{action}", **params).fails(
        f'You need the "{permission}" permission to perform this action', code=403, status=403
    )
    staff_with(permission.split(".")[1]).api(f"security/{action}", **params).ok()


def test_staff_without_module_access_is_refused(staff_with: Callable[..., Any]) -> None:
    staff_with(access=False).api("security/list_checks").fails(
        "You do not have access to the security module", code=725
    )


def test_clients_and_guests_have_no_security_methods(make_client: Any, guest: Caller) -> None:
    make_client().api("security/run_checks").fails(
        "Client API call run_checks does not exist in module security", code=740, status=404
    )
    guest("security/rate_limit_status").fails(
        "Guest API call rate_limit_status does not exist in module security", code=740, status=404
    )
