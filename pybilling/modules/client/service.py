"""Client rules: accounts (signup, staff CRUD), their API shapes, lists and module configuration.

Login, password resets and email confirmation live in `auth.py`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry
from babel import Locale, UnknownLocaleError
from sqlalchemy import DateTime, Select, and_, bindparam, delete, func, or_, select, type_coerce, update
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError, NotFound
from pybilling.api.pagination import PageRequest, page_result
from pybilling.core import emails, module_config, passwords, settings_store
from pybilling.core.clock import utcnow
from pybilling.core.events import events
from pybilling.core.mail import OutboxEmail
from pybilling.core.timefmt import display_timezone, format_date, naive_utc_formatter
from pybilling.db.types import UTCDateTime
from pybilling.modules.client import search_index
from pybilling.modules.client.balance import as_number as as_number
from pybilling.modules.client.balance import balance_column
from pybilling.modules.client.balance import client_balance as client_balance
from pybilling.modules.client.models import (
    CUSTOM_FIELDS,
    Client,
    ClientBalance,
    ClientEmailConfirmation,
    ClientGroup,
    ClientLogin,
    ClientPasswordReset,
)

EMAIL_TAKEN = "This email address is already registered."
PASSWORDS_DIFFER = "Passwords do not match"
PROFILE_FIELDS = (
    "last_name", "type", "gender", "birthday", "company", "company_vat", "company_number", "address_1",
    "address_2", "city", "state", "postcode", "country", "phone_cc", "phone", "lang", "timezone",
    *CUSTOM_FIELDS,
)
STAFF_FIELDS = (*PROFILE_FIELDS, "aid", "notes", "billing_email", "auth_type")


def find_by_email(db: Session, email: str) -> Client | None:
    return db.scalar(select(Client).where(Client.email_normalised == emails.normalise(email)))


def email_taken(db: Session, email: str, *, except_id: int | None = None) -> bool:
    stmt = select(Client.id).where(Client.email_normalised == emails.normalise(email))
    if except_id is not None:
        stmt = stmt.where(Client.id != except_id)
    return db.scalar(stmt) is not None


class ClientPrincipals:
    """How the dispatcher finds the client behind a key or a session: only active clients act."""

    def by_api_key(self, db: Session, digests: list[str]) -> Any | None:
        return db.scalar(select(Client).where(Client.api_key_hmac.in_(digests), Client.status == "active"))

    def by_id(self, db: Session, principal_id: int) -> Any | None:
        client = db.get(Client, principal_id)
        if client is None or client.status != "active":
            return None
        return client


# -- module configuration ---------------------------------------------------------------------
@dataclass(frozen=True)
class ClientConfig:
    disable_signup: bool
    require_email_confirmation: bool
    auto_login_after_signup: bool
    disable_change_email: bool
    required: list[str]
    custom_fields: dict[str, Any]


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def config(db: Session) -> ClientConfig:
    raw = module_config.get_config(db, "client")
    required = raw.get("required")
    custom = raw.get("custom_fields")
    return ClientConfig(
        disable_signup=_flag(raw.get("disable_signup")),
        require_email_confirmation=_flag(raw.get("require_email_confirmation")),
        auto_login_after_signup=_flag(raw.get("auto_login_after_signup")),
        disable_change_email=_flag(raw.get("disable_change_email")),
        required=[str(f) for f in required if isinstance(f, str) and f] if isinstance(required, list) else [],
        custom_fields=custom if isinstance(custom, dict) else {},
    )


# -- shapes -----------------------------------------------------------------------------------
_BASE_FIELDS = (
    "id", "email", "email_approved", "type", "first_name", "last_name", "gender", "birthday", "phone_cc",
    "phone", "company", "company_vat", "company_number", "address_1", "address_2", "city", "state",
    "postcode", "country", "currency", "lang", "timezone",
)
_ADMIN_FIELDS = (
    "aid", "group_id", "role", "auth_type", "status", "tax_exempt", "notes", "ip", "referred_by",
    "billing_email", "created_at", "updated_at", *CUSTOM_FIELDS,
)


def to_admin_api(client: Client, balance: Decimal = Decimal(0)) -> dict[str, Any]:
    """The staff view of a client (a `get_list` row): base + staff fields + balance + group title."""
    result: dict[str, Any] = {}
    for name in _BASE_FIELDS:
        result[name] = getattr(client, name)
    for name in _ADMIN_FIELDS:
        result[name] = client.client_group_id if name == "group_id" else getattr(client, name)
    result["email_approved"] = bool(client.email_approved)
    result["tax_exempt"] = bool(client.tax_exempt)
    result["balance"] = as_number(balance)
    result["group"] = client.group.title if client.group is not None else None
    return result


def to_admin_detail(client: Client, balance: Decimal, api_token: str | None, with_token: bool) -> dict[str, Any]:
    """`admin/client/get`: the row shape, plus `client_group` when in one and the key for those allowed."""
    result = to_admin_api(client, balance)
    if client.group is not None:
        result["client_group"] = {"id": client.group.id, "title": client.group.title}
    if with_token:
        result["api_token"] = api_token
    return result


def to_session(client: Client) -> dict[str, Any]:
    return {"id": client.id, "email": client.email, "name": client.full_name, "role": client.role}


# -- validation -------------------------------------------------------------------------------
def _check_country(value: str | None) -> None:
    if value and pycountry.countries.get(alpha_2=value.upper()) is None:
        raise ApiError(f"Invalid country code: {value}")


def _check_lang(value: str | None) -> None:
    if not value:
        return
    try:
        Locale.parse(value)
    except (ValueError, TypeError, UnknownLocaleError):
        raise ApiError(f"Invalid locale code: {value}") from None


def _check_timezone(value: str | None) -> None:
    if not value:
        return
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ApiError(f"Invalid timezone: {value}") from None


def _check_group(db: Session, group_id: int | None) -> None:
    if group_id is not None and db.get(ClientGroup, group_id) is None:
        raise ApiError("Client group not found")


def _parse_created_at(value: str) -> datetime:
    """A staff-given creation time, read in the install's timezone."""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ApiError("Invalid value for parameter 'created_at': must be a date (YYYY-MM-DD HH:MM:SS)") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=display_timezone())
    return parsed.astimezone(UTC)


