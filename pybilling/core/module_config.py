"""Per-module configuration (FOSSBilling's `extension_meta` rows with meta_key `config`).

Modules read their settings here (e.g. client: `disable_signup`, `require_email_confirmation`);
the extension module's `config_get`/`config_save` will edit the same store.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from pybilling.core.clock import utcnow
from pybilling.db.base import Base

CONFIG_KEY = "config"
# A value whose key contains one of these is stored encrypted when a cipher is given (config_save does).
SECRET_MARKERS = ("password", "secret", "api_key", "token", "key")
ENCRYPTED_PREFIX = "enc:"


class Cipher(Protocol):
    """What `core.crypto.Secrets` offers: symmetric encryption of short strings."""

    def encrypt(self, plain: str) -> str: ...

    def decrypt(self, token: str) -> str | None: ...


def is_secret(name: str) -> bool:
    lowered = name.lower()
    return any(marker in lowered for marker in SECRET_MARKERS)


def _seal(config: dict[str, Any], cipher: Cipher) -> dict[str, Any]:
    sealed: dict[str, Any] = {}
    for name, value in config.items():
        if isinstance(value, dict):
            sealed[name] = _seal(value, cipher)
        elif is_secret(name) and value is not None:
            sealed[name] = ENCRYPTED_PREFIX + cipher.encrypt(json.dumps(value))
        else:
            sealed[name] = value
    return sealed


def _unseal(config: dict[str, Any], cipher: Cipher) -> dict[str, Any]:
    opened: dict[str, Any] = {}
    for name, value in config.items():
        if isinstance(value, dict):
            opened[name] = _unseal(value, cipher)
        elif isinstance(value, str) and value.startswith(ENCRYPTED_PREFIX):
            plain = cipher.decrypt(value[len(ENCRYPTED_PREFIX):])
            opened[name] = None if plain is None else json.loads(plain)
        else:
            opened[name] = value
    return opened


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


def get_config(db: Session, module: str, cipher: Cipher | None = None) -> dict[str, Any]:
    """The module's settings; with `cipher`, secret values come back decrypted (else still sealed)."""
    row = _row(db, module)
    if row is None or not row.meta_value:
        return {}
    try:
        value = json.loads(row.meta_value)
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return _unseal(value, cipher) if cipher is not None else value


def save_config(db: Session, module: str, config: dict[str, Any], cipher: Cipher | None = None) -> None:
    """Replace the module's settings; with `cipher`, values of secret-named keys are stored encrypted."""
    row = _row(db, module)
    if row is None:
        row = ExtensionMeta(extension=f"mod_{module}", meta_key=CONFIG_KEY)
        db.add(row)
    row.meta_value = json.dumps(_seal(config, cipher) if cipher is not None else config)
    db.flush()


def config_flag(db: Session, module: str, key: str, default: bool = False) -> bool:
    value = get_config(db, module).get(key, default)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
