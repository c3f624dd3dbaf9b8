"""Checks of how this install is set up: each gives `passed`, `warning` or `failed` and a message.

The result values are FOSSBilling's (`SecurityCheckResultEnum`): passed, warning, failed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

from pybilling.config import LOOPBACK_HOSTS, Settings

Status = Literal["passed", "warning", "failed"]
PASSED: Status = "passed"
WARNING: Status = "warning"
FAILED: Status = "failed"
_RANK = {PASSED: 0, WARNING: 1, FAILED: 2}

MIN_SECRET_LENGTH = 32
KNOWN_SECRETS = frozenset({"changeme", "change-me", "change_me", "secret", "secret-key", "pybilling", "password"})


@dataclass(frozen=True)
class CheckResult:
    result: Status
    message: str


@dataclass(frozen=True)
class SecurityCheck:
    id: str
    name: str
    description: str
    run: Callable[[Settings], CheckResult]


class _Findings:
    """Collects the problems one check finds; the worst status wins."""

    def __init__(self) -> None:
        self.status: Status = PASSED
        self.lines: list[str] = []

    def add(self, status: Status, line: str) -> None:
        if _RANK[status] > _RANK[self.status]:
            self.status = status
        self.lines.append(f"- {status.capitalize()}: {line}")

    def result(self, ok_message: str) -> CheckResult:
        if not self.lines:
            return CheckResult(PASSED, ok_message)
        return CheckResult(self.status, "\n".join(self.lines))


def _secret_key(settings: Settings) -> CheckResult:
    found = _Findings()
    if settings.secret_key:
        key = settings.secret_key.strip()
        if key.lower() in KNOWN_SECRETS:
            found.add(FAILED, "The secret key is a well-known default value; set a random PYBILLING_SECRET_KEY.")
        elif len(key) < MIN_SECRET_LENGTH:
            found.add(FAILED, f"The secret key is shorter than {MIN_SECRET_LENGTH} characters.")
    elif settings.secret_key_file.exists():
        found.add(WARNING, f"The secret key is read from {settings.secret_key_file}, beside the database; "
                           "set PYBILLING_SECRET_KEY in the environment instead.")
    else:
        found.add(FAILED, "No secret key is configured.")
    if settings.old_secret_keys:
        found.add(WARNING, "Old secret keys are still accepted (PYBILLING_SECRET_KEY_OLD); "
                           "remove them once the rotation is over.")
    return found.result("The secret key is set in the environment.")


def _debug(settings: Settings) -> CheckResult:
    if settings.debug:
        return CheckResult(WARNING, "Debug mode is enabled for your PyBilling installation.")
    return CheckResult(PASSED, "Debug mode is off.")


def _https(settings: Settings) -> CheckResult:
    parts = urlsplit(settings.base_url)
    if parts.scheme == "https":
        return CheckResult(PASSED, "The base URL uses HTTPS.")
    if (parts.hostname or "") in LOOPBACK_HOSTS:
        return CheckResult(WARNING, f"The base URL {settings.base_url} is not HTTPS (acceptable on a loopback "
                                    "address only).")
    return CheckResult(FAILED, f"HTTPS is not enforced: the base URL {settings.base_url} is not HTTPS.")


def _mode_problems(path: Path, what: str, found: _Findings, *, group_is_warning: bool) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if mode & stat.S_IWOTH:
        found.add(FAILED, f"The {what} {path} is world-writable.")
    if mode & stat.S_IROTH:
        found.add(FAILED, f"The {what} {path} is world-readable.")
    if group_is_warning and mode & (stat.S_IRGRP | stat.S_IWGRP):
        found.add(WARNING, f"The {what} {path} is readable or writable by its group.")


def _sqlite_file(settings: Settings) -> Path | None:
    try:
        url = make_url(settings.resolved_database_url)
    except Exception:  # noqa: BLE001 - a URL we cannot read names no file to check
        return None
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _file_permissions(settings: Settings) -> CheckResult:
    if os.name == "nt":
        return CheckResult(PASSED, "File permissions are not checked on Windows.")
    found = _Findings()
    _mode_problems(settings.data_dir, "data directory", found, group_is_warning=False)
    _mode_problems(settings.secret_key_file, "secret key file", found, group_is_warning=True)
    database = _sqlite_file(settings)
    if database is not None:
        _mode_problems(database, "database file", found, group_is_warning=True)
    return found.result("The data directory and the secret key file are readable by their owner only.")


def _rate_limiter(settings: Settings) -> CheckResult:
    if not settings.rate_limit_enabled:
        return CheckResult(WARNING, "Rate limiting is disabled.")
    return CheckResult(PASSED, "Rate limiting is enabled.")


def _csrf(settings: Settings) -> CheckResult:
    if not settings.csrf_enabled:
        return CheckResult(WARNING, "CSRF prevention is not enabled for the API.")
    return CheckResult(PASSED, "CSRF prevention is enabled for the API.")


def _proxies(settings: Settings) -> CheckResult:
    if any(net.prefixlen == 0 for net in settings.trusted_proxy_networks):
        return CheckResult(FAILED, "Every address is trusted as a proxy, so any client can forge its IP address "
                                   "with X-Forwarded-For.")
    return CheckResult(PASSED, "No issues with the trusted proxies.")


CHECKS: dict[str, SecurityCheck] = {
    check.id: check
    for check in (
        SecurityCheck("secretKey", "Secret Key Check",
                      "Checks that the secret key comes from the environment and is not a weak or default value.",
                      _secret_key),
        SecurityCheck("debugMode", "Debug Mode Check", "Checks that debug mode is off.", _debug),
        SecurityCheck("https", "HTTPS Check", "Checks that the installation is served over HTTPS.", _https),
        SecurityCheck("filePermissions", "File Permissions Check",
                      "Checks that the data directory, the database file and the secret key file are not "
                      "readable or writable by other users.", _file_permissions),
        SecurityCheck("rateLimiter", "Rate Limiting Check", "Checks that rate limiting is enabled.", _rate_limiter),
        SecurityCheck("csrf", "CSRF Protection Check", "Checks that CSRF prevention is enabled for the API.", _csrf),
        SecurityCheck("trustedProxies", "Trusted Proxies Check",
                      "Checks that only known proxies may set the client's IP address.", _proxies),
    )
}
