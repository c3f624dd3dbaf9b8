"""The one source of "now": services call `utcnow()`, tests move it with `frozen_clock`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def utcnow() -> datetime:
    return _now()


@contextmanager
def frozen_clock(at: datetime) -> Iterator[list[datetime]]:
    """Fix the clock at `at`; the yielded one-item list can be changed to move time."""
    global _now
    previous = _now
    holder = [at]
    _now = lambda: holder[0]  # noqa: E731
    try:
        yield holder
    finally:
        _now = previous
