"""guest/client/login: sessions, one answer for every failure, events, rehashing."""

from __future__ import annotations

from typing import Any

import bcrypt
from sqlalchemy import select

from pybilling.core.events import events
from pybilling.modules.client.models import Client, ClientLogin
from tests.helpers import Caller

FAILED = "Please check your login details."


def _session_caller(http: Any) -> Caller:
    caller = Caller(http, "client")
    caller.csrf = http.cookies.get("csrf_token")
    return caller


def test_login_starts_a_session_and_returns_the_session_shape(
    guest: Caller, http: Any, make_client: Any, db: Any
) -> None:
    account = make_client(first_name="Grace", last_name="Hopper")
    result = guest("client/login", email=account.email.upper(), password=account.password).ok()
    assert result == {"id": account.id, "email": account.email, "name": "Grace Hopper", "role": "client"}
    assert http.cookies.get("pybilling_session")
    assert _session_caller(http)("client/resend_email_verification").ok() is True
    with db.begin():
        rows = db.scalars(select(ClientLogin).where(ClientLogin.client_id == account.id)).all()
    assert len(rows) == 1


def test_login_required_params(guest: Caller) -> None:
    guest("client/login", password="x").fails("Email required")
    guest("client/login", email="a@example.com").fails("Password required")


def test_login_failures_answer_alike(guest: Caller, http: Any, make_client: Any) -> None:
    active = make_client()
    suspended = make_client(status="suspended")
    canceled = make_client(status="canceled")
    answers = [
        guest("client/login", email="nobody@example.com", password="Whatever-123"),
        guest("client/login", email=active.email, password="wrong-password"),
        guest("client/login", email=suspended.email, password=suspended.password),
        guest("client/login", email=canceled.email, password=canceled.password),
    ]
    for answer in answers:
        answer.fails(FAILED, code=401, status=200)
    assert {str(a.body) for a in answers} == {str(answers[0].body)}
    assert http.cookies.get("pybilling_session") is None


def test_failed_login_event_is_kept_although_the_call_fails(guest: Caller, make_client: Any) -> None:
    account = make_client()
    seen: list[str] = []

    def listen(event: Any) -> None:
        if event.name.endswith("ClientLogin") or event.name == "onEventClientLoginFailed":
            seen.append(event.name)

    events.on_any(listen)
    try:
        guest("client/login", email=account.email, password="nope").fails(FAILED, code=401)
        guest("client/login", email=account.email, password=account.password).ok()
    finally:
        events.off(listen)
    assert seen == ["onBeforeClientLogin", "onEventClientLoginFailed", "onBeforeClientLogin", "onAfterClientLogin"]


def test_login_rehashes_an_imported_bcrypt_hash(guest: Caller, make_client: Any, db: Any, stored: Any) -> None:
    account = make_client()
    php_hash = bcrypt.hashpw(b"Imported-Pass-1", bcrypt.gensalt(rounds=4)).decode().replace("$2b$", "$2y$", 1)
    with db.begin():
        db.get(Client, account.id).password_hash = php_hash
    guest("client/login", email=account.email, password="Imported-Pass-1").ok()
    assert stored(account.id).password_hash.startswith("$argon2")
    guest("client/login", email=account.email, password="Imported-Pass-1").ok()


def test_login_unknown_email_spends_a_dummy_hash_check(guest: Caller, monkeypatch: Any) -> None:
    from pybilling.core import passwords

    calls: list[int] = []
    real = passwords.dummy_verify
    monkeypatch.setattr(passwords, "dummy_verify", lambda: calls.append(1) or real())
    guest("client/login", email="ghost@example.com", password="x").fails(FAILED, code=401)
    assert calls == [1]


def test_login_is_a_guest_method(make_client: Any) -> None:
    account = make_client()
    account.api("client/login", email=account.email, password=account.password).fails(
        "Client API call login does not exist in module client", code=740, status=404
    )
