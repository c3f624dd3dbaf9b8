"""Clients, client groups, and the tokens of their password resets and email confirmations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pybilling.core.clock import utcnow
from pybilling.db.base import Base, Money
from pybilling.modules.client import search_index

STATUSES = ("active", "suspended", "canceled")
CUSTOM_FIELDS = tuple(f"custom_{i}" for i in range(1, 21))


class ClientGroup(Base):
    __tablename__ = "client_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Client(Base):
    __tablename__ = "client"

    id: Mapped[int] = mapped_column(primary_key=True)
    aid: Mapped[str | None] = mapped_column(String(255))
    client_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("client_group.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[str] = mapped_column(String(30), default="client")
    auth_type: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(255))
    email_normalised: Mapped[str] = mapped_column(String(255), unique=True)
    billing_email: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str | None] = mapped_column("pass", String(255))
    status: Mapped[str] = mapped_column(String(30), default="active", index=True)
    email_approved: Mapped[bool] = mapped_column(default=False)
    tax_exempt: Mapped[bool] = mapped_column(default=False)
    type: Mapped[str | None] = mapped_column(String(100))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    gender: Mapped[str | None] = mapped_column(String(20))
    birthday: Mapped[date | None] = mapped_column()
    phone_cc: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(100))
    company: Mapped[str | None] = mapped_column(String(100))
    company_vat: Mapped[str | None] = mapped_column(String(100))
    company_number: Mapped[str | None] = mapped_column(String(255))
    address_1: Mapped[str | None] = mapped_column(String(100))
    address_2: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str | None] = mapped_column(String(10))
    lang: Mapped[str | None] = mapped_column(String(10))
    timezone: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(45))
    api_key_hmac: Mapped[str | None] = mapped_column(String(64), unique=True)
    api_key_encrypted: Mapped[str | None] = mapped_column(Text)
    referred_by: Mapped[str | None] = mapped_column(String(255))
    custom_1: Mapped[str | None] = mapped_column(Text)
    custom_2: Mapped[str | None] = mapped_column(Text)
    custom_3: Mapped[str | None] = mapped_column(Text)
    custom_4: Mapped[str | None] = mapped_column(Text)
    custom_5: Mapped[str | None] = mapped_column(Text)
    custom_6: Mapped[str | None] = mapped_column(Text)
    custom_7: Mapped[str | None] = mapped_column(Text)
    custom_8: Mapped[str | None] = mapped_column(Text)
    custom_9: Mapped[str | None] = mapped_column(Text)
    custom_10: Mapped[str | None] = mapped_column(Text)
    custom_11: Mapped[str | None] = mapped_column(Text)
    custom_12: Mapped[str | None] = mapped_column(Text)
    custom_13: Mapped[str | None] = mapped_column(Text)
    custom_14: Mapped[str | None] = mapped_column(Text)
    custom_15: Mapped[str | None] = mapped_column(Text)
    custom_16: Mapped[str | None] = mapped_column(Text)
    custom_17: Mapped[str | None] = mapped_column(Text)
    custom_18: Mapped[str | None] = mapped_column(Text)
    custom_19: Mapped[str | None] = mapped_column(Text)
    custom_20: Mapped[str | None] = mapped_column(Text)
    # Lower-cased name, email, company, aid and phone in one column: staff search is one LIKE, not seven.
    search_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # Lists are newest first (created_at, then id): this index gives that order without a sort, also on
    # PostgreSQL, whose indexes (unlike SQLite's and InnoDB's) do not end with the primary key.
    __table_args__ = (Index("ix_client_created_at_id", "created_at", "id"),)

    group: Mapped[ClientGroup | None] = relationship(lazy="joined")

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class ClientLogin(Base):
    """A client login (FOSSBilling's `activity_client_history`)."""

    __tablename__ = "activity_client_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ClientPasswordReset(Base):
    __tablename__ = "client_password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column("hash", String(100), unique=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class ClientEmailConfirmation(Base):
    __tablename__ = "client_email_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class ClientBalance(Base):
    """One line of a client's credit ledger. Lines are only ever added: a void is a reversing line.

    The balance is the SUM of a client's lines. A void adds a line of the opposite amount whose
    `reverses_id` names the voided line (unique, so a line can be voided once); lists hide both.
    """

    __tablename__ = "client_balance"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept (unlinked) when the client is deleted: the money trail stays.
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id", ondelete="SET NULL"), index=True)
    type: Mapped[str | None] = mapped_column(String(100))
    rel_id: Mapped[str | None] = mapped_column(String(20))
    amount: Mapped[Money] = mapped_column()
    description: Mapped[str | None] = mapped_column(Text)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("client_balance.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


SEARCHED_FIELDS = ("first_name", "last_name", "email", "company", "aid", "phone")


def search_text_of(values: dict[str, str | None]) -> str:
    """What staff search matches: "first last" then each other field, one per line, lower-cased."""
    name = f"{values.get('first_name') or ''} {values.get('last_name') or ''}"
    others = (values.get(field) or "" for field in SEARCHED_FIELDS[2:])
    return "\n".join((name, *others)).lower()


# The search index lives beside the table (FTS5 on SQLite, pg_trgm on PostgreSQL): see search_index.
event.listen(Client.__table__, "after_create", search_index.on_create)


@event.listens_for(Client, "before_insert")
@event.listens_for(Client, "before_update")
def _refresh_search_text(_mapper: object, _connection: object, client: Client) -> None:
    client.search_text = search_text_of({field: getattr(client, field) for field in SEARCHED_FIELDS})
