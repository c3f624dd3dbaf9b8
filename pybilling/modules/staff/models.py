"""Staff members (FOSSBilling's `admin`), their groups, memberships, logins and reset tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pybilling.core.clock import utcnow
from pybilling.db.base import Base

SUPER_ADMIN = "super_admin"
STATUSES = ("active", "inactive")


class StaffGroup(Base):
    __tablename__ = "admin_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    system_name: Mapped[str | None] = mapped_column(String(100), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("admin_group.id", ondelete="RESTRICT"))
    permissions: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    protected: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Staff(Base):
    __tablename__ = "admin"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_name: Mapped[str | None] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(30), default="admin")
    email: Mapped[str] = mapped_column(String(255))
    email_normalised: Mapped[str] = mapped_column(String(255), unique=True)
    password_hash: Mapped[str | None] = mapped_column("pass", String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    signature: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(30), default="active")
    api_key_hmac: Mapped[str | None] = mapped_column(String(64), unique=True)
    api_key_encrypted: Mapped[str | None] = mapped_column(Text)
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    groups: Mapped[list[StaffGroup]] = relationship(
        secondary="admin_group_member", order_by="StaffGroup.id", lazy="selectin", viewonly=True
    )


class StaffGroupMember(Base):
    __tablename__ = "admin_group_member"
    __table_args__ = (UniqueConstraint("admin_id", "admin_group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    admin_id: Mapped[int] = mapped_column(ForeignKey("admin.id", ondelete="CASCADE"), index=True)
    admin_group_id: Mapped[int] = mapped_column(ForeignKey("admin_group.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StaffLogin(Base):
    """A staff login (FOSSBilling's `activity_admin_history`)."""

    __tablename__ = "activity_admin_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    admin_id: Mapped[int | None] = mapped_column(ForeignKey("admin.id", ondelete="CASCADE"), index=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class StaffPasswordReset(Base):
    __tablename__ = "admin_password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    admin_id: Mapped[int] = mapped_column(ForeignKey("admin.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column("hash", String(100), unique=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
