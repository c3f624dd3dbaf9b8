"""Outgoing email: templates rendered into an outbox table; delivery comes with the email module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from pybilling.core.clock import utcnow
from pybilling.db.base import Base

_env = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)


@dataclass(frozen=True)
class EmailTemplate:
    code: str
    subject: str
    body: str


_templates: dict[str, EmailTemplate] = {}


def register_template(code: str, subject: str, body: str) -> None:
    _templates[code] = EmailTemplate(code, subject, body)


def template(code: str) -> EmailTemplate:
    return _templates[code]


class OutboxEmail(Base):
    __tablename__ = "email_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_code: Mapped[str | None] = mapped_column(String(100), index=True)
    to_email: Mapped[str] = mapped_column(String(255), index=True)
    to_name: Mapped[str | None] = mapped_column(String(255))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id", ondelete="SET NULL"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("admin.id", ondelete="SET NULL"), index=True)
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="unsent")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()


def queue_template(
    db: Session,
    code: str,
    *,
    to_email: str,
    to_name: str | None = None,
    client_id: int | None = None,
    staff_id: int | None = None,
    variables: dict[str, Any] | None = None,
) -> OutboxEmail:
    tpl = _templates[code]
    context = dict(variables or {})
    email = OutboxEmail(
        template_code=code,
        to_email=to_email,
        to_name=to_name,
        client_id=client_id,
        staff_id=staff_id,
        subject=_env.from_string(tpl.subject).render(context)[:255],
        body=_env.from_string(tpl.body).render(context),
    )
    db.add(email)
    db.flush()
    return email
