"""How long the activity logs are kept: the module settings `max_age` (system log) and
`email_max_age` (client email log), in days. Empty, zero or not a whole number keeps them forever,
so nothing is deleted until staff chooses an age. A daily cron job removes what is older.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from pybilling.core import module_config
from pybilling.core.cron import cron_job
from pybilling.modules.activity.models import ActivityClientEmail, ActivitySystem

MODULE = "activity"


def age_in_days(value: Any) -> int | None:
    """A configured age: a positive whole number of days, else None (keep forever)."""
    text = str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    return int(text) if text.isdigit() and int(text) > 0 else None


@cron_job("activity_logs_purge", every=timedelta(days=1))
def purge_old_logs(db: Session, now: datetime) -> str:
    config = module_config.get_config(db, MODULE)
    done = []
    for label, model, setting in (
        ("system log line", ActivitySystem, "max_age"),
        ("client email", ActivityClientEmail, "email_max_age"),
    ):
        days = age_in_days(config.get(setting))
        if days is None:
            done.append(f"{label}s kept ({setting} not set)")
            continue
        result = db.execute(delete(model).where(model.created_at < now - timedelta(days=days)))
        done.append(f"{getattr(result, 'rowcount', 0)} {label}(s) older than {days} days removed")
    return "; ".join(done)
