"""Client rules that other parts rely on: finding clients for identities and uniqueness of emails."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.core import emails
from pybilling.modules.client.models import Client


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
