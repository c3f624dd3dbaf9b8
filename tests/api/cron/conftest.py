"""Fixtures of the cron tests: a job that records its runs, event capture, partial staff, module config."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from pybilling.core import cron, module_config
from pybilling.core.events import Event, events

JOB = "zz_test_job"


@pytest.fixture
def job_runs() -> Iterator[list[datetime]]:
    """Registers the job `zz_test_job` (every 10 minutes); the list holds the times it ran at."""
    runs: list[datetime] = []
    saved = dict(cron._jobs)

    @cron.cron_job(JOB, every=timedelta(minutes=10))
    def job(db: Session, now: datetime) -> str:
        runs.append(now)
        return f"run {len(runs)}"

    yield runs
    cron._jobs.clear()
    cron._jobs.update(saved)


@pytest.fixture
def fired() -> Iterator[list[str]]:
    """The names of the cron and config-save events fired during the test, in order."""
    names: list[str] = []
    watched = ("onBeforeAdminCronRun", "onAfterAdminCronRun",
               "onBeforeAdminExtensionConfigSave", "onAfterAdminExtensionConfigSave")

    def listener(event: Event) -> None:
        names.append(event.name)

    for name in watched:
        events.on(name)(listener)
    yield names
    for name in watched:
        events.off(listener, name)


@pytest.fixture
def cron_config(db: Session) -> Callable[..., dict[str, Any]]:
    """`cron_config()` reads the stored cron configuration; `cron_config(guest_cron=True, …)` replaces it."""

    def access(**config: Any) -> dict[str, Any]:
        db.expire_all()
        with db.begin():
            if config:
                module_config.save_config(db, "cron", config)
            return module_config.get_config(db, "cron")

    return access


@pytest.fixture
def staff_with(make_staff: Any) -> Callable[..., Any]:
    """`staff_with("view")` → a staff member with cron access and only these keys; no args: no access."""

    def make(*keys: str, access: bool = True) -> Any:
        return make_staff(permissions={"cron": {"access": True, **dict.fromkeys(keys, True)}} if access else {})

    return make
