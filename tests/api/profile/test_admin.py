"""`/api/admin/profile/*`: the signed-in staff member's profile, password, API key and sessions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pybilling.core.clock import frozen_clock
from pybilling.core.events import Event
from tests.helpers import Caller, basic

STAFF_FIELDS = ["id", "email", "name", "signature", "status", "api_token", "timezone", "created_at", "updated_at"]
NEW_PASSWORD = "New-Staff-Pass-456"


# -- get -----------------------------------------------------------------------------------------
def test_get_returns_the_member_with_dates_as_days(make_staff: Any) -> None:
    with frozen_clock(datetime(2031, 5, 6, 23, 30, tzinfo=UTC)):
        account = make_staff(name="Ada Admin")
    result = account.api.get("profile/get").ok()
    assert list(result) == STAFF_FIELDS
    assert result == {
        "id": account.id,
        "email": account.email,
        "name": "Ada Admin",
        "signature": None,
        "status": "active",
        "api_token": account.key,
        "timezone": None,
        "created_at": "2031-05-06",
        "updated_at": "2031-05-06",
    }


def test_get_refuses_other_roles(http: Any, make_client: Any, guest: Caller) -> None:
    client = make_client()
    answer = Caller(http, "admin")("profile/get", headers=basic("client", client.key))
    answer.fails("Authentication Failed", code=203, status=401)
    Caller(http, "admin")("profile/get").fails("Authentication Failed", code=201, status=401)


def test_get_with_an_unknown_key_is_refused(http: Any) -> None:
    Caller(http, "admin", "not-a-real-key")("profile/get").fails("Authentication Failed", code=205, status=401)


# -- update --------------------------------------------------------------------------------------
def test_update_changes_the_four_fields(admin: Any, stored_staff: Callable[[int], Any], fired: list[Event]) -> None:
    new_email = f"renamed_{admin.id}@example.com"
    assert admin.api(
        "profile/update", email=new_email, name="Renamed", signature="Regards, R.", timezone="Europe/Vilnius"
    ).ok() is True
    staff = stored_staff(admin.id)
    assert (staff.email, staff.email_normalised, staff.name, staff.signature, staff.timezone) == (
        new_email, new_email, "Renamed", "Regards, R.", "Europe/Vilnius",
    )
    names = [e.name for e in fired if "StaffProfileUpdate" in e.name]
    assert names == ["onBeforeAdminStaffProfileUpdate", "onAfterAdminStaffProfileUpdate"]
    assert fired[-1].params == {"id": admin.id}


def test_update_without_parameters_changes_nothing(admin: Any, stored_staff: Callable[[int], Any]) -> None:
    before = stored_staff(admin.id)
    snapshot = (before.email, before.name, before.signature, before.timezone)
    assert admin.api.get("profile/update").ok() is True
    after = stored_staff(admin.id)
    assert (after.email, after.name, after.signature, after.timezone) == snapshot


def test_update_never_touches_status_group_role_or_key(
    make_staff: Any, stored_staff: Callable[[int], Any], db: Any
) -> None:
    member = make_staff(group_id=3)
    before = stored_staff(member.id)
    answer = member.api(
        "profile/update", name="Still Support", status="inactive", role="cron", group_id=1, groups=[1],
        api_key_hmac="x", api_token="x", id=1, system_name="root", permissions={"client": {"access": True}},
    )
    assert answer.ok() is True
    after = stored_staff(member.id)
    assert after.name == "Still Support"
    assert (after.status, after.role, after.api_key_hmac, after.system_name) == (
        before.status, before.role, before.api_key_hmac, before.system_name,
    )
    with db.begin():
        from pybilling.modules.staff.models import Staff

        assert [g.id for g in db.get(Staff, member.id).groups] == [3]
    assert member.api("profile/get").ok()["id"] == member.id


def test_update_checks_email_and_timezone(admin: Any, make_staff: Any) -> None:
    other = make_staff()
    admin.api("profile/update", email="not-an-email").fails("Email address is invalid")
    admin.api("profile/update", email=other.email.upper()).fails(
        f"Staff member with email {other.email.upper()} is already registered.", code=788954
    )
    admin.api("profile/update", timezone="Mars/Olympus").fails("Invalid timezone: Mars/Olympus")
    admin.api("profile/update", name=["a"]).fails("Invalid value for parameter 'name': must be a valid string")
    admin.api("profile/update", signature="x" * 256).fails()


def test_update_keeps_own_email_in_another_case(admin: Any, stored_staff: Callable[[int], Any]) -> None:
    assert admin.api("profile/update", email=admin.email.upper()).ok() is True
    assert stored_staff(admin.id).email == admin.email.upper()


# -- API key -------------------------------------------------------------------------------------
def test_generate_api_key_replaces_the_key(admin: Any, http: Any, fired: list[Event]) -> None:
    assert admin.api("profile/generate_api_key").ok() is True
    Caller(http, "admin", admin.key)("profile/get").fails("Authentication Failed", code=205, status=401)
    names = [e.name for e in fired if "ApiKeyChange" in e.name]
    assert names == ["onBeforeAdminStaffApiKeyChange", "onAfterAdminStaffApiKeyChange"]


def test_generated_key_is_readable_and_works(admin: Any, staff_login: Callable[[Any], Caller], http: Any) -> None:
    browser = staff_login(admin)
    assert browser("profile/generate_api_key").ok() is True
    new_key = browser("profile/get").ok()["api_token"]
    assert len(new_key) == 32
    assert new_key != admin.key
    assert Caller(http, "admin", new_key)("profile/get").ok()["id"] == admin.id


def test_session_wins_over_basic_auth_for_key_generation(
    admin: Any, make_staff: Any, staff_login: Callable[[Any], Caller], http: Any
) -> None:
    other = make_staff()
    browser = staff_login(admin)
    assert browser("profile/generate_api_key", headers=basic("admin", other.key)).ok() is True
    Caller(http, "admin", admin.key)("profile/get").fails(code=205, status=401)
    assert Caller(http, "admin", other.key)("profile/get").ok()["id"] == other.id


def test_api_key_reset_gives_a_client_a_new_key(admin: Any, make_client: Any, http: Any) -> None:
    client = make_client()
    new_key = admin.api("profile/api_key_reset", id=client.id).ok()
    assert isinstance(new_key, str)
    assert len(new_key) == 32
    assert new_key != client.key
    Caller(http, "client", client.key)("profile/get").fails("Authentication Failed", code=204, status=401)
    assert Caller(http, "client", new_key)("profile/get").ok()["id"] == client.id
    assert Caller(http, "client", new_key)("profile/api_key_get").ok() == new_key


def test_api_key_reset_checks(admin: Any, make_staff: Any, make_client: Any) -> None:
    client = make_client()
    admin.api("profile/api_key_reset").fails("Client ID was not passed")
    admin.api("profile/api_key_reset", id="").fails("Client ID was not passed")
    admin.api("profile/api_key_reset", id=987654321).fails("Client not found")
    admin.api("profile/api_key_reset", id="abc").fails(
        "Invalid value for parameter 'id': must be an integer"
    )
    support = make_staff(group_id=3)
    support.api("profile/api_key_reset", id=client.id).fails(
        'You need the "client.manage_api_keys" permission to perform this action', code=403, status=403
    )
    assert client.api("profile/get").ok()["id"] == client.id


# -- password ------------------------------------------------------------------------------------
def test_change_password_required_messages(admin: Any) -> None:
    admin.api.get("profile/change_password").fails("Current password is required")
    admin.api("profile/change_password", current_password="x").fails("New password is required")
    admin.api("profile/change_password", current_password="x", new_password="y").fails(
        "New password confirmation is required"
    )


def test_change_password_refusals(admin: Any) -> None:
    def change(current: str, new: str, confirm: str) -> Any:
        return admin.api(
            "profile/change_password", current_password=current, new_password=new, confirm_password=confirm
        )

    change(admin.password, NEW_PASSWORD, NEW_PASSWORD + "x").fails("Passwords do not match")
    change(admin.password, "Sh0rt", "Sh0rt").fails("Minimum password length is 8 characters.")
    change("wrong-password", NEW_PASSWORD, NEW_PASSWORD).fails("Current password incorrect")
    change(admin.password, ["a"], ["a"]).fails()  # type: ignore[arg-type]


def test_change_password_keeps_this_session_and_ends_the_others(
    admin: Any, staff_login: Callable[[Any], Caller], guest: Caller, session_count: Callable[..., int],
    fired: list[Event],
) -> None:
    current = staff_login(admin)
    other = staff_login(admin)
    assert session_count(staff_id=admin.id) == 2
    assert current(
        "profile/change_password", current_password=admin.password, new_password=NEW_PASSWORD,
        confirm_password=NEW_PASSWORD,
    ).ok() is True
    assert session_count(staff_id=admin.id) == 1
    assert current("profile/get").ok()["id"] == admin.id
    other("profile/get").fails("Authentication Failed", code=201, status=401)
    guest("staff/login", email=admin.email, password=admin.password).fails("Check your login details", code=403)
    assert guest("staff/login", email=admin.email, password=NEW_PASSWORD).ok()["id"] == admin.id
    names = [e.name for e in fired if "PasswordChange" in e.name]
    assert names == ["onBeforeAdminStaffProfilePasswordChange", "onAfterAdminStaffProfilePasswordChange"]
    assert all(set(e.params) == {"id"} for e in fired if "PasswordChange" in e.name)


def test_change_password_with_a_key_ends_every_session(
    admin: Any, staff_login: Callable[[Any], Caller], session_count: Callable[..., int]
) -> None:
    staff_login(admin)
    assert admin.api(
        "profile/change_password", current_password=admin.password, new_password=NEW_PASSWORD,
        confirm_password=NEW_PASSWORD,
    ).ok() is True
    assert session_count(staff_id=admin.id) == 0


def test_change_password_is_rate_limited_per_account(admin: Any) -> None:
    for _ in range(5):
        admin.api(
            "profile/change_password", current_password="wrong-password", new_password=NEW_PASSWORD,
            confirm_password=NEW_PASSWORD,
        ).fails("Current password incorrect")
    answer = admin.api(
        "profile/change_password", current_password=admin.password, new_password=NEW_PASSWORD,
        confirm_password=NEW_PASSWORD,
    )
    answer.fails("Rate limit exceeded. Please try again later.", code=429, status=429)
    assert int(answer.headers["retry-after"]) > 0


# -- sessions ------------------------------------------------------------------------------------
def test_logout_with_a_key_changes_nothing(
    admin: Any, staff_login: Callable[[Any], Caller], session_count: Callable[..., int]
) -> None:
    browser = staff_login(admin)
    assert admin.api.get("profile/logout").ok() is True
    assert session_count(staff_id=admin.id) == 1
    assert browser("profile/get").ok()["id"] == admin.id


def test_logout_ends_the_staff_identity_of_the_session(
    admin: Any, staff_login: Callable[[Any], Caller], session_count: Callable[..., int]
) -> None:
    browser = staff_login(admin)
    answer = browser("profile/logout")
    assert answer.ok() is True
    assert session_count(staff_id=admin.id) == 0
    assert browser.http.cookies.get("pybilling_session") is None
    browser("profile/get").fails("Authentication Failed", code=201, status=401)


def test_logout_of_staff_keeps_the_client_identity_of_the_same_browser(
    admin: Any, make_client: Any, staff_login: Callable[[Any], Caller]
) -> None:
    client = make_client()
    staff_browser = staff_login(admin)
    Caller(staff_browser.http, "guest")("client/login", email=client.email, password=client.password).ok()
    staff_browser.csrf = staff_browser.http.cookies.get("csrf_token")
    assert staff_browser("profile/logout").ok() is True
    as_client = Caller(staff_browser.http, "client")
    as_client.csrf = staff_browser.http.cookies.get("csrf_token")
    assert as_client("profile/get").ok()["id"] == client.id
    staff_browser.csrf = as_client.csrf
    staff_browser("profile/get").fails("Authentication Failed", code=201, status=401)


def test_session_calls_need_the_csrf_token(admin: Any, staff_login: Callable[[Any], Caller]) -> None:
    browser = staff_login(admin)
    browser.csrf = None
    browser("profile/logout").fails("CSRF token invalid", code=403, status=403)
    browser("profile/get", headers={"X-CSRF-Token": "0" * 64}).fails("CSRF token invalid", code=403, status=403)


def test_destroy_sessions_ends_every_session_of_the_member(
    admin: Any, make_staff: Any, staff_login: Callable[[Any], Caller], session_count: Callable[..., int]
) -> None:
    other_member = make_staff()
    first = staff_login(admin)
    staff_login(admin)
    staff_login(other_member)
    assert first("profile/destroy_sessions").ok() is True
    assert session_count(staff_id=admin.id) == 0
    assert session_count(staff_id=other_member.id) == 1
    first("profile/get").fails("Authentication Failed", code=201, status=401)
    assert admin.api("profile/get").ok()["id"] == admin.id


def test_destroy_sessions_with_a_key(
    admin: Any, staff_login: Callable[[Any], Caller], session_count: Callable[..., int]
) -> None:
    staff_login(admin)
    assert admin.api.get("profile/destroy_sessions").ok() is True
    assert session_count(staff_id=admin.id) == 0
