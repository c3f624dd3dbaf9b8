"""Dates as the API shows them: `YYYY-MM-DD HH:MM:SS` in the install's timezone."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_display_tz: ContextVar[Callable[[], tzinfo] | None] = ContextVar("display_tz", default=None)


def zone(name: str | None) -> tzinfo:
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def use_display_timezone(resolver: Callable[[], tzinfo]) -> None:
    """Set, for the current call, how to find the install's timezone (resolved on first use)."""
    cache: list[tzinfo] = []

    def cached() -> tzinfo:
        if not cache:
            cache.append(resolver())
        return cache[0]

    _display_tz.set(cached)


def display_timezone() -> tzinfo:
    resolver = _display_tz.get()
    return resolver() if resolver else UTC


def format_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    tz = display_timezone()
    if value.tzinfo is not tz:
        value = value.astimezone(tz)
    # isoformat is several times faster than strftime, and lists format thousands of dates.
    return value.replace(tzinfo=None, microsecond=0).isoformat(" ")


def naive_utc_formatter() -> Callable[[datetime | None], str | None]:
    """`format_datetime` for naive UTC values as drivers return them (lists read dates raw)."""
    tz = display_timezone()
    if tz is UTC:
        return lambda value: None if value is None else value.isoformat(" ", "seconds")

    def fmt(value: datetime | None) -> str | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None).isoformat(" ", "seconds")

    return fmt


def format_date(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(display_timezone()).date()
    return value.isoformat()
