"""guest/client/reset_password and update_password, end to end through the outbox email."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from pybilling.core.clock import frozen_clock, utcnow
from pybilling.core.crypto import sha256_hex
from pybilling.modules.client.models import ClientPasswordReset
from tests.helpers import Caller

EXPIRED = "The link has expired or you have already reset your password."
NEW_PASSWORD = "Brand-New-Pass-42"


def _token(outbox: Any, email: str) -> str:
    mails = outbox(email, "mod_client_password_reset_request")
    assert mails, "no reset email queued"
    match = re.search(r"/client/reset-password-confirm/([A-Za-z0-9_-]+)", mails[-1].body)
    assert match
    return match.group(1)


def _login(http: Any, email: str, password: str) -> Caller:
    Caller(http, "guest")("client/login", email=email, password=password).ok()
    caller = Caller(http, "client")
    caller.csrf = http.cookies.get("csrf_token")
    return caller


def test_reset_flow_end_to_end(guest: Caller, make_client: Any, outbox: Any, db: Any, services: Any) -> None:
    account = make_client()
    from starlette.testclient import TestClient

    from pybilling.app import create_app

    with TestClient(create_app(services=services)) as browser:
        session = _login(browser, account.email, account.password)
        assert session("client/resend_email_verification").ok() is True

        assert guest("client/reset_password", email=account.email).ok() is True
        token = _token(outbox, account.email)
        with db.begin():
            row = db.scalar(select(ClientPasswordReset).where(ClientPasswordReset.client_id == account.id))
            assert row.token_hash == sha256_hex(token)  # only the hash is stored
        guest(
            "client/update_password", hash=token, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD
        ).ok()
        # The old session is gone, the old password too; the new one works.
        session("client/resend_email_verification").fails(code=201, status=401)
    guest("client/login", email=account.email, password=account.password).fails(code=401)
    guest("client/login", email=account.email, password=NEW_PASSWORD).ok()
    assert outbox(account.email, "mod_client_password_reset_information")
    # Single use.
    guest("client/update_password", hash=token, password="Again-123-x", password_confirm="Again-123-x").fails(EXPIRED)


def test_reset_password_answers_true_for_unknown_emails(guest: Caller, outbox: Any) -> None:
    assert guest("client/reset_password", email="nobody-here@example.com").ok() is True
    assert outbox("nobody-here@example.com") == []


def test_reset_password_required_param(guest: Caller) -> None:
    guest("client/reset_password").fails("Email required")


def test_a_new_request_voids_the_older_token(guest: Caller, make_client: Any, outbox: Any) -> None:
    account = make_client()
    guest("client/reset_password", email=account.email).ok()
    first = _token(outbox, account.email)
    guest("client/reset_password", email=account.email).ok()
    second = _token(outbox, account.email)
    assert first != second
    guest("client/update_password", hash=first, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).fails(EXPIRED)
    guest("client/update_password", hash=second, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).ok()


def test_expired_token(guest: Caller, make_client: Any, outbox: Any) -> None:
    account = make_client()
    guest("client/reset_password", email=account.email).ok()
    token = _token(outbox, account.email)
    with frozen_clock(utcnow() + timedelta(minutes=16)):
        guest("client/update_password", hash=token, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).fails(
            EXPIRED
        )


def test_update_password_errors(guest: Caller, make_client: Any, outbox: Any) -> None:
    guest("client/update_password", password="a", password_confirm="a").fails("No Hash provided")
    guest("client/update_password", hash="x", password_confirm="a").fails("Password required")
    guest("client/update_password", hash="x", password="a").fails("Password confirmation required")
    guest("client/update_password", hash="made-up", password="Aa-123456", password_confirm="Aa-123456").fails(EXPIRED)
    account = make_client()
    guest("client/reset_password", email=account.email).ok()
    token = _token(outbox, account.email)
    guest("client/update_password", hash=token, password="Aa-123456", password_confirm="Bb-123456").fails(
        "Passwords do not match"
    )
    # A mismatch does not use the token up.
    guest("client/update_password", hash=token, password="Aa-123456", password_confirm="Aa-123456").ok()


def test_reset_limits_fail_silently(guest: Caller, make_client: Any, outbox: Any, db: Any) -> None:
    account = make_client()
    answers = [guest("client/reset_password", email=account.email) for _ in range(5)]
    assert [a.ok() for a in answers] == [True] * 5
    # client_password_reset_email allows 3 an hour: the later requests answer true and send nothing.
    assert len(outbox(account.email, "mod_client_password_reset_request")) == 3
    with db.begin():
        assert db.scalar(select(func.count()).select_from(ClientPasswordReset)
                         .where(ClientPasswordReset.client_id == account.id)) == 1


def test_update_password_rate_limit(guest: Caller) -> None:
    for _ in range(20):
        guest("client/update_password", hash="bad", password="Aa-123456", password_confirm="Aa-123456").fails(EXPIRED)
    answer = guest("client/update_password", hash="bad", password="Aa-123456", password_confirm="Aa-123456")
    answer.fails("Rate limit exceeded. Please try again later.", code=429, status=429)
    assert answer.headers["Retry-After"]
