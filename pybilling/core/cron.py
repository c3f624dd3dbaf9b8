"""Periodic jobs: registered by modules, run once per `pybilling cron`, logged in `cron_run`.

Each job's row is locked while it runs (`FOR UPDATE SKIP LOCKED`), so several hosts may run cron
at the same time without doing a job twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from pybilling.core.clock import utcnow
from pybilling.db.base import Base

JobFn = Callable[[Session, datetime], str | None]


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: JobFn


_jobs: dict[str, Job] = {}


def cron_job(name: str, every: timedelta) -> Callable[[JobFn], JobFn]:
    def register(fn: JobFn) -> JobFn:
        _jobs[name] = Job(name, every, fn)
        return fn

    return register


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda j: j.name)


class CronJobState(Base):
    __tablename__ = "cron_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    last_run_at: Mapped[datetime | None] = mapped_column()


class CronRun(Base):
    __tablename__ = "cron_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(100), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(20))
    message: Mapped[str | None] = mapped_column(Text)


@dataclass
class RunResult:
    job: str
    status: str  # ok | error | skipped
    message: str | None = None


def _ensure_rows(factory: sessionmaker[Session]) -> None:
    with factory() as db, db.begin():
        known = set(db.scalars(select(CronJobState.name)))
        for job in jobs():
            if job.name not in known:
                db.add(CronJobState(name=job.name))


def run_due(factory: sessionmaker[Session], *, force: bool = False) -> list[RunResult]:
    """Run every job whose interval has passed; one transaction per job."""
    _ensure_rows(factory)
    results: list[RunResult] = []
    for job in jobs():
        with factory() as db:
            with db.begin():
                state = db.scalar(
                    select(CronJobState).where(CronJobState.name == job.name).with_for_update(skip_locked=True)
                )
                now = utcnow()
                if state is None or (
                    not force and state.last_run_at is not None and state.last_run_at + job.every > now
                ):
                    results.append(RunResult(job.name, "skipped"))
                    continue
                run = CronRun(job=job.name, started_at=now, status="running")
                try:
                    with db.begin_nested():
                        message = job.run(db, now)
                    run.status, run.message = "ok", message
                    state.last_run_at = now
                except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
                    run.status, run.message = "error", f"{type(exc).__name__}: {exc}"[:2000]
                run.finished_at = utcnow()
                db.add(run)
            results.append(RunResult(job.name, run.status, run.message))
    return results
