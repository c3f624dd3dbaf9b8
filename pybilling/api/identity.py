"""Who is calling: staff (admin), client or guest — by API key, session cookie, or nobody.

The staff and client modules plug in how their principals are found (`register_principal`),
so this machinery stays free of module specifics.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from sqlalchemy.orm import Session

from pybilling.api.errors import AuthenticationFailed
from pybilling.api.registry import Role
from pybilling.core.crypto import Secrets


class PrincipalLoader(Protocol):
    def by_api_key(self, db: Session, digests: list[str]) -> Any | None:
        """The active principal whose key has one of these digests, else None."""

    def by_id(self, db: Session, principal_id: int) -> Any | None:
        """The principal if it exists and may act (active), else None."""


class StaffAuthorizer(Protocol):
    def can_access_module(self, db: Session, staff: Any, module: str) -> bool: ...

    def has_permission(self, db: Session, staff: Any, permission: str) -> bool: ...


@runtime_checkable
class LazyPrincipal(Protocol):
    """What a loader may return instead of the full record: its id, and how to load the record.

    Most calls only need who is calling and what they may do; the record (an ORM object) is loaded
    the first time a handler asks for it (`Call.staff` / `Call.client`).
    """

    id: int

    def load(self, db: Session) -> Any | None: ...


_principals: dict[str, PrincipalLoader] = {}
_authorizer: list[StaffAuthorizer] = []

# Failure codes FOSSBilling answers with when a key is not found, per role.
_KEY_FAILURE = {"admin": 205, "client": 204}


def register_principal(role: Literal["admin", "client"], loader: PrincipalLoader) -> None:
    _principals[role] = loader


def register_staff_authorizer(authorizer: StaffAuthorizer) -> None:
    _authorizer[:] = [authorizer]


def staff_authorizer() -> StaffAuthorizer:
    return _authorizer[0]


def principal_loader(role: str) -> PrincipalLoader:
    return _principals[role]


@dataclass
class Identity:
    role: Role
    principal: Any = None
    via: Literal["key", "session", "none"] = "none"

    @property
    def principal_id(self) -> int | None:
        return getattr(self.principal, "id", None)


@dataclass(frozen=True)
class BasicCredentials:
    username: str
    password: str


def parse_basic(header: str | None) -> BasicCredentials | None:
    """`Basic base64(user:pass)`; None when absent or not Basic."""
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return BasicCredentials("", "")
    username, _, password = decoded.partition(":")
    return BasicCredentials(username, password)


def authenticate_key(db: Session, secrets: Secrets, role: str, credentials: BasicCredentials) -> Identity:
    """FOSSBilling's Basic checks: 203 wrong role name, 202 empty key, 204/205 unknown or inactive."""
    if credentials.username != role:
        raise AuthenticationFailed(203)
    if credentials.password == "":
        raise AuthenticationFailed(202)
    principal = _principals[role].by_api_key(db, secrets.api_key_digests(credentials.password))
    if principal is None:
        raise AuthenticationFailed(_KEY_FAILURE[role])
    return Identity(role, principal, "key")  # type: ignore[arg-type]
