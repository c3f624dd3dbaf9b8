"""`/api/client/profile/*`: the signed-in client's profile, password, API key and sessions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from pybilling.core.events import Event
from tests.helpers import Caller, basic

CLIENT_FIELDS = [
    "id", "email", "email_approved", "type", "first_name", "last_name", "gender", "birthday", "phone_cc", "phone",
    "company", "company_vat", "company_number", "address_1", "address_2", "city", "state", "postcode", "country",
    "currency", "lang", "timezone", "billing_email", "balance",
]
NEW_PASSWORD = "New-Client-Pass-456"


# -- get -----------------------------------------------------------------------------------------
def test_get_returns_the_clients_own_view(make_client: Any) -> None:
    client = make_client(
        first_name="Sample", last_name="Client", phone_cc="1", phone="5550100", company="Sample Co",
        city="Springfield", country="US", currency="USD", birthday=date(1990, 2, 3), notes="staff only",
        aid="A-1", billing_email="bills@example.com",
    )
    result = client.api.get("profile/get").ok()
    assert list(result) == CLIENT_FIELDS
    assert result["id"] == client.id
    assert result["email"] == client.email
    assert result["email_approved"] is False
    assert (result["first_name"], result["last_name"], result["company"], result["city"]) == (
        "Sample", "Client", "Sample Co", "Springfield",
    )
    assert (result["phone_cc"], result["phone"], result["country"], result["currency"]) == ("1", "5550100", "US", "USD")
    assert result["birthday"] == "1990-02-03"
    assert result["billing_email"] == "bills@example.com"
    assert result["balance"] == 0
    assert result["gender"] is None
    assert result["timezone"] is None


def test_get_shows_only_enabled_non_empty_custom_fields(
    make_client: Any, client_config: Callable[..., None]
) -> None:
    client_config(custom_fields={
        "custom_1": {"active": True, "title": "Tax office"},
        "custom_2": {"active": False, "title": "Hidden"},
        "custom_3": {"active": "1", "title": "Empty"},
    })
    client = make_client(custom_1="Vilnius", custom_2="secret", custom_3=None)
    result = client.api("profile/get").ok()
    assert result["custom_1"] == "Vilnius"
    assert "custom_2" not in result
    assert "custom_3" not in result


def test_get_refuses_other_roles(http: Any, admin: Any) -> None:
    Caller(http, "client")("profile/get", headers=basic("admin", admin.key)).fails(
        "Authentication Failed", code=203, status=401
    )
    Caller(http, "client")("profile/get").fails("Authentication Failed", code=201, status=401)
    Caller(http, "client", "unknown-key")("profile/get").fails("Authentication Failed", code=204, status=401)


# -- update --------------------------------------------------------------------------------------
def test_update_changes_the_profile(
    make_client: Any, stored_client: Callable[[int], Any], fired: list[Event]
) -> None:
    client = make_client(company="Old Co", city="Kaunas")
    assert client.api(
        "profile/update", first_name="Grace", last_name="Hopper", company="Navy", city="", country="LT",
        lang="lt_LT", timezone="Europe/Vilnius", birthday="1906-12-09", phone_cc="370", phone="61234567",
        gender="female", billing_email="billing@example.com", custom_4="extra", address_1="Main st. 1",
    ).ok() is True
    stored = stored_client(client.id)
    assert (stored.first_name, stored.last_name, stored.company, stored.city) == ("Grace", "Hopper", "Navy", "")
    assert (stored.country, stored.lang, stored.timezone) == ("LT", "lt_LT", "Europe/Vilnius")
    assert stored.birthday == date(1906, 12, 9)
    assert (stored.phone_cc, stored.phone, stored.gender) == ("370", "61234567", "female")
    assert (stored.billing_email, stored.custom_4, stored.address_1) == ("billing@example.com", "extra", "Main st. 1")
    profile = client.api("profile/get").ok()
    assert (profile["first_name"], profile["birthday"], profile["billing_email"]) == (
        "Grace", "1906-12-09", "billing@example.com",
    )
    names = [e.name for e in fired if "ClientProfileUpdate" in e.name]
    assert names == ["onBeforeClientProfileUpdate", "onAfterClientProfileUpdate"]
    assert fired[-1].params == {"id": client.id}


def test_update_leaves_unsent_and_null_keys_alone(make_client: Any, stored_client: Callable[[int], Any]) -> None:
    client = make_client(company="Keep Co", country="DE", birthday=date(1980, 1, 1))
    assert client.api("profile/update", company=None, country=None, city="Berlin").ok() is True
    stored = stored_client(client.id)
    assert (stored.company, stored.country, stored.city) == ("Keep Co", "DE", "Berlin")
    assert stored.birthday == date(1980, 1, 1)
    assert client.api.get("profile/update").ok() is True
    assert stored_client(client.id).company == "Keep Co"


def test_update_blank_clears_codes_and_birthday(make_client: Any, stored_client: Callable[[int], Any]) -> None:
    client = make_client(country="DE", lang="de_DE", timezone="Europe/Berlin", birthday=date(1980, 1, 1))
    assert client.api.form("profile/update", {"country": "", "lang": "", "timezone": "", "birthday": ""}).ok() is True
    stored = stored_client(client.id)
    assert (stored.country, stored.lang, stored.timezone, stored.birthday) == (None, None, None, None)


def test_update_never_takes_protected_fields(
    make_client: Any, stored_client: Callable[[int], Any], db: Any, http: Any
) -> None:
    with db.begin():
        from pybilling.modules.client.models import ClientGroup

        group = ClientGroup(title="VIP")
        db.add(group)
        db.flush()
        group_id = group.id
    client = make_client(currency="USD", notes="Staff note", aid="A-7")
    before = stored_client(client.id)
    answer = client.api(
        "profile/update", city="Riga", role="admin", status="suspended", client_group_id=group_id,
        group_id=group_id, balance=1000, email_approved=True, tax_exempt=True, api_token="stolen-key",
        api_key_hmac="x", currency="EUR", id=client.id + 1, notes="I am great", aid="X", ip="1.2.3.4",
        password_hash="x", email_normalised="x@example.com", created_at="2000-01-01",
    )
    assert answer.ok() is True
    after = stored_client(client.id)
    assert after.city == "Riga"
    assert (after.role, after.status, after.client_group_id, after.email_approved, after.tax_exempt) == (
        "client", "active", None, False, False,
    )
    assert (after.currency, after.notes, after.aid, after.ip) == ("USD", "Staff note", "A-7", None)
    assert (after.api_key_hmac, after.password_hash, after.created_at) == (
        before.api_key_hmac, before.password_hash, before.created_at,
    )
    assert after.email_normalised == before.email_normalised
    assert client.api("profile/get").ok()["balance"] == 0
    assert Caller(http, "client", client.key)("profile/get").ok()["id"] == client.id


def test_update_changes_the_email(make_client: Any, stored_client: Callable[[int], Any], guest: Caller) -> None:
    client = make_client()
    new_email = f"New.Address.{client.id}@Example.com"
    assert client.api("profile/update", email=new_email).ok() is True
    stored = stored_client(client.id)
    assert (stored.email, stored.email_normalised) == (new_email, new_email.lower())
    assert guest("client/login", email=new_email.lower(), password=client.password).ok()["id"] == client.id


def test_update_email_checks(make_client: Any, client_config: Callable[..., None]) -> None:
    client = make_client()
    other = make_client()
    client.api("profile/update", email="no-at-sign").fails("Email address is invalid")
    client.api("profile/update", email="").fails("Email address is invalid")
    client.api("profile/update", email=other.email.upper()).fails("This email address is already registered.")
    client.api("profile/update", billing_email="bills-at-nowhere").fails("Email address is invalid")
    client_config(disable_change_email=True)
    client.api("profile/update", email="fresh@example.com").fails("Email address cannot be changed")
    assert client.api("profile/update", email=client.email, city="Same email is fine").ok() is True


def test_update_validates_codes_dates_and_lengths(make_client: Any) -> None:
    client = make_client()
    client.api("profile/update", country="XX").fails("Invalid country code: XX")
    client.api("profile/update", lang="xx_YY").fails("Invalid locale code: xx_YY")
    client.api("profile/update", timezone="Mars/Olympus").fails("Invalid timezone: Mars/Olympus")
    client.api("profile/update", birthday="31/12/1999").fails()
    client.api("profile/update", city="x" * 101).fails()
    client.api("profile/update", first_name={"a": 1}).fails()
    assert client.api("profile/get").ok()["country"] is None


# -- API key -------------------------------------------------------------------------------------
def test_api_key_get_returns_the_own_key(make_client: Any) -> None:
    client = make_client()
    assert client.api.get("profile/api_key_get").ok() == client.key


def test_api_key_reset_replaces_the_key(make_client: Any, http: Any) -> None:
    client = make_client()
    new_key = client.api("profile/api_key_reset").ok()
    assert isinstance(new_key, str)
    assert len(new_key) == 32
    assert new_key != client.key
    Caller(http, "client", client.key)("profile/get").fails("Authentication Failed", code=204, status=401)
    assert Caller(http, "client", new_key)("profile/api_key_get").ok() == new_key


def test_session_wins_over_basic_auth_for_the_key(
    make_client: Any, client_login: Callable[[Any], Caller], http: Any
) -> None:
    me = make_client()
    other = make_client()
    browser = client_login(me)
    assert browser("profile/api_key_get", headers=basic("client", other.key)).ok() == me.key
    new_key = browser("profile/api_key_reset", headers=basic("client", other.key)).ok()
    Caller(http, "client", me.key)("profile/get").fails(code=204, status=401)
    assert Caller(http, "client", new_key)("profile/get").ok()["id"] == me.id
    assert Caller(http, "client", other.key)("profile/get").ok()["id"] == other.id


# -- password ------------------------------------------------------------------------------------
def test_change_password_required_messages(make_client: Any) -> None:
    client = make_client()
    client.api.get("profile/change_password").fails("Current password required")
    client.api("profile/change_password", current_password="x").fails("New password required")
    client.api("profile/change_password", current_password="x", new_password="y").fails(
        "New password confirmation required"
    )


def test_change_password_refusals(make_client: Any, stored_client: Callable[[int], Any]) -> None:
    client = make_client()
    before = stored_client(client.id).password_hash

    def change(current: str, new: str, confirm: str) -> Any:
        return client.api(
            "profile/change_password", current_password=current, new_password=new, confirm_password=confirm
        )

    change(client.password, NEW_PASSWORD, "Other-Pass-789").fails("Passwords do not match")
    change(client.password, "alllowercase1", "alllowercase1").fails(
        "Password must include at least one uppercase letter."
    )
    change("wrong-password", NEW_PASSWORD, NEW_PASSWORD).fails("Current password incorrect")
    assert stored_client(client.id).password_hash == before


def test_change_password_keeps_this_session_and_ends_the_others(
    make_client: Any, client_login: Callable[[Any], Caller], guest: Caller, session_count: Callable[..., int],
    fired: list[Event],
) -> None:
    client = make_client()
    current = client_login(client)
    other = client_login(client)
    assert session_count(client_id=client.id) == 2
    assert current(
        "profile/change_password", current_password=client.password, new_password=NEW_PASSWORD,
        confirm_password=NEW_PASSWORD,
    ).ok() is True
    assert session_count(client_id=client.id) == 1
    assert current("profile/get").ok()["id"] == client.id
    other("profile/get").fails("Authentication Failed", code=201, status=401)
    guest("client/login", email=client.email, password=client.password).fails(code=401)
    assert guest("client/login", email=client.email, password=NEW_PASSWORD).ok()["id"] == client.id
    names = [e.name for e in fired if "PasswordChange" in e.name]
    assert names == ["onBeforeClientProfilePasswordChange", "onAfterClientProfilePasswordChange"]


def test_change_password_is_rate_limited_per_account(make_client: Any) -> None:
    client = make_client()
    for _ in range(5):
        client.api(
            "profile/change_password", current_password="wrong-password", new_password=NEW_PASSWORD,
            confirm_password=NEW_PASSWORD,
        ).fails("Current password incorrect")
    client.api(
        "profile/change_password", current_password=client.password, new_password=NEW_PASSWORD,
        confirm_password=NEW_PASSWORD,
    ).fails("Rate limit exceeded. Please try again later.", code=429, status=429)
    other = make_client()
    assert other.api(
        "profile/change_password", current_password=other.password, new_password=NEW_PASSWORD,
        confirm_password=NEW_PASSWORD,
    ).ok() is True


# -- sessions ------------------------------------------------------------------------------------
def test_logout_with_a_key_changes_nothing(
    make_client: Any, client_login: Callable[[Any], Caller], session_count: Callable[..., int]
) -> None:
    client = make_client()
    browser = client_login(client)
    assert client.api.get("profile/logout").ok() is True
    assert session_count(client_id=client.id) == 1
    assert browser("profile/get").ok()["id"] == client.id


def test_logout_ends_the_client_session(
    make_client: Any, client_login: Callable[[Any], Caller], session_count: Callable[..., int]
) -> None:
    client = make_client()
    browser = client_login(client)
    assert browser.get("profile/logout", CSRFToken=browser.csrf).ok() is True
    assert session_count(client_id=client.id) == 0
    assert browser.http.cookies.get("pybilling_session") is None
    browser("profile/get").fails("Authentication Failed", code=201, status=401)


def test_session_calls_need_the_csrf_token(make_client: Any, client_login: Callable[[Any], Caller]) -> None:
    client = make_client()
    browser = client_login(client)
    token = browser.csrf
    browser.csrf = None
    browser("profile/update", city="Nowhere").fails("CSRF token invalid", code=403, status=403)
    browser("profile/change_password", current_password=client.password, new_password=NEW_PASSWORD,
            confirm_password=NEW_PASSWORD).fails("CSRF token invalid", code=403, status=403)
    browser.csrf = token
    assert browser("profile/get").ok()["city"] is None


def test_destroy_sessions_ends_every_session_of_the_client(
    make_client: Any, client_login: Callable[[Any], Caller], session_count: Callable[..., int]
) -> None:
    client = make_client()
    someone_else = make_client()
    first = client_login(client)
    second = client_login(client)
    client_login(someone_else)
    assert second("profile/destroy_sessions").ok() is True
    assert session_count(client_id=client.id) == 0
    assert session_count(client_id=someone_else.id) == 1
    first("profile/get").fails("Authentication Failed", code=201, status=401)
    second("profile/get").fails("Authentication Failed", code=201, status=401)
    assert client.api("profile/destroy_sessions").ok() is True
