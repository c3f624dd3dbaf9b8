"""Browser sessions and CSRF: where the token may come from, refusals, cookies, rotation."""

from __future__ import annotations

from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from pybilling.api.context import SESSION_COOKIE
from pybilling.core.sessions import WebSessionRow
from tests.api.protocol.conftest import PROBE, Probe, login_session
from tests.helpers import Caller

CSRF_INVALID = {"result": None, "error": {"message": "CSRF token invalid", "code": 403}}
WHOAMI = f"/api/client/{PROBE}/whoami"


def _cookies(response: Any) -> dict[str, SimpleCookie]:
    jars: dict[str, SimpleCookie] = {}
    for raw in response.headers.get_list("set-cookie"):
        jar: SimpleCookie = SimpleCookie()
        jar.load(raw)
        for name in jar:
            jars[name] = jar
    return jars


@pytest.fixture
def session_client(http: TestClient, make_client: Any, probe: Probe) -> tuple[Any, str]:
    account = make_client()
    caller = login_session(http, account.id, account.email, account.password)
    assert caller.csrf
    return account, caller.csrf


def test_token_in_header(http: TestClient, session_client: tuple[Any, str]) -> None:
    account, token = session_client
    r = http.post(WHOAMI, json={}, headers={"X-CSRF-Token": token})
    assert r.json() == {"result": {"role": "client", "id": account.id, "via": "session"}, "error": None}


def test_token_in_json_body(http: TestClient, session_client: tuple[Any, str]) -> None:
    _, token = session_client
    assert http.post(WHOAMI, json={"CSRFToken": token}).json()["error"] is None


def test_token_in_form_field(http: TestClient, session_client: tuple[Any, str]) -> None:
    _, token = session_client
    assert http.post(WHOAMI, data={"CSRFToken": token}).json()["error"] is None
    assert http.post(WHOAMI, files={"CSRFToken": (None, token)}).json()["error"] is None


def test_token_in_query_string(http: TestClient, session_client: tuple[Any, str]) -> None:
    _, token = session_client
    assert http.get(WHOAMI, params={"CSRFToken": token}).json()["error"] is None
    assert http.post(f"{WHOAMI}?CSRFToken={token}", json={}).json()["error"] is None


@pytest.mark.parametrize("verb", ["GET", "POST"])
def test_missing_token_is_refused(http: TestClient, session_client: tuple[Any, str], verb: str) -> None:
    r = http.request(verb, WHOAMI)
    assert r.status_code == 403
    assert r.json() == CSRF_INVALID


@pytest.mark.parametrize("wrong", ["", "0" * 64, "x", "TOKEN_CASE"])
def test_wrong_token_is_refused(http: TestClient, session_client: tuple[Any, str], wrong: str) -> None:
    _, token = session_client
    if wrong == "TOKEN_CASE":
        wrong = token.upper() if token.upper() != token else token.lower()
    for r in (
        http.post(WHOAMI, headers={"X-CSRF-Token": wrong}),
        http.post(WHOAMI, json={"CSRFToken": wrong}),
        http.get(WHOAMI, params={"CSRFToken": wrong}),
    ):
        assert r.status_code == 403
        assert r.json() == CSRF_INVALID


def test_non_string_token_is_refused(http: TestClient, session_client: tuple[Any, str]) -> None:
    _, token = session_client
    r = http.post(WHOAMI, json={"CSRFToken": [token]})
    assert r.json() == CSRF_INVALID
    r = http.post(WHOAMI, json={"CSRFToken": {"a": token}})
    assert r.json() == CSRF_INVALID


@pytest.mark.parametrize("cookie", ["csrf_token", "fossbilling_csrf"])
def test_a_csrf_cookie_that_disagrees_with_the_session_is_refused(
    http: TestClient, session_client: tuple[Any, str], cookie: str
) -> None:
    _, token = session_client
    http.cookies.set(cookie, "f" * 64)
    r = http.post(WHOAMI, headers={"X-CSRF-Token": token})
    assert r.status_code == 403
    assert r.json() == CSRF_INVALID


def test_a_token_from_another_session_is_refused(
    http: TestClient, services: Any, make_client: Any, session_client: tuple[Any, str]
) -> None:
    other_http = TestClient(http.app, base_url="http://testserver")
    other = make_client()
    other_token = login_session(other_http, other.id, other.email, other.password).csrf
    assert other_token
    r = http.post(WHOAMI, headers={"X-CSRF-Token": other_token})
    assert r.json() == CSRF_INVALID


def test_guest_calls_never_need_a_token(http: TestClient, session_client: tuple[Any, str]) -> None:
    r = http.post(f"/api/guest/{PROBE}/echo", json={"a": 1})
    assert r.json() == {"result": {"a": 1}, "error": None}


