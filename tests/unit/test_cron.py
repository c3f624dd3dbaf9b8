"""The cron runner: due jobs run once, failures are logged without stopping the others."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pybilling.core import cron
from pybilling.core.clock import frozen_clock
from pybilling.core.cron import CronRun, run_due
from pybilling.core.sessions import WebSessionRow


@pytest.fixture
def jobs_under_test() -> Iterator[list[str]]:
    calls: list[str] = []
    saved = dict(cron._jobs)

    @cron.cron_job("test_ok", every=timedelta(minutes=10))
    def ok(db: Session, now: datetime) -> str:
        calls.append("ok")
        return "done"

    @cron.cron_job("test_broken", every=timedelta(minutes=10))
    def broken(db: Session, now: datetime) -> str:
        calls.append("broken")
        raise RuntimeError("boom")

    yield calls
    cron._jobs.clear()
    cron._jobs.update(saved)


def test_due_jobs_run_once_per_interval(session_factory: sessionmaker[Session], jobs_under_test: list[str]) -> None:
    start = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    with frozen_clock(start) as now:
        first = {r.job: r.status for r in run_due(session_factory)}
        assert first["test_ok"] == "ok"
        assert first["test_broken"] == "error"
        second = {r.job: r.status for r in run_due(session_factory)}
        assert second["test_ok"] == "skipped"
        now[0] = start + timedelta(minutes=11)
        third = {r.job: r.status for r in run_due(session_factory)}
        assert third["test_ok"] == "ok"
    assert jobs_under_test.count("ok") == 2
    with session_factory() as db:
        runs = db.scalars(select(CronRun).where(CronRun.job == "test_broken")).all()
        assert runs
        assert all(r.status == "error" for r in runs)
        assert all("boom" in (r.message or "") for r in runs)


def test_expired_sessions_are_purged(session_factory: sessionmaker[Session]) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with session_factory() as db, db.begin():
        db.add(WebSessionRow(id="old", csrf_token="x", created_at=now, expires_at=now + timedelta(hours=2)))
        db.add(WebSessionRow(id="new", csrf_token="y", created_at=now, expires_at=now + timedelta(hours=5)))
    with frozen_clock(now + timedelta(hours=3)):
        results = {r.job: r for r in run_due(session_factory, force=True)}
    assert results["sessions_purge_expired"].status == "ok"
    with session_factory() as db:
        assert set(db.scalars(select(WebSessionRow.id))) == {"new"}
