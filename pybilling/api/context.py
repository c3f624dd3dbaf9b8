"""What a handler gets: the database session, the caller, the request facts and app services."""

from __future__ import annotations

import secrets as pysecrets
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import Response

from pybilling.api.errors import ApiError
from pybilling.api.identity import Identity, LazyPrincipal
from pybilling.config import Settings
from pybilling.core import settings_store
from pybilling.core.crypto import Secrets
from pybilling.core.events import Event, events
from pybilling.core.ratelimit import RateLimitService
from pybilling.core.sessions import SessionData, SessionStore, new_session_data

SESSION_COOKIE = "pybilling_session"
CSRF_COOKIES = ("csrf_token", "fossbilling_csrf")


@dataclass
class AppServices:
    """Process-wide parts, made once by `create_app`."""

    settings: Settings
    secrets: Secrets
    ratelimit: RateLimitService
    sessions: SessionStore
    session_factory: sessionmaker[Session]


@dataclass
class RequestInfo:
    ip: str
    user_agent: str
    https: bool
    url: str
    session_cookie: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass
class CookieChange:
    name: str
    value: str
    max_age: int | None
    http_only: bool
    same_site: str


@dataclass
class Effects:
    """What the handler wants added to the HTTP answer."""

    cookies: list[CookieChange] = field(default_factory=list)
    response: Response | None = None  # a raw answer (CSV, redirect) instead of the envelope
    login_time_floor: bool = False
    # Writes kept even when the call fails and its transaction rolls back (failed-login records).
    after_failure: list[Callable[[Session], None]] = field(default_factory=list)


class Call:
    """One API call. Its database session opens on first use: a call answered from memory (a guest
    call reading cached settings) never opens one."""

    def __init__(self, services: AppServices, request: RequestInfo, identity: Identity):
        self._db: Session | None = None
        self.services = services
        self.request = request
        self.identity = identity
        self.effects = Effects()
        self._session: SessionData | None = None
        self._session_loaded = False

    @property
    def db(self) -> Session:
        if self._db is None:
            self._db = self.services.session_factory()
        return self._db

    @property
    def opened_db(self) -> Session | None:
        return self._db

    def param(self, name: str, default: str | None = None) -> str | None:
        """An install setting: from the settings cache while it is fresh, without opening a session."""
        rows = settings_store.fresh_copy(self.services.session_factory) if self._db is None else None
        if rows is not None:
            return settings_store.value_in(rows, name, default)
        return settings_store.get_param(self.db, name, default)

    # -- who is calling --------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def staff(self) -> Any:
        return self._principal_record("admin", "Admin identity not found")

    @property
    def client(self) -> Any:
        return self._principal_record("client", "Client identity not found")

    def _principal_record(self, role: str, missing: str) -> Any:
        principal = self.identity.principal
        if self.identity.role != role or principal is None:
            raise ApiError(missing)
        if isinstance(principal, LazyPrincipal):  # load the record once, on first use
            principal = principal.load(self.db)
            if principal is None:
                raise ApiError(missing)
            self.identity.principal = principal
        return principal

    # -- events and limits -------------------------------------------------------------------
    def fire(self, name: str, **params: Any) -> Event:
        return events.fire(self.db, name, **params)

    def rate_limit(self, policy: str, subject: str | None = None) -> None:
        self.services.ratelimit.hit(policy, subject or self.request.ip, ip=self.request.ip)

    def rate_limit_silent(self, policy: str, subject: str | None = None) -> bool:
        return self.services.ratelimit.consume(policy, subject or self.request.ip, ip=self.request.ip)

    # -- the browser session -----------------------------------------------------------------
    @property
    def web_session(self) -> SessionData | None:
        if not self._session_loaded:
            self._session_loaded = True
            cookie = self.request.session_cookie
            if cookie:
                key = self.services.secrets.session_id_hash(cookie)
                self._session = self.services.sessions.load(self.db, key)
        return self._session

    def _set_cookie(self, name: str, value: str, max_age: int | None, http_only: bool, same_site: str) -> None:
        self.effects.cookies.append(CookieChange(name, value, max_age, http_only, same_site))

    def start_session(
        self, *, staff_id: int | None = None, client_id: int | None = None, fresh: bool = False
    ) -> SessionData:
        """Log an identity into a new session (the id rotates; an identity of the other area stays).

        `fresh=True` leaves any session the request's cookie names alone (neither merged nor ended):
        for an API-key call that hands out a new session (`admin/client/login`).
        """
        previous = None if fresh else self.web_session
        if previous is not None:
            staff_id = staff_id if staff_id is not None else previous.staff_id
            client_id = client_id if client_id is not None else previous.client_id
            self.services.sessions.delete(self.db, previous.key)
        raw_id = pysecrets.token_urlsafe(32)
        lifetime = self.settings.session_lifetime
        session = new_session_data(
            self.services.secrets.session_id_hash(raw_id), lifetime, staff_id=staff_id, client_id=client_id
        )
        self.services.sessions.save(self.db, session)
        self._session, self._session_loaded = session, True
        self._set_cookie(SESSION_COOKIE, raw_id, lifetime, True, "lax")
        for name in CSRF_COOKIES:
            self._set_cookie(name, session.csrf_token, lifetime, False, "strict")
        return session

    def end_session_identity(self, role: str) -> None:
        """Logout of one area: drop that identity; the session goes when nothing is left in it."""
        session = self.web_session
        if session is None:
            return
        if role == "admin":
            session.staff_id = None
        else:
            session.client_id = None
        if session.staff_id is None and session.client_id is None:
            self.services.sessions.delete(self.db, session.key)
            self._session = None
            self._set_cookie(SESSION_COOKIE, "", 0, True, "lax")
            for name in CSRF_COOKIES:
                self._set_cookie(name, "", 0, False, "strict")
        else:
            self.start_session(staff_id=session.staff_id, client_id=session.client_id)

    def destroy_sessions(self, *, staff_id: int | None = None, client_id: int | None = None) -> int:
        """Delete every session of one identity (the caller's own included)."""
        return self.services.sessions.delete_for(self.db, staff_id=staff_id, client_id=client_id)

    def destroy_other_sessions(self, *, staff_id: int | None = None, client_id: int | None = None) -> None:
        """After a password change: end all sessions of the identity except the one making the call."""
        current = self.web_session
        self.destroy_sessions(staff_id=staff_id, client_id=client_id)
        if current is not None and self.identity.via == "session":
            self.services.sessions.save(self.db, current)


def parse_cookie_header(header: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:   # noqa: BLE001 - a malformed cookie header means no cookies
        return {}
    return {key: morsel.value for key, morsel in jar.items()}
