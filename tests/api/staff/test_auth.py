"""Staff login (sessions, CSRF, no enumeration), password reset by email code, login history."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import bcrypt
import pytest
from sqlalchemy import select

from pybilling.core import passwords
from pybilling.core.clock import frozen_clock
from pybilling.modules.staff.models import Staff, StaffLogin, StaffPasswordReset
from tests.api.staff.conftest import NEW_PASSWORD
from tests.helpers import Caller, unique_email

LOGIN_FAILED = "Check your login details"
LINK_EXPIRED = "The link has expired or you have already confirmed the password reset."
RESET_REQUEST = "mod_staff_password_reset_request"


def _code(email_body: str) -> str:
    match = re.search(r"code=([A-Za-z0-9_\-]+)", email_body)
    assert match, email_body
    return match.group(1)


def _logins(db: Any, staff_id: int) -> list[StaffLogin]:
    db.expire_all()
    with db.begin():
        return list(db.scalars(select(StaffLogin).where(StaffLogin.admin_id == staff_id)))


# -- login -------------------------------------------------------------------------------------
def test_login_starts_a_session_that_works_with_csrf(make_staff: Any, browser: Any, db: Any, fired: Any) -> None:
    member = make_staff(group_id=2, name="Lead Person")
    http = browser()
    answer = Caller(http, "guest")("staff/login", email=member.email.upper(), password=member.password)
    assert answer.ok() == {"id": member.id, "email": member.email, "name": "Lead Person"}
    assert http.cookies.get("pybilling_session")
    assert http.cookies.get("csrf_token")
    assert "httponly" in answer.headers["set-cookie"].lower()

    session = Caller(http, "admin")
    session("staff/get_pairs").fails("CSRF token invalid", 403, 403)
    session.csrf = http.cookies.get("csrf_token")
    assert str(member.id) in session("staff/get_pairs").ok()
    assert session("staff/is_super_administrator").ok() is False

    [login] = _logins(db, member.id)
    assert login.ip == "testclient"
    names = [e.name for e in fired]
    assert names.index("onBeforeAdminLogin") < names.index("onAfterAdminLogin")
    assert "onEventAdminLoginFailed" not in names


def test_login_by_form_and_get(make_staff: Any, guest: Caller) -> None:
    member = make_staff(group_id=3)
    assert guest.form("staff/login", {"email": member.email, "password": member.password}).ok()["id"] == member.id
    assert guest.get("staff/login", email=member.email, password=member.password).ok()["id"] == member.id


def test_failed_logins_look_the_same(make_staff: Any, make_cron_account: Any, browser: Any, db: Any,
                                     fired: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    dummy_calls: list[int] = []
    real_dummy = passwords.dummy_verify

    def counting_dummy() -> None:
        dummy_calls.append(1)
        real_dummy()

    monkeypatch.setattr(passwords, "dummy_verify", counting_dummy)
    active = make_staff(group_id=1)
    inactive = make_staff(group_id=1, status="inactive")
    _, cron_email, cron_password = make_cron_account()
    attempts = [
        (active.email, "Wrong-Pass-123"),
        (unique_email("nobody"), "Wrong-Pass-123"),
        (inactive.email, inactive.password),
        (cron_email, cron_password),
    ]
    answers = []
    for email, password in attempts:
        http = browser()
        r = http.post("/api/guest/staff/login", json={"email": email, "password": password})
        answers.append((r.status_code, r.json()))
        assert "set-cookie" not in r.headers
    assert all(a == (403, {"result": None, "error": {"message": LOGIN_FAILED, "code": 403}}) for a in answers)
    assert dummy_calls == [1]  # the unknown address spent a hash verification too
    assert _logins(db, active.id) == []
    assert _logins(db, inactive.id) == []
    failed = [e for e in fired if e.name == "onEventAdminLoginFailed"]
    assert len(failed) == 4
    assert failed[1].params["email"] == attempts[1][0]


def test_login_rehashes_an_imported_bcrypt_password(make_staff: Any, guest: Caller, db: Any) -> None:
    member = make_staff(group_id=3)
    php_hash = bcrypt.hashpw(member.password.encode(), bcrypt.gensalt(4)).decode().replace("$2b$", "$2y$", 1)
    with db.begin():
        db.get(Staff, member.id).password_hash = php_hash
    guest("staff/login", email=member.email, password=member.password).ok()
    db.expire_all()
    with db.begin():
        new_hash = db.get(Staff, member.id).password_hash
    assert new_hash.startswith("$argon2")
    assert passwords.verify_password(member.password, new_hash)


def test_login_ip_allow_list(make_staff: Any, browser: Any, staff_config: Any) -> None:
    member = make_staff(group_id=3)
    staff_config(check_ip=True, allowed_ips="10.0.0.0/8\n192.168.1.5")
    refused = Caller(browser("203.0.113.9"), "guest")("staff/login", email=member.email, password=member.password)
    refused.fails("You are not allowed to login to admin area from this IP address.", 403, 403)
    allowed = Caller(browser("10.20.30.40"), "guest")("staff/login", email=member.email, password=member.password)
    assert allowed.ok()["id"] == member.id


def test_login_is_rate_limited(make_staff: Any, guest: Caller) -> None:
    member = make_staff(group_id=3)
    for _ in range(10):
        guest("staff/login", email=member.email, password="Wrong-Pass-123").fails(LOGIN_FAILED, 403)
    answer = guest("staff/login", email=member.email, password=member.password)
    answer.fails(code=429, status=429)
    assert int(answer.headers["retry-after"]) > 0


def test_login_wrong_types(guest: Caller) -> None:
    guest("staff/login", email=["a@example.com"], password="x").fails(code=9999)
    guest("staff/login", email="a@example.com", password={"x": 1}).fails(code=9999)


# -- password reset ----------------------------------------------------------------------------
def test_password_reset_end_to_end(make_staff: Any, guest: Caller, outbox: Any, login_session: Any, db: Any,
                                   fired: Any) -> None:
    member = make_staff(group_id=2)
    old_session = login_session(member.email, member.password)
    assert guest("staff/passwordreset", email=member.email).ok() is True
    [mail] = outbox(member.email, RESET_REQUEST)
    code = _code(mail.body)
    assert mail.staff_id == member.id
    with db.begin():
        [row] = db.scalars(select(StaffPasswordReset).where(StaffPasswordReset.admin_id == member.id)).all()
        assert row.token_hash == hashlib.sha256(code.encode()).hexdigest()
        assert code not in row.token_hash

    answer = guest("staff/update_password", code=code, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD)
    assert answer.status == 200
    assert answer.body == {"result": None, "error": None}
    old_session("staff/get_pairs").fails("Authentication Failed", 201, 401)  # every session ended
    guest("staff/login", email=member.email, password=member.password).fails(LOGIN_FAILED, 403)
    guest("staff/login", email=member.email, password=NEW_PASSWORD).ok()
    assert outbox(member.email, "mod_staff_password_reset_approve")
    # single use
    guest("staff/update_password", code=code, password="Another-Pass-789",
          password_confirm="Another-Pass-789").fails(LINK_EXPIRED)
    names = [e.name for e in fired]
    assert names.index("onBeforePasswordResetStaff") < names.index("onAfterPasswordResetStaff")


def test_reset_answers_the_same_for_unknown_and_inactive(make_staff: Any, guest: Caller, outbox: Any) -> None:
    known = make_staff(group_id=3)
    inactive = make_staff(group_id=3, status="inactive")
    unknown = unique_email("nobody")
    answers = [guest("staff/passwordreset", email=e) for e in (known.email, unknown, inactive.email)]
    assert {(a.status, str(a.body)) for a in answers} == {(200, str({"result": True, "error": None}))}
    assert len(outbox(known.email)) == 1
    assert outbox(unknown) == []
    assert outbox(inactive.email) == []


def test_a_new_request_replaces_the_old_code(make_staff: Any, guest: Caller, outbox: Any) -> None:
    member = make_staff(group_id=3)
    guest("staff/passwordreset", email=member.email).ok()
    guest("staff/passwordreset", email=member.email).ok()
    first, second = (_code(m.body) for m in outbox(member.email, RESET_REQUEST))
    assert first != second
    guest("staff/update_password", code=first, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).fails(
        LINK_EXPIRED)
    guest("staff/update_password", code=second, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).ok()


def test_reset_code_expires_after_30_minutes(make_staff: Any, guest: Caller, outbox: Any) -> None:
    member = make_staff(group_id=3)
    start = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    with frozen_clock(start) as now:
        guest("staff/passwordreset", email=member.email).ok()
        now[0] = start + timedelta(minutes=31)
        code = _code(outbox(member.email, RESET_REQUEST)[-1].body)
        guest("staff/update_password", code=code, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).fails(
            LINK_EXPIRED)
        guest("staff/passwordreset", email=member.email).ok()
        code = _code(outbox(member.email, RESET_REQUEST)[-1].body)
        now[0] = start + timedelta(minutes=31 + 29)
        guest("staff/update_password", code=code, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).ok()


def test_update_password_checks(make_staff: Any, guest: Caller, outbox: Any) -> None:
    member = make_staff(group_id=3)
    guest("staff/passwordreset", email=member.email).ok()
    code = _code(outbox(member.email, RESET_REQUEST)[0].body)
    guest("staff/update_password", code="not-a-code", password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).fails(
        LINK_EXPIRED)
    guest("staff/update_password", code=code, password=NEW_PASSWORD, password_confirm="Different-123").fails(
        "Passwords do not match")
    guest("staff/update_password", code=code, password="weakweak", password_confirm="weakweak").fails(
        "Password must include at least one number.")
    # failed attempts do not spend the code
    guest("staff/update_password", code=code, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).ok()


def test_reset_request_limits_fail_silently(make_staff: Any, guest: Caller, outbox: Any) -> None:
    member = make_staff(group_id=3)
    for _ in range(4):  # staff_password_reset_email: 3 an hour
        assert guest("staff/passwordreset", email=member.email).ok() is True
    assert len(outbox(member.email, RESET_REQUEST)) == 3
    other = make_staff(group_id=3)
    assert guest("staff/passwordreset", email=other.email).ok() is True  # 5th from this address
    assert guest("staff/passwordreset", email=other.email).ok() is True  # 6th: staff_password_reset_ip
    assert len(outbox(other.email, RESET_REQUEST)) == 1


def test_update_password_is_rate_limited(guest: Caller) -> None:
    for _ in range(20):
        guest("staff/update_password", code="nope", password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).fails(
            LINK_EXPIRED)
    guest("staff/update_password", code="nope", password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).fails(
        code=429, status=429)


def test_reset_can_be_disabled(make_staff: Any, guest: Caller, staff_config: Any, outbox: Any) -> None:
    member = make_staff(group_id=3)
    staff_config(public={"reset_pw": "0"})
    guest("staff/passwordreset", email=member.email).fails("Password reset has been disabled")
    guest("staff/update_password", code="x", password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).fails(
        "Password reset has been disabled")
    assert outbox(member.email) == []


# -- login history -----------------------------------------------------------------------------
def test_login_history(make_staff: Any, guest: Caller, admin: Any) -> None:
    member = make_staff(group_id=3)
    other = make_staff(group_id=3)
    start = datetime(2031, 5, 1, 8, 0, tzinfo=UTC)
    with frozen_clock(start) as now:
        guest("staff/login", email=member.email, password=member.password).ok()
        now[0] = start + timedelta(minutes=5)
        guest("staff/login", email=other.email, password=other.password).ok()
        now[0] = start + timedelta(minutes=10)
        guest("staff/login", email=member.email, password=member.password).ok()
    page = admin.api("staff/login_history_get_list").ok()
    assert page["per_page"] == 100
    assert page["total"] >= 3
    top = page["list"][:3]
    assert [set(r) for r in top] == [{"id", "ip", "created_at"}] * 3
    assert [r["created_at"] for r in top] == ["2031-05-01 08:10:00", "2031-05-01 08:05:00", "2031-05-01 08:00:00"]
    mine = admin.api("staff/login_history_get_list", admin_id=member.id).ok()
    assert mine["total"] == 2
    assert [r["created_at"][-5:] for r in mine["list"]] == ["10:00", "00:00"]
    one = admin.api("staff/login_history_get", id=top[1]["id"]).ok()
    assert one == {"id": top[1]["id"], "ip": "testclient", "created_at": "2031-05-01 08:05:00"}
    admin.api("staff/login_history_get", id=987654321).fails("Event not found")
    lead = make_staff(group_id=2)  # Support Lead has staff.manage_settings
    assert lead.api("staff/login_history_get_list", per_page=1).ok()["per_page"] == 1
