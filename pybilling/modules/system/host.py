"""The running install: environment facts, the host's addresses, updates, and the admin dashboard messages.

FOSSBilling updates itself from the network; PyBilling is updated through its package and
`pybilling init`, so the update methods report this version and make no network call.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import platform
import re
import socket
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.orm import Session

from pybilling import __version__
from pybilling.api.errors import ApiError
from pybilling.core import settings_store
from pybilling.db.migrate import MIGRATIONS
from pybilling.modules.system.params import CUSTOM_INTERFACE_IP, INTERFACE_IP

MIN_PYTHON = (3, 11)
UPDATE_HOWTO = (
    "PyBilling is updated through its package: install the new version of the pybilling package, "
    "then run `pybilling init` to apply the database changes."
)
# import name → what it is for (the env report's "extensions")
_REQUIRED = ("sqlalchemy", "alembic", "pydantic", "starlette", "orjson", "jinja2", "babel", "bcrypt", "argon2")
_SUGGESTED = {
    "psycopg": "PostgreSQL support",
    "pymysql": "MariaDB / MySQL support",
    "redis": "shared sessions, rate limits and cache across several processes",
}
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*$")


# -- environment ------------------------------------------------------------------------------
def _loaded(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def _database(db: Session) -> dict[str, str]:
    dialect = db.get_bind().dialect
    if dialect.name == "sqlite":
        version = sqlite3.sqlite_version
    else:
        info = dialect.server_version_info or ()
        version = ".".join(str(part) for part in info)
    return {"dialect": dialect.name, "version": version}


def environment(db: Session) -> dict[str, Any]:
    """What runs this install: Python, packages, database, OS. No paths, host names or secrets."""
    python_ok = sys.version_info[:2] >= MIN_PYTHON
    required = {name: _loaded(name) for name in _REQUIRED}
    return {
        "folders": {},
        "files": {},
        "required_extensions": required,
        "suggested_extensions": {
            name: {"loaded": _loaded(name), "message": message} for name, message in _SUGGESTED.items()
        },
        "python_version": {
            "isOk": python_ok,
            "version": platform.python_version(),
            "min_version": ".".join(str(part) for part in MIN_PYTHON),
        },
        "pybilling_version": __version__,
        "database": _database(db),
        "os": {"system": platform.system(), "release": platform.release(), "machine": platform.machine()},
        "can_install": python_ok and all(required.values()),
        "last_patch": settings_store.get_param(db, "last_patch"),
    }


# -- network interfaces -----------------------------------------------------------------------
def interface_ips() -> list[str]:
    """The host's own addresses (its name resolved, plus loopback), IPv4 first."""
    found = {ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")}
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None)
    except OSError:
        infos = []
    for family, _, _, _, sockaddr in infos:
        if family in (socket.AF_INET, socket.AF_INET6):
            try:
                found.add(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]))
            except ValueError:
                continue
    return [str(ip) for ip in sorted(found, key=lambda ip: (ip.version, ip))]


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def set_interface(db: Session, interface: str | None, custom: str | None) -> bool:
    """`interface`: one of the host's addresses, or "0" for the default; `custom`: any IP or host name."""
    changes: dict[str, str] = {}
    if interface is not None:
        if interface != "0":
            if not _is_ip(interface):
                raise ApiError("Invalid interface IP address")
            interface = str(ipaddress.ip_address(interface))
            if interface not in interface_ips():
                raise ApiError("Invalid interface IP address")
        changes[INTERFACE_IP] = interface
    if custom is not None:
        if custom != "" and not (_is_ip(custom) or _HOSTNAME.fullmatch(custom)):
            raise ApiError("Invalid custom interface. Must be a valid IP address or hostname.")
        changes[CUSTOM_INTERFACE_IP] = custom
    for param, value in changes.items():
        settings_store.set_param(db, param, value)
    return True


# -- updates ----------------------------------------------------------------------------------
@cache
def _migration_heads() -> frozenset[str]:
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def pending_patches(db: Session) -> int:
    """Migrations not yet applied to this database; 0 when it carries no migration record."""
    current = MigrationContext.configure(db.connection()).get_current_heads()
    if not current:
        return 0
    heads = _migration_heads()
    if set(current) == heads:
        return 0
    script = ScriptDirectory(str(MIGRATIONS))
    return sum(1 for _ in script.iterate_revisions(tuple(heads), tuple(current))) or 1


def update_info() -> dict[str, Any]:
    return {
        "version": __version__,
        "current_version": __version__,
        "update_available": False,
        "release_date": None,
        "changelog": None,
        "download_url": None,
        "instructions": UPDATE_HOWTO,
        "minimum_python_version": ".".join(str(part) for part in MIN_PYTHON),
        "current_python_version": platform.python_version(),
        "python_version_supported": sys.version_info[:2] >= MIN_PYTHON,
    }


def finalization_status(db: Session) -> dict[str, Any]:
    """No self-update ever waits for finalization: the answer always says complete."""
    return {
        "required": False,
        "status": "complete",
        "current_version": __version__,
        "state": {
            "status": "complete",
            "version": __version__,
            "from_version": None,
            "target_version": __version__,
            "finalized_at": None,
            "completed_at": None,
        },
        "pending_patches": pending_patches(db),
    }


def refuse_self_update() -> None:
    raise ApiError(UPDATE_HOWTO)


# -- dashboard messages -----------------------------------------------------------------------
_TITLES = {"danger": "Danger!", "warning": "Warning", "info": "Information", "success": "Success"}
_CRON_FORMAT = "%Y-%m-%d %H:%M:%S"  # UTC, as the cron module stores `last_cron_exec`


def _alert(kind: str, message: str, title: str | None = None) -> dict[str, Any]:
    return {"type": kind, "title": title or _TITLES[kind], "message": message, "buttons": [], "dismissible": True}


def _last_cron_run(db: Session) -> datetime | None:
    raw = settings_store.get_param(db, "last_cron_exec")
    if not raw:
        return None
    try:
        return datetime.strptime(raw.strip(), _CRON_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def messages(db: Session, kind: str | None, *, production: bool, now: datetime) -> list[dict[str, Any]]:
    """What the admin dashboard should warn about; `kind` keeps only alerts of that type."""
    found: list[dict[str, Any]] = []
    if pending_patches(db):
        found.append(_alert(
            "warning",
            "Your PyBilling database is behind on database patches. Run `pybilling init` to apply them.",
            "Database Patches Pending",
        ))
    if production:
        last = _last_cron_run(db)
        if last is None:
            found.append(_alert(
                "danger",
                "Cron was never executed, please ensure you have configured the cronjob or else scheduled tasks "
                "within PyBilling will not behave correctly.",
            ))
        elif now - last >= timedelta(minutes=15):
            found.append(_alert(
                "danger",
                "PyBilling has detected that cron hasn't been run in an abnormal time period. Please ensure the "
                "cronjob is configured to be run every 5 minutes.",
            ))
    if not kind:
        return found
    return [alert for alert in found if alert["type"] == kind]
