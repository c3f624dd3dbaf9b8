"""Writing and reading the system log and the client email log; every fired event becomes a log line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, insert, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from pybilling.core.clock import utcnow
from pybilling.core.events import Event
from pybilling.modules.activity.models import INFO, ActivityClientEmail, ActivitySystem
from pybilling.modules.client.models import Client
from pybilling.modules.staff.models import Staff


def log(
    db: Session, message: str, *, priority: int | None = INFO, admin_id: int | None = None,
    client_id: int | None = None, ip: str | None = None,
) -> None:
    """One INSERT, no ORM bookkeeping: the log is written on hot paths (every event)."""
    db.execute(
        insert(ActivitySystem).values(
            priority=priority, admin_id=admin_id, client_id=client_id, message=message,
            ip=ip[:45] if ip else None, created_at=utcnow(),
        )
    )


def _int_param(params: dict[str, Any], name: str) -> int | None:
    value = params.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def record_event(event: Event) -> None:
    """Listener for every event: a line with its name at priority info."""
    ip = event.params.get("ip")
    log(
        event.db, event.name, priority=INFO, admin_id=_int_param(event.params, "staff_id"),
        client_id=_int_param(event.params, "client_id"), ip=ip if isinstance(ip, str) else None,
    )


def log_email(
    db: Session, subject: str, *, client_id: int | None, sender: str | None, recipients: str | None,
    content_html: str | None, content_text: str | None,
) -> None:
    db.add(
        ActivityClientEmail(
            client_id=client_id, sender=sender, recipients=recipients, subject=subject,
            content_html=content_html, content_text=content_text,
        )
    )
    db.flush()


@dataclass(frozen=True)
class LogFilter:
    min_priority: int | None = INFO
    priority: int | None = None
    search: str | None = None
    admin_id: int | None = None
    client_id: int | None = None
    only_staff: bool = False
    only_clients: bool = False


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_query(flt: LogFilter) -> Select[Any]:
    m = ActivitySystem
    columns = (Staff.id, Staff.email, Staff.name, Client.id, Client.first_name, Client.last_name, Client.email)
    stmt = cast(
        "Select[Any]",
        select(m, *columns)
        .outerjoin(Staff, Staff.id == m.admin_id)
        .outerjoin(Client, Client.id == m.client_id)
        .order_by(m.id.desc()),
    )
    if flt.priority is not None:
        stmt = stmt.where(m.priority == flt.priority)
    elif flt.min_priority is not None:
        stmt = stmt.where(m.priority <= flt.min_priority)
    if flt.admin_id is not None:
        stmt = stmt.where(m.admin_id == flt.admin_id)
    if flt.client_id is not None:
        stmt = stmt.where(m.client_id == flt.client_id)
    if flt.only_staff:
        stmt = stmt.where(m.admin_id.is_not(None))
    if flt.only_clients:
        stmt = stmt.where(m.client_id.is_not(None))
    if flt.search:
        pattern = f"%{_escape_like(flt.search)}%"
        stmt = stmt.where(or_(m.message.like(pattern, escape="\\"), m.ip.like(pattern, escape="\\")))
    return stmt


def to_api(row: Row[Any]) -> dict[str, Any]:
    entry: ActivitySystem = row[0]
    staff_id, staff_email, staff_name, client_id, first_name, last_name, client_email = tuple(row)[1:]
    client_name = " ".join(part for part in (first_name, last_name) if part) if client_id is not None else ""
    item: dict[str, Any] = {
        "id": entry.id,
        "priority": entry.priority,
        "admin_id": entry.admin_id,
        "client_id": entry.client_id,
        "message": entry.message,
        "ip": entry.ip,
        "created_at": entry.created_at,
        "staff_id": staff_id,
        "staff_email": staff_email,
        "staff_name": staff_name,
        "client_name": client_name,
        "client_email": client_email,
    }
    if staff_id is not None:
        item["staff"] = {"id": staff_id, "name": staff_name, "email": staff_email}
    if client_id is not None:
        item["client"] = {"id": client_id, "name": client_name, "email": client_email}
    return item
