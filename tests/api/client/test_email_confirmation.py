"""Email confirmation: the signup link, the web route, resending, and the guard on unconfirmed clients."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from pybilling.core.clock import frozen_clock, utcnow
from tests.api.client.conftest import PASSWORD, signup
from tests.helpers import Caller, unique_email

CONFIRM_FIRST = "Please check your mailbox and confirm your email address."


def _link_token(body: str) -> str:
    match = re.search(r"/client/confirm-email/([A-Za-z0-9_-]+)", body)
    assert match, body
    return match.group(1)


def _signed_up(guest: Caller, http: Any, outbox: Any) -> tuple[int, str, Caller]:
    email = unique_email("confirm")
    client_id = signup(guest, email=email).ok()
    guest("client/login", email=email, password=PASSWORD).ok()
    session = Caller(http, "client")
    session.csrf = http.cookies.get("csrf_token")
    return client_id, email, session


def test_confirmation_flow_through_the_web_route(
    guest: Caller, http: Any, client_config: Any, outbox: Any, stored: Any
) -> None:
    client_id, email, session = _signed_up_confirming(guest, http, client_config, outbox)
    # Unconfirmed: other modules refuse, the client and profile modules stay open.
    session("invoice/get_list").fails(CONFIRM_FIRST, code=403, status=403)
    session("client/resend_email_verification").ok()
    token = _link_token(outbox(email, "mod_client_confirm")[-1].body)

    page = http.get(f"/client/confirm-email/{token}", follow_redirects=False)
    assert page.status_code in (302, 303)
    assert page.headers["location"].endswith("/client?email_confirmed=1")
    assert stored(client_id).email_approved is True
    # The guard lets the client through now (the module itself does not exist yet: 715/740, not 403).
    assert session("invoice/get_list").code != 403
    # The link was single use.
    again = http.get(f"/client/confirm-email/{token}", follow_redirects=False)
    assert again.headers["location"].endswith("/client?email_confirmed=0")


def _signed_up_confirming(guest: Caller, http: Any, client_config: Any, outbox: Any) -> tuple[int, str, Caller]:
    client_config(require_email_confirmation=True)
    client_id, email, session = _signed_up(guest, http, outbox)
    [mail] = outbox(email, "mod_client_signup")
    assert "/client/confirm-email/" in mail.body
    return client_id, email, session


def test_signup_link_confirms(guest: Caller, http: Any, client_config: Any, outbox: Any, stored: Any) -> None:
    client_id, email, _ = _signed_up_confirming(guest, http, client_config, outbox)
    token = _link_token(outbox(email, "mod_client_signup")[0].body)
    page = http.get(f"/client/confirm-email/{token}", follow_redirects=False)
    assert page.headers["location"].endswith("email_confirmed=1")
    assert stored(client_id).email_approved is True


def test_resend_voids_older_links(guest: Caller, http: Any, client_config: Any, outbox: Any, stored: Any) -> None:
    client_id, email, session = _signed_up_confirming(guest, http, client_config, outbox)
    first = _link_token(outbox(email, "mod_client_signup")[0].body)
    assert session("client/resend_email_verification").ok() is True
    second = _link_token(outbox(email, "mod_client_confirm")[-1].body)
    assert http.get(f"/client/confirm-email/{first}", follow_redirects=False).headers["location"].endswith("=0")
    assert stored(client_id).email_approved is False
    assert http.get(f"/client/confirm-email/{second}", follow_redirects=False).headers["location"].endswith("=1")


def test_expired_and_bogus_links(guest: Caller, http: Any, client_config: Any, outbox: Any, stored: Any) -> None:
    client_id, email, _ = _signed_up_confirming(guest, http, client_config, outbox)
    token = _link_token(outbox(email, "mod_client_signup")[0].body)
    with frozen_clock(utcnow() + timedelta(days=4)):
        page = http.get(f"/client/confirm-email/{token}", follow_redirects=False)
    assert page.headers["location"].endswith("email_confirmed=0")
    for bogus in ("nope", "x" * 500, "%00%27--"):
        page = http.get(f"/client/confirm-email/{bogus}", follow_redirects=False)
        assert page.status_code in (302, 303)
        assert page.headers["location"].endswith("email_confirmed=0")
    assert stored(client_id).email_approved is False


def test_confirm_route_rate_limit(http: Any) -> None:
    for _ in range(20):
        assert http.get("/client/confirm-email/bad", follow_redirects=False).status_code == 303
    page = http.get("/client/confirm-email/bad", follow_redirects=False)
    assert page.status_code == 429
    assert int(page.headers["Retry-After"]) > 0


def test_guard_applies_to_api_keys_too(make_client: Any, client_config: Any) -> None:
    account = make_client()  # made unconfirmed
    assert account.api("order/get_list").code != 403  # confirmation not required yet
    client_config(require_email_confirmation=True)
    account.api("order/get_list").fails(CONFIRM_FIRST, code=403, status=403)
    account.api("client/resend_email_verification").ok()
    answer = account.api("profile/get")
    assert answer.code != 403


def test_no_guard_when_not_required(guest: Caller, http: Any, outbox: Any) -> None:
    _, _, session = _signed_up(guest, http, outbox)
    assert session("invoice/get_list").code != 403


def test_resend_rate_limited_per_account(make_client: Any, outbox: Any) -> None:
    account = make_client()
    for _ in range(3):
        account.api("client/resend_email_verification").ok()
    assert len(outbox(account.email, "mod_client_confirm")) == 3
    account.api("client/resend_email_verification").fails(code=429, status=429)


def test_resend_needs_a_client(guest: Caller, admin: Any) -> None:
    guest("client/resend_email_verification").fails(code=740, status=404)
    Caller(guest.http, "client")("client/resend_email_verification").fails("Authentication Failed", code=201)
