"""The declarative base every model derives from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pybilling.core.clock import utcnow
from pybilling.db.types import MONEY_TYPE, STR255, Money, Str255, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        Money: MONEY_TYPE,
        Str255: STR255,
        str: String(255),
        dict: JSON(),
        list: JSON(),
    }


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


__all__ = ["Base", "Money", "Str255", "Text", "TimestampMixin"]
