"""The `extension` table: which optional modules (and, in FOSSBilling, themes, gateways…) are on."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pybilling.db.base import Base

TYPE_MOD = "mod"
STATUS_INSTALLED = "installed"
STATUS_DEACTIVATED = "deactivated"


class Extension(Base):
    __tablename__ = "extension"
    __table_args__ = (UniqueConstraint("type", "name", name="uq_extension_type_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[str | None] = mapped_column(String(100))
