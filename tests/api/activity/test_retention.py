"""Log retention: `max_age` / `email_max_age` (days) in the activity settings, applied by cron."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.core.clock import utcnow
from pybilling.modules.activity.models import ActivityClientEmail, ActivitySystem


def _store_aged(db: Session, tag: str) -> None:
    now = utcnow()
    with db.begin():
        for days in (3, 10, 40):
            db.add(ActivitySystem(message=f"{tag} {days}d", created_at=now - timedelta(days=days)))
            db.add(ActivityClientEmail(subject=f"{tag} {days}d", created_at=now - timedelta(days=days)))


def _kept(db: Session, tag: str) -> tuple[list[str], list[str]]:
    db.expire_all()
    with db.begin():
        lines = db.scalars(select(ActivitySystem.message).where(ActivitySystem.message.like(f"{tag}%")))
        mails = db.scalars(select(ActivityClientEmail.subject).where(ActivityClientEmail.subject.like(f"{tag}%")))
        return sorted(str(m) for m in lines), sorted(str(s) for s in mails)


def _job_message(admin: Any) -> str:
    jobs = {job["name"]: job for job in admin.api("cron/info").ok()["jobs"]}
    return str(jobs["activity_logs_purge"]["last_message"])


def test_without_ages_cron_keeps_every_log(admin: Any, db: Session) -> None:
    _store_aged(db, "keep")
    assert admin.api("cron/run").ok() is True
    assert _kept(db, "keep") == (["keep 10d", "keep 3d", "keep 40d"], ["keep 10d", "keep 3d", "keep 40d"])
    assert "kept (max_age not set)" in _job_message(admin)


def test_cron_removes_lines_and_emails_older_than_their_ages(admin: Any, db: Session) -> None:
    _store_aged(db, "aged")
    assert admin.api("extension/config_save", ext="mod_activity", max_age="30", email_max_age="7").ok() is True
    assert admin.api("cron/run").ok() is True
    assert _kept(db, "aged") == (["aged 10d", "aged 3d"], ["aged 3d"])
    message = _job_message(admin)
    assert "1 system log line(s) older than 30 days removed" in message
    assert "2 client email(s) older than 7 days removed" in message


def test_an_age_that_is_not_a_positive_whole_number_keeps_the_log(admin: Any, db: Session) -> None:
    _store_aged(db, "odd")
    admin.api("extension/config_save", ext="mod_activity", max_age="0", email_max_age="ten").ok()
    assert admin.api("cron/run").ok() is True
    assert _kept(db, "odd") == (["odd 10d", "odd 3d", "odd 40d"], ["odd 10d", "odd 3d", "odd 40d"])
