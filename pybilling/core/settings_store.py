"""Install-wide settings (FOSSBilling's `setting` table, keyed by `param`)."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session, sessionmaker

from pybilling.core.clock import utcnow
from pybilling.db.base import Base


class Setting(Base):
    __tablename__ = "setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    param: Mapped[str] = mapped_column(String(255), unique=True)
    value: Mapped[str | None] = mapped_column(Text)
    # A public setting is readable by guests (`guest/system/param`); none is on a fresh install.
    public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


_ALL_ROWS = select(Setting.__table__.c.param, Setting.__table__.c.value, Setting.__table__.c.public)
CACHE_KEY = "settings_cache"
_WRITTEN = "settings_written"
# How stale another worker process's copy of the settings may be. Within a process a committed change
# is seen at once; other processes see it when their copy expires (they share no memory).
CACHE_SECONDS = 5.0

Rows = dict[str, tuple[str | None, bool]]


class SettingsCache:
    """Committed settings shared by the sessions of one session factory, reloaded every CACHE_SECONDS.

    Every request reads settings (the display timezone at least); serving them from memory saves a
    query per call. A session that wrote settings reads the table itself until it ends, so it sees
    its own changes and never puts uncommitted values here; its commit or rollback drops the copy.
    """

    def __init__(self, ttl: float = CACHE_SECONDS):
        self.ttl = ttl
        self._rows: Rows | None = None
        self._loaded_at = 0.0
        self._generation = 0
        self._lock = threading.Lock()  # calls run on the event loop and in the thread pool

    def invalidate(self) -> None:
        with self._lock:
            self._generation += 1
            self._rows = None

    def fresh_rows(self) -> Rows | None:
        """The copy if it has not expired, else None (the caller reads through a session)."""
        rows = self._rows
        return rows if rows is not None and time.monotonic() - self._loaded_at < self.ttl else None

    def rows(self, db: Session) -> Rows:
        rows = self.fresh_rows()
        if rows is not None:
            return rows
        generation = self._generation
        loaded_at = time.monotonic()
        fresh = _read_rows(db)
        # A change committed while this read ran may be missing from it: keep it only if none was.
        with self._lock:
            if generation == self._generation:
                self._rows, self._loaded_at = fresh, loaded_at
        return fresh


def _read_rows(db: Session) -> Rows:
    return {param: (value, bool(public)) for param, value, public in db.connection().execute(_ALL_ROWS)}


def _rows(db: Session) -> Rows:
    # Pending ORM changes are flushed first, as the ORM's autoflush would, so a setting added in this
    # transaction is seen (the flush marks the session as having written settings).
    if db.autoflush and (db.new or db.dirty or db.deleted):
        db.flush()
    cache: SettingsCache | None = db.info.get(CACHE_KEY)
    if cache is None or db.info.get(_WRITTEN):
        return _read_rows(db)
    return cache.rows(db)


def fresh_copy(factory: sessionmaker[Session]) -> Rows | None:
    """The factory's settings copy while it is fresh, else None (then read through a session)."""
    cache: SettingsCache | None = factory.kw.get("info", {}).get(CACHE_KEY)
    return cache.fresh_rows() if cache is not None else None


def value_in(rows: Rows, param: str, default: str | None = None) -> str | None:
    found = rows.get(param)
    return default if found is None or found[0] is None else found[0]


def get_param(db: Session, param: str, default: str | None = None) -> str | None:
    return value_in(_rows(db), param, default)


def get_params(db: Session, params: list[str] | None = None) -> dict[str, str | None]:
    rows = _rows(db)
    names = rows.keys() if params is None else [p for p in params if p in rows]
    return {name: rows[name][0] for name in names}


def get_public_param(db: Session, param: str) -> tuple[bool, str | None]:
    """(found, value) of a setting marked public; private and unknown settings are not found."""
    found = _rows(db).get(param)
    return (False, None) if found is None or not found[1] else (True, found[0])


def has_param(db: Session, param: str) -> bool:
    return param in _rows(db)


def get_bool(db: Session, param: str, default: bool = False) -> bool:
    return is_true(get_param(db, param), default)


def is_true(value: str | None, default: bool = False) -> bool:
    """A stored flag as a bool: "1", "true", "yes" or "on" (any case) are true; no value is `default`."""
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def set_param(db: Session, param: str, value: str | None) -> None:
    row = db.scalar(select(Setting).where(Setting.param == param))
    if row is None:
        db.add(Setting(param=param, value=value))
    else:
        row.value = value
    db.flush()


def ensure_defaults(db: Session, defaults: dict[str, str | None]) -> None:
    existing = set(db.scalars(select(Setting.param)))
    for param, value in defaults.items():
        if param not in existing:
            db.add(Setting(param=param, value=value))
    db.flush()


def _mark_written(_mapper: Any, _connection: Any, target: Setting) -> None:
    session = object_session(target)
    if session is not None:
        session.info[_WRITTEN] = True


def _transaction_ended(session: Session) -> None:
    if session.info.pop(_WRITTEN, False):
        cache: SettingsCache | None = session.info.get(CACHE_KEY)
        if cache is not None:
            cache.invalidate()


for _event in ("after_insert", "after_update", "after_delete"):
    event.listen(Setting, _event, _mark_written)
event.listen(Session, "after_commit", _transaction_ended)
event.listen(Session, "after_rollback", _transaction_ended)
