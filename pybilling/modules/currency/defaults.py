"""A fresh install's one currency: US Dollar, the default, rate 1.000000."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.core.bootstrap import default_data
from pybilling.modules.currency.models import DEFAULT_RATE, Currency


@default_data(order=30)
def load_currencies(db: Session) -> None:
    if db.scalar(select(Currency.id).limit(1)) is None:
        db.add(Currency(code="USD", is_default=True, conversion_rate=DEFAULT_RATE))
        db.flush()
