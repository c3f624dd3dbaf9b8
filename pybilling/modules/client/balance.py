"""The client balance: an append-only ledger of credit lines (`client_balance`).

Nothing here updates or deletes a line. Adding funds appends a line; voiding a line
(`admin/client/balance_delete`) appends its reversal. The balance is the SQL SUM of the lines;
lists show the lines that are neither voided nor reversals, as FOSSBilling's list no longer
shows a deleted line.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from sqlalchemy import Select, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from pybilling.api.errors import ApiError, NotFound
from pybilling.core.timefmt import display_timezone
from pybilling.modules.client.models import Client, ClientBalance
from pybilling.modules.currency import service as currency_service

LINE_NOT_FOUND = "Balance line not found"
AMOUNT_INVALID = "Funds amount is invalid"
DESCRIPTION_INVALID = "Funds description is invalid"
NO_CURRENCY = "You must define the client's currency before adding funds."
DEFAULT_TYPE = "gift"
REVERSAL_TYPE = "reversal"
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999999999.99")  # what Numeric(18, 2) holds


# -- reading ----------------------------------------------------------------------------------
def client_balance(db: Session, client_id: int) -> Decimal:
    """The client's credit: the SUM of all its ledger lines (voided lines and reversals cancel out)."""
    stmt = select(func.coalesce(func.sum(ClientBalance.amount), 0)).where(ClientBalance.client_id == client_id)
    total = db.scalar(stmt)
    return _money(total)


_LEDGER = ClientBalance.__table__
def balance_column(client_id: Any) -> Any:
    """The balance of each row's client as a correlated subquery, for list queries (no IN list to build)."""
    return (
        select(func.sum(_LEDGER.c.amount)).where(_LEDGER.c.client_id == client_id).correlate_except(_LEDGER)
    ).scalar_subquery()


def as_number(amount: Decimal) -> int | float:
    """A computed total as FOSSBilling shows it: a JSON number (`15`, `15.5`), never a string."""
    value = _money(amount)
    return int(value) if value == value.to_integral_value() else float(value)


def _money(value: Any) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(CENT)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=display_timezone()).astimezone(UTC)


def _reversed_line() -> Any:
    reversal = aliased(ClientBalance)
    return exists().where(reversal.reverses_id == ClientBalance.id)


def visible_lines(filters: dict[str, Any]) -> Select[Any]:
    """Lines as FOSSBilling lists them (newest first): voided lines and their reversals are hidden."""
    stmt = (
        select(ClientBalance, Client.currency)
        .outerjoin(Client, Client.id == ClientBalance.client_id)
        .where(ClientBalance.reverses_id.is_(None), ~_reversed_line())
    )
    if filters.get("id") is not None:
        stmt = stmt.where(ClientBalance.id == filters["id"])
    if filters.get("client_id") is not None:
        stmt = stmt.where(ClientBalance.client_id == filters["client_id"])
    date_from: date | None = filters.get("date_from")
    date_to: date | None = filters.get("date_to")
    if date_from is not None:
        stmt = stmt.where(ClientBalance.created_at >= _day_start(date_from))
    if date_to is not None:
        stmt = stmt.where(ClientBalance.created_at < _day_start(date_to) + timedelta(days=1))
    return cast("Select[Any]", stmt.order_by(ClientBalance.id.desc()))


def line_to_api(line: ClientBalance, currency: str | None, default_currency: str | None) -> dict[str, Any]:
    """A list row: the amount as FOSSBilling's DECIMAL string (`"-10.00"`), in the client's currency."""
    return {
        "id": line.id,
        "description": line.description,
        "amount": _money(line.amount),
        "currency": currency or default_currency,
        "created_at": line.created_at,
    }


def default_currency_code(db: Session) -> str | None:
    default = currency_service.find_default(db)
    return default.code if default is not None else None


# -- writing ----------------------------------------------------------------------------------
def parse_amount(raw: Any) -> Decimal:
    """A non-zero amount with at most two decimals that fits the column; floats are read by their text."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ApiError(AMOUNT_INVALID)
    text = raw.strip() if isinstance(raw, str) else repr(raw)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ApiError(AMOUNT_INVALID) from None
    if not value.is_finite() or value == 0 or abs(value) > MAX_AMOUNT or value != value.quantize(CENT):
        raise ApiError(AMOUNT_INVALID)
    return value.quantize(CENT)


def add_funds(
    db: Session, client: Client, amount: Any, description: str | None, *, type_: str | None, rel_id: str | None
) -> ClientBalance:
    """Append a credit (or, negative, a debit) line. A client without a currency gets the default one."""
    value = parse_amount(amount)
    text = (description or "").strip()
    if not text:
        raise ApiError(DESCRIPTION_INVALID)
    if not client.currency:
        code = default_currency_code(db)
        if code is None:
            raise ApiError(NO_CURRENCY)
        client.currency = code
    line = ClientBalance(
        client_id=client.id, type=type_ or DEFAULT_TYPE, rel_id=rel_id or None, amount=value, description=text
    )
    db.add(line)
    db.flush()
    return line


def void_line(db: Session, line_id: int, *, client_id: int | None = None) -> ClientBalance:
    """Void a visible line by appending its reversal; a reversal, or a line voided already, is not found."""
    stmt = select(ClientBalance).where(ClientBalance.id == line_id).with_for_update()
    line = db.scalar(stmt)
    if line is None or line.reverses_id is not None or (client_id is not None and line.client_id != client_id):
        raise NotFound(LINE_NOT_FOUND)
    if db.scalar(select(ClientBalance.id).where(ClientBalance.reverses_id == line.id)) is not None:
        raise NotFound(LINE_NOT_FOUND)
    reversal = ClientBalance(
        client_id=line.client_id,
        type=REVERSAL_TYPE,
        rel_id=str(line.id),
        amount=-_money(line.amount),
        description=f"Reversal of balance line #{line.id}",
        reverses_id=line.id,
    )
    try:
        with db.begin_nested():  # a concurrent void of the same line loses on the unique reverses_id
            db.add(reversal)
            db.flush()
    except IntegrityError:
        raise NotFound(LINE_NOT_FOUND) from None
    return reversal