def _apply(client: Client, values: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if name in values:
            setattr(client, name, values[name])
    _check_country(client.country if "country" in values else None)
    _check_lang(client.lang if "lang" in values else None)
    _check_timezone(client.timezone if "timezone" in values else None)


def check_passwords(password: str | None, confirm: str | None) -> str:
    if password != confirm or not password:
        raise ApiError(PASSWORDS_DIFFER)
    return password


# -- signup -----------------------------------------------------------------------------------
def check_signup_fields(cfg: ClientConfig, values: dict[str, Any]) -> None:
    """The extra required fields and the required custom fields of the module configuration."""
    for field in cfg.required:
        if _blank(values.get(field)):
            raise ApiError(f"Field {field.replace('_', ' ').title()} cannot be empty")
    for name, spec in cfg.custom_fields.items():
        if name not in CUSTOM_FIELDS or not isinstance(spec, dict):
            continue
        if _flag(spec.get("active")) and _flag(spec.get("required")) and _blank(values.get(name)):
            title = spec.get("title") or name.replace("_", " ").title()
            raise ApiError(f"Field {title} cannot be empty")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def signup(
    db: Session, *, email: str, first_name: str, password: str, values: dict[str, Any], ip: str, dns_check: bool
) -> Client:
    """A client signing itself up: only profile fields are taken; status, group, role are the defaults."""
    email = emails.checked(email, dns=dns_check)
    if email_taken(db, email):
        raise ApiError(EMAIL_TAKEN)
    events.fire(db, "onBeforeClientSignUp", email=email, first_name=first_name, ip=ip)
    client = Client(
        email=email,
        email_normalised=emails.normalise(email),
        first_name=first_name,
        password_hash=passwords.hash_password(password),
        role="client",
        status="active",
        email_approved=False,
        tax_exempt=False,
        client_group_id=None,
        ip=ip,
    )
    _apply(client, values, PROFILE_FIELDS)
    db.add(client)
    db.flush()
    events.fire(db, "onAfterClientSignUp", id=client.id)
    return client


# -- staff CRUD -------------------------------------------------------------------------------
def get(db: Session, client_id: int) -> Client:
    client = db.get(Client, client_id)
    if client is None:
        raise NotFound("Client not found")
    return client


def admin_create(
    db: Session,
    *,
    email: str,
    first_name: str,
    password: str | None,
    group_id: int | None,
    status: str,
    values: dict[str, Any],
    created_at: str | None,
    dns_check: bool,
) -> Client:
    email = emails.checked(email, dns=dns_check)
    if email_taken(db, email):
        raise ApiError(EMAIL_TAKEN)
    _check_group(db, group_id)
    events.fire(db, "onBeforeAdminCreateClient", email=email, first_name=first_name)
    client = Client(
        email=email,
        email_normalised=emails.normalise(email),
        first_name=first_name,
        password_hash=passwords.hash_password(password) if password else None,
        role="client",
        status=status,
        email_approved=False,
        tax_exempt=False,
        client_group_id=group_id,
    )
    _apply(client, values, STAFF_FIELDS)
    if client.billing_email:
        client.billing_email = emails.checked(client.billing_email, dns=dns_check)
    if created_at:
        client.created_at = _parse_created_at(created_at)
    db.add(client)
    db.flush()
    events.fire(db, "onAfterAdminCreateClient", id=client.id)
    return client


def _group_value(raw: Any) -> int | None:
    """`group_id` as staff forms send it: blank removes the group, a number sets it."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if isinstance(raw, bool) or not (
        isinstance(raw, int) or (isinstance(raw, str) and raw.strip().isdigit())
    ):
        raise ApiError(f"Invalid client group ID: {raw}")
    return int(raw)


def admin_update(
    db: Session, client: Client, values: dict[str, Any], *, dns_check: bool,
    end_sessions: Callable[[int], None],
) -> None:
    """Staff edits: only the keys given change. Suspending or canceling ends the client's sessions."""
    if "email" in values and values["email"] is not None:
        email = emails.checked(values["email"], dns=dns_check)
        if email_taken(db, email, except_id=client.id):
            raise ApiError(EMAIL_TAKEN)
        client.email = email
        client.email_normalised = emails.normalise(email)
    if values.get("first_name") is not None:
        client.first_name = values["first_name"]
    for key in ("client_group_id", "group_id"):
        if key in values:
            group_id = _group_value(values[key])
            _check_group(db, group_id)
            client.client_group_id = group_id
    _apply(client, {k: v for k, v in values.items() if k in STAFF_FIELDS}, STAFF_FIELDS)
    if values.get("billing_email"):
        client.billing_email = emails.checked(values["billing_email"], dns=dns_check)
    if values.get("currency") is not None:
        client.currency = values["currency"].upper() or None
    if values.get("email_approved") is not None:
        client.email_approved = bool(values["email_approved"])
    if values.get("tax_exempt") is not None:
        client.tax_exempt = bool(values["tax_exempt"])
    if values.get("created_at"):
        client.created_at = _parse_created_at(values["created_at"])
    status = values.get("status")
    if status is not None and status != client.status:
        client.status = status
        if status != "active":
            end_sessions(client.id)
    db.flush()


def delete_client(db: Session, client: Client) -> None:
    """Remove the client and what is only its own (tokens, login history); its emails stay, unlinked."""
    client_id = client.id
    db.execute(delete(ClientPasswordReset).where(ClientPasswordReset.client_id == client_id))
    db.execute(delete(ClientEmailConfirmation).where(ClientEmailConfirmation.client_id == client_id))
    db.execute(delete(ClientLogin).where(ClientLogin.client_id == client_id))
    # The balance ledger keeps the client's lines, unlinked: money history is never deleted.
    db.execute(update(ClientBalance).where(ClientBalance.client_id == client_id).values(client_id=None))
    db.execute(update(OutboxEmail).where(OutboxEmail.client_id == client_id).values(client_id=None))
    db.delete(client)
    db.flush()


def set_password(db: Session, client: Client, password: str) -> None:
    client.password_hash = passwords.hash_password(password)
    db.flush()


# -- lists ------------------------------------------------------------------------------------
def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=display_timezone()).astimezone(UTC)


