"""API keys stored as a keyed HMAC (for lookup) plus the key encrypted (so its owner can read it)."""

from __future__ import annotations

from typing import Protocol

from pybilling.core.crypto import Secrets, random_token


class HasApiKey(Protocol):
    api_key_hmac: str | None
    api_key_encrypted: str | None


def issue(secrets: Secrets, owner: HasApiKey) -> str:
    """Give `owner` a new 32-character key (the old one stops working at once) and return it."""
    key = random_token(32)
    owner.api_key_hmac = secrets.api_key_digest(key)
    owner.api_key_encrypted = secrets.encrypt(key)
    return key


def reveal(secrets: Secrets, owner: HasApiKey) -> str | None:
    if not owner.api_key_encrypted:
        return None
    return secrets.decrypt(owner.api_key_encrypted)


def revoke(owner: HasApiKey) -> None:
    owner.api_key_hmac = None
    owner.api_key_encrypted = None
