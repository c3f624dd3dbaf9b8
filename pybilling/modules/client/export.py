"""`admin/client/export_csv`: clients as a CSV download, without secrets, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError
from pybilling.core.timefmt import format_date, format_datetime
from pybilling.modules.client.models import Client

DEFAULT_COLUMNS = (
    "id", "email", "status", "first_name", "last_name", "phone_cc", "phone", "company", "company_vat",
    "company_number", "address_1", "address_2", "city", "state", "postcode", "country", "currency",
)
# Never exported, whatever is asked: credentials and internal lookup columns.
SECRET_COLUMNS = frozenset({"pass", "salt", "api_token", "api_key_hmac", "api_key_encrypted", "email_normalised"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BATCH = 500


def _exportable() -> dict[str, str]:
    """Column name (as FOSSBilling names it) → model attribute, secrets left out."""
    columns: dict[str, str] = {}
    for attr in Client.__mapper__.column_attrs:
        name = attr.columns[0].name
        if name not in SECRET_COLUMNS:
            columns[name] = attr.key
    return columns


def columns_for(requested: Sequence[str]) -> list[str]:
    """The asked columns in their order (secret ones dropped, as FOSSBilling does), else the default set."""
    exportable = _exportable()
    chosen: list[str] = []
    for name in requested:
        if name in SECRET_COLUMNS or name in chosen:
            continue
        if name not in exportable:
            raise ApiError(f"Invalid value for parameter 'headers': unknown column {name}")
        chosen.append(name)
    return chosen or list(DEFAULT_COLUMNS)


def cell(value: Any) -> str:
    """One CSV cell; text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "1" if value else "0"
    elif isinstance(value, datetime):
        text = format_datetime(value) or ""
    elif isinstance(value, date):
        text = format_date(value) or ""
    else:
        text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _rows(db: Session, attrs: list[str]) -> Iterable[list[str]]:
    stmt = select(Client).order_by(Client.id).execution_options(yield_per=_BATCH)
    for client in db.scalars(stmt):
        yield [cell(getattr(client, attr)) for attr in attrs]


def export_csv(db: Session, requested: Sequence[str]) -> str:
    """The whole client table as CSV text: a header row, then one row per client (oldest first)."""
    columns = columns_for(requested)
    exportable = _exportable()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180: a cell holding CR or LF is quoted
    writer.writerow(columns)
    writer.writerows(_rows(db, [exportable[name] for name in columns]))
    return out.getvalue()