def test_login_sets_both_csrf_cookies_and_an_httponly_lax_session_cookie(
    http: TestClient, make_client: Any, probe: Probe
) -> None:
    account = make_client()
    before = set(http.cookies.keys())
    login_session(http, account.id, account.email, account.password)
    assert {"csrf_token", "fossbilling_csrf", SESSION_COOKIE} <= set(http.cookies.keys()) - before
    assert http.cookies["csrf_token"] == http.cookies["fossbilling_csrf"]
    assert len(http.cookies["csrf_token"]) == 64


def _login_response(http: TestClient, account: Any) -> Any:
    from tests.api.protocol.conftest import has_method

    if has_method("guest", "client", "login"):
        return http.post("/api/guest/client/login", json={"email": account.email, "password": account.password})
    return http.post(f"/api/guest/{PROBE}/login_as", json={"client_id": account.id})


def test_cookie_attributes(http: TestClient, make_client: Any, probe: Probe) -> None:
    r = _login_response(http, make_client())
    assert r.json()["error"] is None
    raw = {line.split("=", 1)[0]: line.lower() for line in r.headers.get_list("set-cookie")}
    session = raw[SESSION_COOKIE]
    assert "httponly" in session
    assert "samesite=lax" in session
    assert "path=/" in session
    assert "secure" not in session  # plain http and an http base URL
    for name in ("csrf_token", "fossbilling_csrf"):
        assert "httponly" not in raw[name]  # the browser's JavaScript must read it
        assert "path=/" in raw[name]


def test_cookies_are_secure_when_the_base_url_is_https(
    make_app: Callable[..., TestClient], make_client: Any, probe: Probe
) -> None:
    http = make_app(base_url="https://billing.example.com/")
    r = _login_response(http, make_client())
    assert r.json()["error"] is None
    lines = r.headers.get_list("set-cookie")
    assert len(lines) >= 3
    for line in lines:
        assert "secure" in line.lower(), line


def test_session_id_rotates_on_login(http: TestClient, make_client: Any, probe: Probe) -> None:
    account = make_client()
    login_session(http, account.id, account.email, account.password)
    first_id, first_token = http.cookies[SESSION_COOKIE], http.cookies["csrf_token"]
    login_session(http, account.id, account.email, account.password)
    second_id, second_token = http.cookies[SESSION_COOKIE], http.cookies["csrf_token"]
    assert second_id != first_id
    assert second_token != first_token
    # The old id no longer authenticates.
    stale = TestClient(http.app, base_url="http://testserver")
    stale.cookies.set(SESSION_COOKIE, first_id)
    r = stale.post(WHOAMI, headers={"X-CSRF-Token": first_token})
    assert r.json() == {"result": None, "error": {"message": "Authentication Failed", "code": 201}}


def test_only_a_hash_of_the_session_id_is_stored(
    http: TestClient, db: Session, make_client: Any, probe: Probe
) -> None:
    account = make_client()
    login_session(http, account.id, account.email, account.password)
    raw_id = http.cookies[SESSION_COOKIE]
    with db.begin():
        ids = db.scalars(select(WebSessionRow.id).where(WebSessionRow.client_id == account.id)).all()
    assert len(ids) == 1
    assert ids[0] != raw_id
    assert raw_id not in ids[0]


def test_unknown_session_cookie_is_201(http: TestClient, probe: Probe) -> None:
    http.cookies.set(SESSION_COOKIE, "made-up-session-id")
    r = http.post(WHOAMI, headers={"X-CSRF-Token": "x"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == 201


def test_a_client_session_is_not_an_admin_session(http: TestClient, session_client: tuple[Any, str]) -> None:
    _, token = session_client
    r = http.post(f"/api/admin/{PROBE}/whoami", headers={"X-CSRF-Token": token})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == 201


def test_real_client_login_then_profile_get(http: TestClient, make_client: Any, db: Session) -> None:
    from tests.api.protocol.conftest import require_method

    require_method("guest", "client", "login")
    require_method("client", "profile", "get")
    account = make_client()
    with db.begin():
        rows_before = db.scalar(select(func.count()).select_from(WebSessionRow))
    guest = Caller(http, "guest")
    guest("client/login", email=account.email, password=account.password).ok()
    with db.begin():
        assert db.scalar(select(func.count()).select_from(WebSessionRow)) == (rows_before or 0) + 1
    client = Caller(http, "client")
    client("profile/get").fails("CSRF token invalid", code=403, status=403)
    client.csrf = http.cookies["csrf_token"]
    assert client("profile/get").ok()["email"] == account.email
