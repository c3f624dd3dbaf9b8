"""admin/cron: info, run, save_settings, regenerate_cron_hash — results, storage, events, permissions."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.core import settings_store
from pybilling.core.clock import frozen_clock
from pybilling.core.cron import CronRun
from tests.api.cron.conftest import JOB

NOON = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


def _runs(db: Session, job: str) -> list[CronRun]:
    db.expire_all()
    with db.begin():
        return list(db.scalars(select(CronRun).where(CronRun.job == job).order_by(CronRun.id)))


def test_info_before_any_run(admin: Any, job_runs: list[datetime]) -> None:
    info = admin.api("cron/info").ok()
    assert info["last_cron_exec"] is None
    assert info["cron_path"].endswith("pybilling")
    assert info["cron_command"] == f"{info['cron_path']} cron"
    jobs = {j["name"]: j for j in info["jobs"]}
    assert jobs[JOB] == {"name": JOB, "interval": 600, "last_run_at": None, "last_status": None, "last_message": None}
    assert "sessions_purge_expired" in jobs


def test_run_runs_due_jobs_stores_the_time_and_fires_events(
    admin: Any, db: Session, job_runs: list[datetime], fired: list[str]
) -> None:
    with frozen_clock(NOON):
        assert admin.api("cron/run").ok() is True
    assert job_runs == [NOON]
    assert [r.status for r in _runs(db, JOB)] == ["ok"]
    assert fired == ["onBeforeAdminCronRun", "onAfterAdminCronRun"]
    with db.begin():
        assert settings_store.get_param(db, "last_cron_exec") == "2026-03-01 12:00:00"
    info = admin.api("cron/info").ok()
    assert info["last_cron_exec"] == "2026-03-01 12:00:00"
    job = next(j for j in info["jobs"] if j["name"] == JOB)
    assert job["last_run_at"] == "2026-03-01 12:00:00"
    assert (job["last_status"], job["last_message"]) == ("ok", "run 1")


def test_a_job_is_not_run_again_before_its_interval(admin: Any, job_runs: list[datetime]) -> None:
    with frozen_clock(NOON) as now:
        admin.api("cron/run").ok()
        now[0] = NOON + timedelta(minutes=5)
        admin.api("cron/run").ok()
        now[0] = NOON + timedelta(minutes=11)
        admin.api("cron/run").ok()
    assert job_runs == [NOON, NOON + timedelta(minutes=11)]


def test_info_shows_last_cron_exec_in_the_install_timezone(admin: Any, db: Session) -> None:
    with db.begin():
        settings_store.set_param(db, "last_cron_exec", "2026-03-01 12:00:00")
        settings_store.set_param(db, "timezone", "Europe/Berlin")
    assert admin.api("cron/info").ok()["last_cron_exec"] == "2026-03-01 13:00:00"


def test_save_settings_on_makes_a_hash_stored_only_as_a_digest(
    admin: Any, cron_config: Callable[..., dict[str, Any]], fired: list[str]
) -> None:
    assert admin.api("cron/save_settings", guest_cron="1").ok() is True
    config = cron_config()
    assert config["guest_cron"] is True
    assert len(config["cron_hash_sha256"]) == 64
    assert "cron_hash" not in config
    assert fired == ["onBeforeAdminExtensionConfigSave", "onAfterAdminExtensionConfigSave"]
    digest = config["cron_hash_sha256"]
    admin.api("cron/save_settings", guest_cron=True).ok()
    assert cron_config()["cron_hash_sha256"] == digest  # kept while it stays on


def test_save_settings_takes_a_given_hash(admin: Any, cron_config: Callable[..., dict[str, Any]]) -> None:
    chosen = "c" * 40
    admin.api("cron/save_settings", guest_cron=True, cron_hash=chosen).ok()
    assert cron_config()["cron_hash_sha256"] == hashlib.sha256(chosen.encode()).hexdigest()
    admin.api("cron/save_settings", guest_cron=True, cron_hash="short").fails(
        "The cron hash must be at least 32 characters long"
    )


def test_save_settings_off_clears_the_hash(admin: Any, cron_config: Callable[..., dict[str, Any]]) -> None:
    cron_config(guest_cron=True, cron_hash="legacy-plain-hash", cron_hash_sha256="ab" * 32)
    admin.api("cron/save_settings").ok()  # guest_cron missing means off, as FOSSBilling's empty()
    config = cron_config()
    assert config == {"guest_cron": False}


def test_save_settings_rejects_a_non_boolean(admin: Any) -> None:
    admin.api("cron/save_settings", guest_cron=["x"]).fails(
        "Invalid value for parameter 'guest_cron': must be a boolean (true/false, 1/0, yes/no, on/off)"
    )


def test_regenerate_cron_hash_shows_a_new_hash_once(admin: Any, cron_config: Callable[..., dict[str, Any]]) -> None:
    cron_config(guest_cron=True, cron_hash_sha256="ab" * 32)
    first = admin.api("cron/regenerate_cron_hash").ok()
    assert set(first) == {"cron_hash"}
    assert len(first["cron_hash"]) == 64
    config = cron_config()
    assert config["cron_hash_sha256"] == hashlib.sha256(first["cron_hash"].encode()).hexdigest()
    assert config["guest_cron"] is True
    second = admin.api("cron/regenerate_cron_hash").ok()
    assert second["cron_hash"] != first["cron_hash"]


@pytest.mark.parametrize(
    ("action", "permission"),
    [("info", "cron.view"), ("run", "cron.manage"), ("save_settings", "cron.manage"),
     ("regenerate_cron_hash", "cron.manage")],
)
def test_each_method_needs_its_permission(
    staff_with: Callable[..., Any], job_runs: list[datetime], action: str, permission: str
) -> None:
    other = "manage" if permission == "cron.view" else "view"
    staff_with(other).api(f"cron/{action}").fails(
        f'You need the "{permission}" permission to perform this action', code=403, status=403
    )
    assert job_runs == []
    staff_with(permission.split(".")[1]).api(f"cron/{action}").ok()


def test_staff_without_module_access_is_refused(staff_with: Callable[..., Any]) -> None:
    staff_with(access=False).api("cron/info").fails("You do not have access to the cron module", code=725)


def test_clients_and_guests_have_no_admin_cron_methods(make_client: Any, guest: Any) -> None:
    make_client().api("cron/info").fails("Client API call info does not exist in module cron", code=740, status=404)
    guest("cron/info").fails("Guest API call info does not exist in module cron", code=740, status=404)


def test_the_run_log_keeps_thirty_days(admin: Any, db: Session) -> None:
    with db.begin():
        db.add(CronRun(job="zz_old", started_at=NOON - timedelta(days=31), status="ok"))
        db.add(CronRun(job="zz_recent", started_at=NOON - timedelta(days=29), status="ok"))
    with frozen_clock(NOON):
        admin.api("cron/run").ok()
    assert _runs(db, "zz_old") == []
    assert len(_runs(db, "zz_recent")) == 1
    purge = _runs(db, "cron_runs_purge")
    assert [(r.status, r.message) for r in purge] == [("ok", "1 old run(s) removed")]
