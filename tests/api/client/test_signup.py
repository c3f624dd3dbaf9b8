"""guest/client/create and the signup-form methods."""

from __future__ import annotations

from typing import Any

import pytest

from pybilling.core.events import events
from tests.api.client.conftest import PASSWORD, signup
from tests.helpers import Caller, unique_email


def test_signup_creates_an_active_client_and_queues_the_welcome_email(guest: Caller, stored: Any, outbox: Any) -> None:
    email = unique_email("signup")
    client_id = signup(guest, email=email, company="Analytical Engines", country="GB", phone=5550100).ok()
    assert isinstance(client_id, int)
    client = stored(client_id)
    assert client.email == email
    assert (client.first_name, client.last_name, client.company) == ("Ada", "Lovelace", "Analytical Engines")
    assert client.country == "GB"
    assert client.phone == "5550100"
    assert client.status == "active"
    assert client.role == "client"
    assert client.password_hash
    assert PASSWORD not in client.password_hash
    assert client.ip == "testclient"
    [mail] = outbox(email, "mod_client_signup")
    assert "confirm-email" not in mail.body


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("email", "Email required"),
        ("first_name", "First name required"),
        ("password", "Password required"),
        ("password_confirm", "Password confirmation required"),
    ],
)
def test_signup_required_params(guest: Caller, missing: str, message: str) -> None:
    signup(guest, **{missing: ""}).fails(message)


def test_signup_cannot_set_privileged_fields(guest: Caller, stored: Any, db: Any) -> None:
    client_id = signup(
        guest,
        status="suspended",
        role="admin",
        group_id=1,
        client_group_id=1,
        email_approved=1,
        tax_exempt=1,
        balance=1000,
        currency="EUR",
        id=987654,
        api_token="x" * 32,
        notes="vip",
        aid="external-7",
    ).ok()
    client = stored(client_id)
    assert client.status == "active"
    assert client.role == "client"
    assert client.client_group_id is None
    assert client.email_approved is False
    assert client.tax_exempt is False
    assert client.currency is None
    assert client.api_key_hmac is None
    assert client.notes is None
    assert client.aid is None
    assert client_id != 987654


def test_signup_refuses_mismatched_passwords(guest: Caller) -> None:
    signup(guest, password_confirm="Other-Pass-123!").fails("Passwords do not match")


def test_signup_refuses_a_registered_email_whatever_its_case(guest: Caller, make_client: Any) -> None:
    existing = make_client()
    signup(guest, email=existing.email.upper()).fails("This email address is already registered.")


def test_signup_refuses_an_invalid_email(guest: Caller) -> None:
    signup(guest, email="not-an-email").fails("Email address is invalid")


def test_signup_refuses_a_bad_country(guest: Caller) -> None:
    signup(guest, country="XX").fails("Invalid country code: XX")


def test_signup_refuses_arrays_where_text_belongs(guest: Caller) -> None:
    answer = signup(guest, last_name=["a", "b"])
    answer.fails(code=9999)
    assert answer.message.startswith("Invalid value for parameter 'last_name'")


def test_signup_when_disabled(guest: Caller, client_config: Any) -> None:
    client_config(disable_signup=True)
    signup(guest).fails("New registrations are temporarily disabled")


def test_signup_extra_required_fields_and_custom_fields(guest: Caller, client_config: Any) -> None:
    client_config(
        required=["company"],
        custom_fields={"custom_1": {"active": True, "required": True, "title": "Tax office"}},
    )
    assert guest("client/required").ok() == ["company"]
    assert guest("client/custom_fields").ok()["custom_1"]["title"] == "Tax office"
    signup(guest).fails("Field Company cannot be empty")
    signup(guest, company="ACME").fails("Field Tax office cannot be empty")
    signup(guest, company="ACME", custom_1="Central").ok()


def test_signup_form_methods_with_defaults(guest: Caller) -> None:
    assert guest.get("client/required").ok() == []
    assert guest.get("client/custom_fields").ok() == []
    assert guest.get("client/is_email_validation_required").ok() is False


def test_is_email_validation_required_follows_config(guest: Caller, client_config: Any) -> None:
    client_config(require_email_confirmation=True)
    assert guest("client/is_email_validation_required").ok() is True


def test_signup_fires_events(guest: Caller) -> None:
    seen: list[tuple[str, Any]] = []

    def listen(event: Any) -> None:
        if event.name in ("onBeforeClientSignUp", "onAfterClientSignUp"):
            seen.append((event.name, event.params.get("id")))

    events.on_any(listen)
    try:
        client_id = signup(guest).ok()
    finally:
        events.off(listen)
    assert seen == [("onBeforeClientSignUp", None), ("onAfterClientSignUp", client_id)]


def test_auto_login_after_signup(guest: Caller, http: Any, client_config: Any) -> None:
    client_config(auto_login_after_signup=True)
    email = unique_email("auto")
    client_id = signup(guest, email=email).ok()
    session = Caller(http, "client")
    session.csrf = http.cookies.get("csrf_token")
    assert session("client/resend_email_verification").ok() is True
    assert http.cookies.get("pybilling_session")
    assert client_id


def test_no_session_without_auto_login(guest: Caller, http: Any) -> None:
    signup(guest).ok()
    assert http.cookies.get("pybilling_session") is None


def test_signup_rate_limit(guest: Caller) -> None:
    for _ in range(5):
        signup(guest).ok()
    answer = signup(guest)
    answer.fails("Rate limit exceeded. Please try again later.", code=429, status=429)
    assert int(answer.headers["Retry-After"]) > 0
