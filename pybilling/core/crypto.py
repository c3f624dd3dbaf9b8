"""Purpose keys derived from the secret key: API-key lookup HMAC, API-key encryption, session ids."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_ALPHABET = string.ascii_letters + string.digits


def derive(secret: str, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pybilling", info=purpose.encode()).derive(
        secret.encode()
    )


def random_token(length: int = 32) -> str:
    """FOSSBilling-style key: `length` characters of [A-Za-z0-9]."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class Secrets:
    """All uses of the secret key; old keys (rotation) still verify and decrypt."""

    def __init__(self, secret_key: str, old_keys: list[str] | None = None):
        keys = [secret_key, *(old_keys or [])]
        self._hmac_keys = [derive(k, "api-key-lookup") for k in keys]
        self._fernet = MultiFernet(
            [Fernet(base64.urlsafe_b64encode(derive(k, "api-key-encryption"))) for k in keys]
        )
        self._session_key = derive(secret_key, "session-id")

    def api_key_digest(self, key: str) -> str:
        return hmac.new(self._hmac_keys[0], key.encode(), hashlib.sha256).hexdigest()

    def api_key_digests(self, key: str) -> list[str]:
        """Digests under the current and every old key, for lookups during rotation."""
        return [hmac.new(k, key.encode(), hashlib.sha256).hexdigest() for k in self._hmac_keys]

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str | None:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except (InvalidToken, ValueError):
            return None

    def session_id_hash(self, session_id: str) -> str:
        return hmac.new(self._session_key, session_id.encode(), hashlib.sha256).hexdigest()