def list_query(filters: dict[str, Any], order_by: str, descending: bool, dialect: str) -> Select[Client]:
    """Staff client search: every value is a bound parameter; ordering comes from a fixed list."""
    stmt = select(Client)
    conditions = list_conditions(filters, dialect)
    if conditions:
        stmt = stmt.where(*conditions)
    return stmt.order_by(*list_order(order_by, descending))


def list_order(order_by: str, descending: bool) -> tuple[Any, Any]:
    column = _ORDER_COLUMNS[order_by]
    if descending:
        return column.desc(), Client.id.desc()
    return column.asc(), Client.id.asc()


def list_conditions(filters: dict[str, Any], dialect: str) -> list[Any]:
    conditions: list[Any] = []
    search = (filters.get("search") or "").strip()
    if search:
        if search.isdigit():
            conditions.append(Client.id == int(search))
        else:
            term = search.lower()
            # search_text is stored lower-cased, so a plain LIKE is case-insensitive on every database.
            indexed = search_index.indexed_condition(dialect, term)
            conditions.append(
                indexed if indexed is not None else Client.search_text.like(f"%{_escape_like(term)}%", escape=_ESC)
            )
    for key in ("id", "client_id"):
        if filters.get(key) is not None:
            conditions.append(Client.id == filters[key])
    if filters.get("group_id") is not None:
        conditions.append(Client.client_group_id == filters["group_id"])
    if filters.get("status"):
        conditions.append(Client.status == filters["status"])
    if filters.get("name"):
        like = f"%{_escape_like(filters['name'])}%"
        conditions.append(
            or_(Client.first_name.ilike(like, escape=_ESC), Client.last_name.ilike(like, escape=_ESC))
        )
    if filters.get("company"):
        conditions.append(Client.company.ilike(f"%{_escape_like(filters['company'])}%", escape=_ESC))
    if filters.get("email"):
        conditions.append(Client.email.ilike(f"%{_escape_like(filters['email'])}%", escape=_ESC))
    if filters.get("created_at") is not None:
        start = _day_start(filters["created_at"])
        conditions.append(and_(Client.created_at >= start, Client.created_at < start + timedelta(days=1)))
    if filters.get("date_from") is not None:
        conditions.append(Client.created_at >= _day_start(filters["date_from"]))
    if filters.get("date_to") is not None:
        conditions.append(Client.created_at < _day_start(filters["date_to"]) + timedelta(days=1))
    return conditions


