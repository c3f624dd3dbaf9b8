"""admin/client/login: staff acting as a client, with an API key or from a staff browser session."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

from sqlalchemy import select

from pybilling.core.sessions import WebSessionRow
from tests.helpers import Caller


def _set_cookies(headers: Any) -> dict[str, Any]:
    jar: SimpleCookie = SimpleCookie()
    for header in headers.get_list("set-cookie"):
        jar.load(header)
    return dict(jar.items())


def _staff_browser(http: Any, staff: Any) -> Caller:
    Caller(http, "guest")("staff/login", email=staff.email, password=staff.password).ok()
    caller = Caller(http, "admin")
    caller.csrf = http.cookies.get("csrf_token")
    return caller


def test_with_an_api_key_a_client_session_is_handed_out_in_cookies(admin: Any, make_client: Any, http: Any) -> None:
    account = make_client(first_name="Ada", last_name="Byron")
    answer = admin.api("client/login", id=account.id)
    assert answer.ok() == {"id": account.id, "email": account.email, "name": "Ada Byron", "role": "client"}
    cookies = _set_cookies(answer.headers)
    assert {"pybilling_session", "csrf_token", "fossbilling_csrf"} <= set(cookies)
    assert cookies["pybilling_session"]["httponly"]
    assert not cookies["csrf_token"]["httponly"]
    assert cookies["csrf_token"].value == cookies["fossbilling_csrf"].value

    # A browser given these cookies is the client, CSRF included, and nothing more.
    http.cookies.set("pybilling_session", cookies["pybilling_session"].value)
    http.cookies.set("csrf_token", cookies["csrf_token"].value)
    browser = Caller(http, "client")
    browser("profile/get").fails("CSRF token invalid", code=403, status=403)
    browser.csrf = cookies["csrf_token"].value
    assert browser("profile/get").ok()["email"] == account.email
    staff_side = Caller(http, "admin")
    staff_side.csrf = browser.csrf
    staff_side("client/get_list").fails("Authentication Failed", code=201, status=401)


def test_with_an_api_key_a_stray_session_cookie_is_neither_merged_nor_ended(
    admin: Any, make_staff: Any, make_client: Any, http: Any, db: Any
) -> None:
    staff = make_staff()
    staff_browser = _staff_browser(http, staff)
    staff_cookie = http.cookies.get("pybilling_session")
    account = make_client()
    answer = admin.api("client/login", id=account.id, headers={"Cookie": f"pybilling_session={staff_cookie}"})
    answer.ok()
    new_cookie = _set_cookies(answer.headers)["pybilling_session"].value
    assert new_cookie != staff_cookie
    assert staff_browser("client/get_statuses").ok()["total"] >= 1  # the staff session still works
    with db.begin():
        sessions = db.scalars(select(WebSessionRow).where(WebSessionRow.client_id == account.id)).all()
    assert [(row.staff_id, row.client_id) for row in sessions] == [(None, account.id)]


def test_a_staff_browser_session_gains_the_client_identity(make_staff: Any, make_client: Any, http: Any) -> None:
    staff = make_staff()
    staff_browser = _staff_browser(http, staff)
    session_before = http.cookies.get("pybilling_session")
    account = make_client()
    assert staff_browser("client/login", id=account.id).ok()["id"] == account.id
    assert http.cookies.get("pybilling_session") == session_before
    client_side = Caller(http, "client")
    client_side.csrf = staff_browser.csrf
    assert client_side("profile/get").ok()["id"] == account.id
    assert staff_browser("client/get", id=account.id).ok()["id"] == account.id  # still staff too

    other = make_client()
    staff_browser("client/login", id=other.id).ok()
    assert client_side("profile/get").ok()["id"] == other.id


def test_strip_admin_identity_leaves_only_the_client(make_staff: Any, make_client: Any, http: Any) -> None:
    staff = make_staff()
    staff_browser = _staff_browser(http, staff)
    account = make_client()
    staff_browser("client/login", id=account.id, strip_admin_identity="1").ok()
    client_side = Caller(http, "client")
    client_side.csrf = staff_browser.csrf
    assert client_side("profile/get").ok()["id"] == account.id
    staff_browser("client/get_list").fails("Authentication Failed", code=201, status=401)


def test_impersonation_errors(admin: Any, make_client: Any) -> None:
    admin.api("client/login").fails("ID required")
    admin.api("client/login", id=999999).fails("Client not found")
    admin.api("client/login", id=1, strip_admin_identity="maybe").fails(code=9999)
    suspended = make_client(status="suspended")
    answer = admin.api("client/login", id=suspended.id)
    answer.fails("Only an active client can be signed in to")
    assert "pybilling_session" not in _set_cookies(answer.headers)


def test_impersonation_needs_its_permission(staff_with: Any, make_client: Any) -> None:
    account = make_client()
    staff = staff_with("view")
    answer = staff.api("client/login", id=account.id)
    answer.fails('You need the "client.impersonate_login" permission to perform this action', code=403, status=403)
    assert "set-cookie" not in answer.headers
    assert staff_with("impersonate_login").api("client/login", id=account.id).ok()["id"] == account.id
