"""Per-module configuration (FOSSBilling's `extension_meta` rows with meta_key `config`).

Modules read their settings here (e.g. client: `disable_signup`, `require_email_confirmation`);
the extension module's `config_get`/`config_save` will edit the same store.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from pybilling.core.clock import utcnow
from pybilling.db.base import Base

CONFIG_KEY = "config"


class ExtensionMeta(Base):
    __tablename__ = "extension_meta"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(index=True)
    extension: Mapped[str] = mapped_column(String(255), index=True)
    rel_type: Mapped[str | None] = mapped_column(String(255))
    rel_id: Mapped[str | None] = mapped_column(String(255))
    meta_key: Mapped[str] = mapped_column(String(255))
    meta_value: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _row(db: Session, module: str) -> ExtensionMeta | None:
    return db.scalar(
        select(ExtensionMeta).where(
            ExtensionMeta.extension == f"mod_{module}", ExtensionMeta.meta_key == CONFIG_KEY
        )
    )


def get_config(db: Session, module: str) -> dict[str, Any]:
    row = _row(db, module)
    if row is None or not row.meta_value:
        return {}
    try:
        value = json.loads(row.meta_value)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def save_config(db: Session, module: str, config: dict[str, Any]) -> None:
    row = _row(db, module)
    if row is None:
        row = ExtensionMeta(extension=f"mod_{module}", meta_key=CONFIG_KEY)
        db.add(row)
    row.meta_value = json.dumps(config)
    db.flush()


def config_flag(db: Session, module: str, key: str, default: bool = False) -> bool:
    value = get_config(db, module).get(key, default)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