_FIELD_NAMES = (*_BASE_FIELDS, *_ADMIN_FIELDS)
_TABLE = Client.__table__


def _list_column(name: str) -> Any:
    column = _TABLE.c["client_group_id" if name == "group_id" else name]
    # Dates come back as the driver's naive UTC values: the UTC-tagging type costs more than the query.
    return type_coerce(column, DateTime()) if isinstance(column.type, UTCDateTime) else column


# A get_list row: every field in the API's order (so a row zips straight into its dict), then the
# client's balance and the group's title.
_LIST_COLUMNS = [
    *(_list_column(name) for name in _FIELD_NAMES), balance_column(_TABLE.c.id), ClientGroup.__table__.c.title
]


@functools.cache
def _count_statement(indexed_search: bool) -> Select[Any]:
    stmt = select(func.count()).select_from(_TABLE)
    return stmt.where(search_index.INDEXED_CONDITION) if indexed_search else stmt


@functools.cache
def _page_statement(order_by: str, descending: bool, indexed_search: bool) -> Select[Any]:
    """One ordering's page query, built once: per call only its bound values (and other filters) change."""
    stmt = (
        select(*_LIST_COLUMNS)
        .outerjoin(ClientGroup.__table__, ClientGroup.__table__.c.id == _TABLE.c.client_group_id)
        .order_by(*list_order(order_by, descending))
        .limit(bindparam("page_limit"))
        .offset(bindparam("page_offset"))
    )
    return stmt.where(search_index.INDEXED_CONDITION) if indexed_search else stmt


def admin_list(
    db: Session, filters: dict[str, Any], order_by: str, descending: bool, page: PageRequest
) -> dict[str, Any]:
    """`admin/client/get_list` on plain rows (no ORM objects): a count and a page (balances included).

    The statements are Core selects, prebuilt per ordering, run on the session's connection (after
    flushing pending changes, as autoflush would): the ORM layer and statement building cost more
    than the queries themselves here. A search the database can answer from its index is counted and
    paged like any filter; a search that scans reads the matching ids once and counts them here.
    """
    if db.autoflush and (db.new or db.dirty or db.deleted):
        db.flush()
    conn = db.connection()
    dialect = conn.dialect.name
    search = (filters.get("search") or "").strip().lower()
    indexed = search_index.uses_index(dialect, search)
    conditions = list_conditions({**filters, "search": None} if indexed else filters, dialect)
    params: dict[str, Any] = {"page_limit": page.per_page, "page_offset": page.offset}
    if indexed:
        params["search_phrase"] = search_index.phrase(search)
    if search and not indexed:
        order = list_order(order_by, descending)
        ids = conn.execute(select(_TABLE.c.id).where(*conditions).order_by(*order)).scalars().all()
        total, page_ids = len(ids), list(ids[page.offset : page.offset + page.per_page])
        conditions = [_TABLE.c.id.in_(page_ids)] if page_ids else [_TABLE.c.id.is_(None)]
        params["page_offset"] = 0
    else:
        count = _count_statement(indexed)
        total = conn.execute(count.where(*conditions) if conditions else count, params).scalar() or 0
    stmt = _page_statement(order_by, descending, indexed)
    rows = conn.execute(stmt.where(*conditions) if conditions else stmt, params).all()
    fmt = naive_utc_formatter()
    return page_result(page, int(total), [_admin_row(row, fmt) for row in rows])


