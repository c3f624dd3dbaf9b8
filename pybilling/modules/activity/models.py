"""The system log (`activity_system`) and the copy of every email sent to a client (`activity_client_email`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pybilling.core.clock import utcnow
from pybilling.db.base import Base

# Box_Log priorities (syslog): lower is more severe.
EMERG, ALERT, CRIT, ERR, WARN, NOTICE, INFO, DEBUG = range(8)


class ActivitySystem(Base):
    __tablename__ = "activity_system"

    id: Mapped[int] = mapped_column(primary_key=True)
    priority: Mapped[int | None] = mapped_column(SmallInteger)
    admin_id: Mapped[int | None] = mapped_column(index=True)
    client_id: Mapped[int | None] = mapped_column(index=True)
    message: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActivityClientEmail(Base):
    __tablename__ = "activity_client_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(index=True)
    sender: Mapped[str | None] = mapped_column(String(255))
    recipients: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(String(255))
    content_html: Mapped[str | None] = mapped_column(Text)
    content_text: Mapped[str | None] = mapped_column(Text)
    attachment_name: Mapped[str | None] = mapped_column(String(255))
    attachment_content: Mapped[bytes | None] = mapped_column(LargeBinary)
    attachment_mime: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
