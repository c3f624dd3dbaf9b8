"""Password hashing: argon2id for new hashes; bcrypt (incl. PHP's `$2y$`) verified for imports."""

from __future__ import annotations

import contextlib

import bcrypt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hashers = {
    "normal": PasswordHasher(),
    # The suite hashes thousands of passwords; this keeps argon2id, only cheaper.
    "low": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}
_hasher = _hashers["normal"]
_DUMMY_HASH = _hasher.hash("pybilling-dummy-password")


def configure(cost: str) -> None:
    global _hasher, _DUMMY_HASH
    _hasher = _hashers.get(cost, _hashers["normal"])
    _DUMMY_HASH = _hasher.hash("pybilling-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    if not hashed:
        dummy_verify()
        return False
    if hashed.startswith(("$2y$", "$2a$", "$2b$")):
        candidate = "$2b$" + hashed[4:]
        try:
            return bcrypt.checkpw(password.encode(), candidate.encode())
        except ValueError:
            return False
    try:
        return _hasher.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def dummy_verify() -> None:
    """Spend the time a real check would, so unknown accounts answer like known ones."""
    with contextlib.suppress(VerifyMismatchError):
        _hasher.verify(_DUMMY_HASH, "not-the-password")


def needs_rehash(hashed: str) -> bool:
    if hashed.startswith("$2"):
        return True
    try:
        return _hasher.check_needs_rehash(hashed)
    except InvalidHashError:
        return True
