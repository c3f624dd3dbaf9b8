"""Cron rules: run the due jobs (each in its own transaction), the guest hash, the last run.

The jobs run in sessions of their own from the app's session factory, never in the API call's
transaction: a job's work is committed when the job ends, whatever happens to the call.
The guest cron hash is stored only as a SHA-256 digest; `regenerate_cron_hash` shows the new one once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from pybilling.api.errors import ApiError
from pybilling.core import cron as core_cron
from pybilling.core import module_config, settings_store
from pybilling.core.clock import utcnow
from pybilling.core.cron import CronJobState, CronRun, RunResult, cron_job
from pybilling.core.events import events
from pybilling.core.timefmt import format_datetime

MODULE = "cron"
EXTENSION = "mod_cron"
LAST_EXEC = "last_cron_exec"
STORED_FORMAT = "%Y-%m-%d %H:%M:%S"  # UTC, in the setting `last_cron_exec`
GUEST_MIN_INTERVAL = timedelta(minutes=1)
MIN_HASH_LENGTH = 32
RUN_LOG_DAYS = 30
DIGEST_KEY = "cron_hash_sha256"
LEGACY_HASH_KEY = "cron_hash"  # a plain hash, as FOSSBilling stores it (imports, extension/config_save)

NO_PERMISSION = "You do not have permission to perform this action"
NO_HASH = "Guest cron is enabled but no security hash has been configured"


# -- the last run --------------------------------------------------------------------------------

def last_execution(db: Session) -> datetime | None:
    raw = settings_store.get_param(db, LAST_EXEC)
    if not raw:
        return None
    try:
        return datetime.strptime(raw.strip(), STORED_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def _store_last_execution(db: Session, when: datetime) -> None:
    settings_store.set_param(db, LAST_EXEC, when.astimezone(UTC).strftime(STORED_FORMAT))


def cron_command() -> tuple[str, str]:
    """The installed `pybilling` entry point and the command line a system cron should run."""
    executable = Path(sys.executable).parent / "pybilling"
    return str(executable), f"{executable} cron"


def _latest_runs(db: Session) -> dict[str, CronRun]:
    latest = select(func.max(CronRun.id)).group_by(CronRun.job).scalar_subquery()
    return {row.job: row for row in db.scalars(select(CronRun).where(CronRun.id.in_(latest)))}


def cron_info(db: Session) -> dict[str, Any]:
    path, command = cron_command()
    states = {row.name: row for row in db.scalars(select(CronJobState))}
    runs = _latest_runs(db)
    job_list = []
    for job in core_cron.jobs():
        state = states.get(job.name)
        run = runs.get(job.name)
        job_list.append({
            "name": job.name,
            "interval": int(job.every.total_seconds()),
            "last_run_at": format_datetime(state.last_run_at) if state else None,
            "last_status": run.status if run else None,
            "last_message": run.message if run else None,
        })
    return {
        "cron_path": path,
        "cron_command": command,
        "last_cron_exec": format_datetime(last_execution(db)),
        "jobs": job_list,
    }


@cron_job("cron_runs_purge", every=timedelta(days=1))
def purge_run_log(db: Session, now: datetime) -> str:
    """Keep the run log of the last RUN_LOG_DAYS days."""
    result = db.execute(delete(CronRun).where(CronRun.started_at < now - timedelta(days=RUN_LOG_DAYS)))
    return f"{getattr(result, 'rowcount', 0)} old run(s) removed"


# -- running -------------------------------------------------------------------------------------

def run_crons(factory: sessionmaker[Session], *, force: bool = False) -> list[RunResult]:
    """onBeforeAdminCronRun, every due job in its own transaction, `last_cron_exec`, onAfterAdminCronRun."""
    with factory() as db, db.begin():
        events.fire(db, "onBeforeAdminCronRun")
    results = core_cron.run_due(factory, force=force)
    with factory() as db, db.begin():
        _store_last_execution(db, utcnow())
        events.fire(db, "onAfterAdminCronRun")
    return results


def guest_run(db: Session, factory: sessionmaker[Session], provided: Any) -> bool:
    """The guest cron URL: on only when enabled and given the right hash; at most once a minute."""
    config = module_config.get_config(db, MODULE)
    if not _truthy(config.get("guest_cron")):
        raise ApiError(NO_PERMISSION, 403)
    digest = config.get(DIGEST_KEY) or ""
    legacy = config.get(LEGACY_HASH_KEY) or ""
    if not digest and not legacy:
        raise ApiError(NO_HASH, 403)
    if not isinstance(provided, str) or not provided or not _hash_matches(provided, digest, legacy):
        raise ApiError(NO_PERMISSION, 403)
    last = last_execution(db)
    if last is not None and last >= utcnow() - GUEST_MIN_INTERVAL:
        return False
    run_crons(factory)
    return True


# -- settings and the hash -----------------------------------------------------------------------

def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _hash_matches(provided: str, digest: Any, legacy: Any) -> bool:
    if isinstance(digest, str) and digest:
        return hmac.compare_digest(_digest(provided), digest)
    return isinstance(legacy, str) and hmac.compare_digest(provided.encode(), legacy.encode())


def _save(db: Session, config: dict[str, Any]) -> None:
    events.fire(db, "onBeforeAdminExtensionConfigSave", ext=EXTENSION, guest_cron=config.get("guest_cron"))
    module_config.save_config(db, MODULE, config)
    events.fire(db, "onAfterAdminExtensionConfigSave", ext=EXTENSION, guest_cron=config.get("guest_cron"))


def save_settings(db: Session, *, guest_cron: bool, cron_hash: str | None) -> bool:
    """Turn the guest cron on or off. On: keep the hash, or take the one given, or make a new one.

    A made hash is never shown; `regenerate_cron_hash` replaces it with one that is shown once.
    Off: the hash is cleared, so turning it on again never revives an old URL.
    """
    config = module_config.get_config(db, MODULE)
    if guest_cron:
        if cron_hash:
            if len(cron_hash) < MIN_HASH_LENGTH:
                raise ApiError(f"The cron hash must be at least {MIN_HASH_LENGTH} characters long")
            config.pop(LEGACY_HASH_KEY, None)
            config[DIGEST_KEY] = _digest(cron_hash)
        elif not (config.get(DIGEST_KEY) or config.get(LEGACY_HASH_KEY)):
            config[DIGEST_KEY] = _digest(secrets.token_hex(32))
    else:
        config.pop(DIGEST_KEY, None)
        config.pop(LEGACY_HASH_KEY, None)
    config["guest_cron"] = guest_cron
    _save(db, config)
    return True


def regenerate_hash(db: Session) -> str:
    """A new guest cron hash, replacing any other; the only time it is shown."""
    token = secrets.token_hex(32)
    config = module_config.get_config(db, MODULE)
    config.pop(LEGACY_HASH_KEY, None)
    config[DIGEST_KEY] = _digest(token)
    _save(db, config)
    return token
