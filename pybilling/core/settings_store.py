"""Install-wide settings (FOSSBilling's `setting` table, keyed by `param`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, bindparam, select
from sqlalchemy.orm import Mapped, Session, mapped_column

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


_VALUE_OF = select(Setting.__table__.c.value).where(Setting.__table__.c.param == bindparam("param"))


def get_param(db: Session, param: str, default: str | None = None) -> str | None:
    # A prebuilt Core statement on the session's connection: no per-call statement building and no
    # ORM execution layer (it runs on every request). Pending ORM changes are flushed first, as the
    # ORM's autoflush would, so a setting added in this transaction is seen.
    if db.autoflush and (db.new or db.dirty or db.deleted):
        db.flush()
    value = db.connection().execute(_VALUE_OF, {"param": param}).scalar()
    return default if value is None else value


def get_params(db: Session, params: list[str] | None = None) -> dict[str, str | None]:
    stmt = select(Setting.param, Setting.value)
    if params is not None:
        stmt = stmt.where(Setting.param.in_(params))
    return {row.param: row.value for row in db.execute(stmt)}


def get_public_param(db: Session, param: str) -> tuple[bool, str | None]:
    """(found, value) of a setting marked public; private and unknown settings are not found."""
    row = db.execute(select(Setting.value).where(Setting.param == param, Setting.public.is_(True))).first()
    return (False, None) if row is None else (True, row.value)


def has_param(db: Session, param: str) -> bool:
    return db.scalar(select(Setting.id).where(Setting.param == param)) is not None


def get_bool(db: Session, param: str, default: bool = False) -> bool:
    value = get_param(db, param)
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
