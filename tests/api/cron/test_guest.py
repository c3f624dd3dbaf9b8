"""guest/cron/run: off by default, needs the secret hash, at most once a minute."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from pybilling.core import settings_store
from pybilling.core.clock import frozen_clock
from tests.helpers import Caller

NOON = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
NO_PERMISSION = "You do not have permission to perform this action"


def _enable(admin: Any) -> str:
    admin.api("cron/save_settings", guest_cron=True).ok()
    return str(admin.api("cron/regenerate_cron_hash").ok()["cron_hash"])


def test_guest_cron_is_off_by_default(guest: Caller, job_runs: list[datetime]) -> None:
    guest("cron/run", hash="anything").fails(NO_PERMISSION, code=403, status=403)
    assert job_runs == []


def test_the_right_hash_runs_cron_and_stores_the_time(
    admin: Any, guest: Caller, db: Session, job_runs: list[datetime], fired: list[str]
) -> None:
    secret = _enable(admin)
    fired.clear()
    with frozen_clock(NOON):
        assert guest.get("cron/run", hash=secret).ok() is True
    assert job_runs == [NOON]
    assert fired == ["onBeforeAdminCronRun", "onAfterAdminCronRun"]
    with db.begin():
        assert settings_store.get_param(db, "last_cron_exec") == "2026-03-01 12:00:00"


def test_a_wrong_or_missing_hash_is_refused(admin: Any, guest: Caller, job_runs: list[datetime]) -> None:
    secret = _enable(admin)
    guest("cron/run", hash=secret[:-1] + ("0" if secret[-1] != "0" else "1")).fails(NO_PERMISSION, 403, 403)
    guest("cron/run").fails(NO_PERMISSION, code=403, status=403)
    guest("cron/run", hash=[secret]).fails(NO_PERMISSION, code=403, status=403)
    assert job_runs == []


def test_an_old_hash_stops_working_after_regeneration(admin: Any, guest: Caller, job_runs: list[datetime]) -> None:
    old = _enable(admin)
    new = admin.api("cron/regenerate_cron_hash").ok()["cron_hash"]
    guest("cron/run", hash=old).fails(NO_PERMISSION, code=403, status=403)
    guest("cron/run", hash=new).ok()
    assert len(job_runs) == 1


def test_turning_guest_cron_off_disables_the_url(admin: Any, guest: Caller, job_runs: list[datetime]) -> None:
    secret = _enable(admin)
    admin.api("cron/save_settings", guest_cron=False).ok()
    guest("cron/run", hash=secret).fails(NO_PERMISSION, code=403, status=403)
    admin.api("cron/save_settings", guest_cron=True).ok()
    guest("cron/run", hash=secret).fails(NO_PERMISSION, code=403, status=403)  # a new, unseen hash now
    assert job_runs == []


def test_enabled_without_a_hash_is_a_clear_error(
    guest: Caller, cron_config: Callable[..., dict[str, Any]], job_runs: list[datetime]
) -> None:
    cron_config(guest_cron=True)
    guest("cron/run", hash="x").fails(
        "Guest cron is enabled but no security hash has been configured", code=403, status=403
    )
    assert job_runs == []


def test_a_plain_hash_as_fossbilling_stores_it_still_works(
    guest: Caller, cron_config: Callable[..., dict[str, Any]], job_runs: list[datetime]
) -> None:
    cron_config(guest_cron="1", cron_hash="imported-plain-hash-from-fossbilling")
    guest("cron/run", hash="imported-plain-hash").fails(NO_PERMISSION, code=403, status=403)
    assert guest("cron/run", hash="imported-plain-hash-from-fossbilling").ok() is True
    assert len(job_runs) == 1


def test_guest_cron_runs_at_most_once_a_minute(admin: Any, guest: Caller, job_runs: list[datetime]) -> None:
    secret = _enable(admin)
    with frozen_clock(NOON) as now:
        assert guest("cron/run", hash=secret).ok() is True
        now[0] = NOON + timedelta(seconds=59)
        assert guest("cron/run", hash=secret).ok() is False
        now[0] = NOON + timedelta(minutes=11)
        assert guest("cron/run", hash=secret).ok() is True
    assert job_runs == [NOON, NOON + timedelta(minutes=11)]