_ZERO = as_number(Decimal(0))


def _admin_row(row: Any, fmt: Callable[[datetime | None], str | None]) -> dict[str, Any]:
    """One get_list row, already in its JSON forms (dates as text), so the encoder has no hook to call."""
    result = dict(zip(_FIELD_NAMES, row, strict=False))
    result["email_approved"] = bool(result["email_approved"])
    result["tax_exempt"] = bool(result["tax_exempt"])
    result["created_at"] = fmt(result["created_at"])
    result["updated_at"] = fmt(result["updated_at"])
    birthday = result["birthday"]
    result["birthday"] = None if birthday is None else format_date(birthday)
    balance = row[-2]
    result["balance"] = _ZERO if balance is None else as_number(balance)
    result["group"] = row[-1]
    return result


_ORDER_COLUMNS = {
    "id": Client.id,
    "email": Client.email,
    "first_name": Client.first_name,
    "last_name": Client.last_name,
    "company": Client.company,
    "status": Client.status,
    "created_at": Client.created_at,
    "updated_at": Client.updated_at,
}


_ESC = "/"


def _escape_like(value: str) -> str:
    return value.replace(_ESC, _ESC * 2).replace("%", _ESC + "%").replace("_", _ESC + "_")


def pairs(db: Session, search: str | None, limit: int) -> dict[str, str]:
    """`{id: "First Last (Company)"}` for staff pickers, newest first."""
    stmt = list_query({"search": search}, "created_at", True, db.get_bind().dialect.name).limit(limit)
    result: dict[str, str] = {}
    for client in db.scalars(stmt):
        label = client.full_name
        if client.company:
            label = f"{label} ({client.company})"
        result[str(client.id)] = label
    return result


def status_counts(db: Session) -> dict[str, int]:
    rows = db.execute(select(Client.status, func.count()).group_by(Client.status))
    counts = {status: int(count) for status, count in rows}
    result = {"total": sum(counts.values())}
    for status in ("active", "suspended", "canceled"):
        result[status] = int(counts.get(status, 0))
    return result



# -- login history and expired password reminders ----------------------------------------------
def login_history_query(client_id: int | None, search: str | None) -> Select[Any]:
    """Client logins, newest first, with the client they belong to (None once the client is gone)."""
    stmt = select(ClientLogin, Client).outerjoin(Client, Client.id == ClientLogin.client_id)
    if client_id is not None:
        stmt = stmt.where(ClientLogin.client_id == client_id)
    text = (search or "").strip()
    if text:
        if text.isdigit():
            stmt = stmt.where(ClientLogin.client_id == int(text))
        else:
            like = f"%{_escape_like(text)}%"
            names = or_(Client.first_name.ilike(like, escape=_ESC), Client.last_name.ilike(like, escape=_ESC))
            stmt = stmt.where(names)
    return cast("Select[Any]", stmt.order_by(ClientLogin.id.desc()))


def login_to_api(row: Any) -> dict[str, Any]:
    login, client = row
    return {
        "id": login.id,
        "ip": login.ip,
        "created_at": login.created_at,
        "client": {
            "id": login.client_id,
            "first_name": client.first_name if client is not None else None,
            "last_name": client.last_name if client is not None else None,
            "email": client.email if client is not None else None,
        },
    }


def expire_password_reminders(db: Session) -> int:
    """Remove password-reset links past their expiry (a welcome link keeps its week)."""
    result = db.execute(delete(ClientPasswordReset).where(ClientPasswordReset.expires_at <= utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def is_taxable(db: Session, client: Client) -> bool:
    """FOSSBilling's rule until tax rules exist here: the install's `tax_enabled` and not `tax_exempt`."""
    return settings_store.get_bool(db, "tax_enabled") and not client.tax_exempt
