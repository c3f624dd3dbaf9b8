"""Column types that behave the same on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import NUMERIC, DateTime, Dialect, Numeric, String
from sqlalchemy.dialects import mysql
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC; always returns aware UTC datetimes. Microseconds kept on MariaDB."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class _SQLiteCents(NUMERIC[Decimal]):
    """A NUMERIC(18, 2) column that holds integer cents: values pass to and from the driver untouched."""

    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> None:
        return None

    def result_processor(self, dialect: Dialect, coltype: object) -> None:
        return None


class MoneyType(TypeDecorator[Decimal]):
    """An amount with two decimal places, exact on every database.

    PostgreSQL and MariaDB store NUMERIC(18, 2). SQLite's NUMERIC keeps a fraction as a REAL (a float,
    exact to 15 significant digits only, and summed in floating point), so on SQLite the same column
    holds the amount in integer cents: stored, compared and summed exactly by SQLite itself.
    """

    impl = Numeric(18, 2, asdecimal=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return _SQLiteCents(18, 2)
        return dialect.type_descriptor(Numeric(18, 2, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        cents = Decimal(value).scaleb(2)
        if cents != cents.to_integral_value():
            raise ValueError(f"an amount has at most two decimal places: {value}")
        return int(cents)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None or dialect.name != "sqlite":
            return value  # type: ignore[no-any-return]
        return Decimal(int(value)).scaleb(-2)


Money = Annotated[Decimal, 18]
Str255 = Annotated[str, 255]

MONEY_TYPE = MoneyType()
RATE_TYPE = Numeric(13, 6, asdecimal=True)
STR255 = String(255)
