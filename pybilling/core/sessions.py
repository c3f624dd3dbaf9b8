"""Server-side browser sessions: a SQL table by default, Redis when configured.

Only an HMAC of the session id is stored, so a database dump holds no usable session.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import JSON, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from pybilling.core.clock import utcnow
from pybilling.db.base import Base


class WebSessionRow(Base):
    __tablename__ = "session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(index=True)
    client_id: Mapped[int | None] = mapped_column(index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


@dataclass
class SessionData:
    key: str  # HMAC of the id given to the browser
    staff_id: int | None
    client_id: int | None
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    data: dict[str, Any] = field(default_factory=dict)


class SessionStore(Protocol):
    def load(self, db: Session, key: str) -> SessionData | None: ...
    def save(self, db: Session, session: SessionData) -> None: ...
    def delete(self, db: Session, key: str) -> None: ...
    def delete_for(self, db: Session, *, staff_id: int | None = None, client_id: int | None = None) -> int: ...


def new_session_data(key: str, lifetime: int, **identity: int | None) -> SessionData:
    now = utcnow()
    return SessionData(
        key=key,
        staff_id=identity.get("staff_id"),
        client_id=identity.get("client_id"),
        csrf_token=secrets.token_hex(32),
        created_at=now,
        expires_at=now + timedelta(seconds=lifetime),
    )


class SqlSessionStore:
    def load(self, db: Session, key: str) -> SessionData | None:
        row = db.get(WebSessionRow, key)
        if row is None:
            return None
        if row.expires_at <= utcnow():
            db.delete(row)
            return None
        return SessionData(
            row.id, row.staff_id, row.client_id, row.csrf_token, row.created_at, row.expires_at, row.data or {}
        )

    def save(self, db: Session, session: SessionData) -> None:
        row = db.get(WebSessionRow, session.key)
        if row is None:
            row = WebSessionRow(id=session.key, created_at=session.created_at)
            db.add(row)
        row.staff_id = session.staff_id
        row.client_id = session.client_id
        row.csrf_token = session.csrf_token
        row.data = dict(session.data)
        row.expires_at = session.expires_at
        db.flush()

    def delete(self, db: Session, key: str) -> None:
        db.execute(delete(WebSessionRow).where(WebSessionRow.id == key))

    def delete_for(self, db: Session, *, staff_id: int | None = None, client_id: int | None = None) -> int:
        stmt = delete(WebSessionRow)
        if staff_id is not None:
            stmt = stmt.where(WebSessionRow.staff_id == staff_id)
        elif client_id is not None:
            stmt = stmt.where(WebSessionRow.client_id == client_id)
        else:
            return 0
        result = db.execute(stmt)
        return int(getattr(result, "rowcount", 0) or 0)

    def purge_expired(self, db: Session) -> int:
        result = db.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= utcnow()))
        return int(getattr(result, "rowcount", 0) or 0)

    def count_for(self, db: Session, *, staff_id: int | None = None, client_id: int | None = None) -> int:
        stmt = select(WebSessionRow.id)
        if staff_id is not None:
            stmt = stmt.where(WebSessionRow.staff_id == staff_id)
        if client_id is not None:
            stmt = stmt.where(WebSessionRow.client_id == client_id)
        return len(db.scalars(stmt).all())


class RedisSessionStore:
    """Sessions in Redis with a TTL; per-identity sets index them for `destroy_sessions`."""

    prefix = "pybilling:session:"

    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url)

    def _index_keys(self, session: SessionData) -> list[str]:
        keys = []
        if session.staff_id is not None:
            keys.append(f"{self.prefix}staff:{session.staff_id}")
        if session.client_id is not None:
            keys.append(f"{self.prefix}client:{session.client_id}")
        return keys

    def load(self, db: Session, key: str) -> SessionData | None:
        raw = self._redis.get(self.prefix + key)
        if raw is None:
            return None
        doc = json.loads(raw)
        session = SessionData(
            key=key,
            staff_id=doc["staff_id"],
            client_id=doc["client_id"],
            csrf_token=doc["csrf_token"],
            created_at=datetime.fromisoformat(doc["created_at"]),
            expires_at=datetime.fromisoformat(doc["expires_at"]),
            data=doc.get("data", {}),
        )
        if session.expires_at <= utcnow():
            self.delete(db, key)
            return None
        return session

    def save(self, db: Session, session: SessionData) -> None:
        ttl = max(1, int((session.expires_at - utcnow()).total_seconds()))
        doc = {
            "staff_id": session.staff_id,
            "client_id": session.client_id,
            "csrf_token": session.csrf_token,
            "created_at": session.created_at.isoformat(),
            "expires_at": session.expires_at.isoformat(),
            "data": session.data,
        }
        pipe = self._redis.pipeline()
        pipe.set(self.prefix + session.key, json.dumps(doc), ex=ttl)
        for index in self._index_keys(session):
            pipe.sadd(index, session.key)
            pipe.expire(index, ttl)
        pipe.execute()

    def delete(self, db: Session, key: str) -> None:
        self._redis.delete(self.prefix + key)

    def delete_for(self, db: Session, *, staff_id: int | None = None, client_id: int | None = None) -> int:
        if staff_id is not None:
            index = f"{self.prefix}staff:{staff_id}"
        elif client_id is not None:
            index = f"{self.prefix}client:{client_id}"
        else:
            return 0
        keys = [k.decode() if isinstance(k, bytes) else str(k) for k in self._redis.smembers(index)]
        if keys:
            self._redis.delete(*[self.prefix + k for k in keys])
        self._redis.delete(index)
        return len(keys)


def _register_purge_job() -> None:
    from pybilling.core.cron import cron_job

    @cron_job("sessions_purge_expired", every=timedelta(hours=1))
    def purge_expired_sessions(db: Session, now: datetime) -> str:
        return f"{SqlSessionStore().purge_expired(db)} expired sessions removed"


_register_purge_job()
