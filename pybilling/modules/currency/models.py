"""The `currency` table: one row per currency the install accepts; exactly one is the default."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from pybilling.core.clock import utcnow
from pybilling.db.base import Base
from pybilling.db.types import RATE_TYPE

DEFAULT_RATE = Decimal("1.000000")


class Currency(Base):
    __tablename__ = "currency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(3), unique=True)
    is_default: Mapped[bool] = mapped_column(default=False)
    # How many units of this currency one unit of the default currency buys (the default's is 1).
    conversion_rate: Mapped[Decimal] = mapped_column(RATE_TYPE, default=DEFAULT_RATE)
    # A manual rate is kept as entered: rate updates from the provider leave it alone.
    is_rate_manual: Mapped[bool] = mapped_column(default=False)
    format_pattern: Mapped[str | None] = mapped_column(String(100))
    fraction_digits: Mapped[int | None] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
