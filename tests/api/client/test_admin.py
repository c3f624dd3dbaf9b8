"""Staff methods: create, get, get_list, get_pairs, get_statuses, update, delete, change_password."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import event, func, select

from pybilling.modules.client.models import ClientGroup, ClientLogin
from tests.helpers import Caller, unique_email

ADMIN_KEYS = {
    "id", "email", "email_approved", "type", "first_name", "last_name", "gender", "birthday", "phone_cc", "phone",
    "company", "company_vat", "company_number", "address_1", "address_2", "city", "state", "postcode", "country",
    "currency", "lang", "timezone", "aid", "group_id", "role", "auth_type", "status", "tax_exempt", "notes", "ip",
    "referred_by", "billing_email", "created_at", "updated_at", *(f"custom_{i}" for i in range(1, 21)),
    "balance", "group",
}


def _group(db: Any, title: str = "Resellers") -> int:
    with db.begin():
        group = ClientGroup(title=title)
        db.add(group)
        db.flush()
        return group.id


# -- create -----------------------------------------------------------------------------------
def test_create_with_password(admin: Any, guest: Caller, stored: Any, db: Any, outbox: Any) -> None:
    email = unique_email("made")
    group_id = _group(db)
    client_id = admin.api(
        "client/create", email=email, first_name="Alan", last_name="Turing", password="Enigma-1912",
        group_id=group_id, company="Bletchley", country="GB", birthday="1912-06-23", notes="staff only",
        send_welcome_email=False, custom_3="x",
    ).ok()
    client = stored(client_id)
    assert (client.first_name, client.client_group_id) == ("Alan", group_id)
    assert (client.notes, client.custom_3) == ("staff only", "x")
    assert outbox(email) == []
    guest("client/login", email=email, password="Enigma-1912").ok()


def test_create_with_welcome_email_lets_the_client_choose_a_password(admin: Any, guest: Caller, outbox: Any) -> None:
    email = unique_email("welcome")
    admin.api("client/create", email=email, first_name="Kay").ok()
    [mail] = outbox(email, "mod_client_signup_admin")
    token = re.search(r"/client/reset-password-confirm/([A-Za-z0-9_-]+)", mail.body).group(1)  # type: ignore[union-attr]
    guest("client/update_password", hash=token, password="Chosen-Pass-1", password_confirm="Chosen-Pass-1").ok()
    guest("client/login", email=email, password="Chosen-Pass-1").ok()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"first_name": "A"}, "Email required"),
        ({"email": "a@example.com"}, "First name is required"),
        ({"email": "a@example.com", "first_name": "A", "send_welcome_email": False},
         "A password is required when the welcome email is disabled."),
        ({"email": "a@example.com", "first_name": "A", "status": "suspended"},
         "Welcome email can only be sent for active clients."),
        ({"email": "bad", "first_name": "A"}, "Email address is invalid"),
        ({"email": "a@example.com", "first_name": "A", "group_id": 999999}, "Client group not found"),
        ({"email": "a@example.com", "first_name": "A", "country": "ZZ"}, "Invalid country code: ZZ"),
        ({"email": "a@example.com", "first_name": "A", "lang": "xx_YY_zz"}, "Invalid locale code: xx_YY_zz"),
    ],
)
def test_create_errors(admin: Any, params: dict[str, Any], message: str) -> None:
    admin.api("client/create", **params).fails(message)


def test_create_refuses_a_registered_email(admin: Any, make_client: Any) -> None:
    existing = make_client()
    admin.api("client/create", email=existing.email, first_name="B").fails("This email address is already registered.")


def test_create_refuses_a_bad_status(admin: Any) -> None:
    answer = admin.api("client/create", email=unique_email(), first_name="A", status="god", password="x")
    assert answer.message.startswith("Invalid value for parameter 'status'")


# -- get --------------------------------------------------------------------------------------
def test_get_by_id_and_email(admin: Any, make_client: Any, db: Any) -> None:
    group_id = _group(db, "Gold")
    account = make_client(company="ACME", client_group_id=group_id)
    by_id = admin.api("client/get", id=account.id).ok()
    assert by_id == admin.api.get("client/get", email=account.email.upper()).ok()
    assert set(by_id) == ADMIN_KEYS | {"client_group", "api_token"}
    assert by_id["api_token"] == account.key
    assert by_id["group"] == "Gold"
    assert by_id["group_id"] == group_id
    assert by_id["client_group"] == {"id": group_id, "title": "Gold"}
    assert by_id["balance"] == 0
    assert by_id["tax_exempt"] is False
    assert by_id["email_approved"] is False
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", by_id["created_at"])
    assert by_id["custom_20"] is None


def test_get_errors(admin: Any) -> None:
    admin.api("client/get").fails("Client ID or email is required")
    admin.api("client/get", id=999999).fails("Client not found")
    admin.api("client/get", email="nobody@example.com").fails("Client not found")
    assert admin.api("client/get", id=[1]).message.startswith("Invalid value for parameter 'id'")


def test_get_hides_the_key_without_manage_api_keys(staff_with: Any, make_client: Any) -> None:
    account = make_client()
    result = staff_with("view").api("client/get", id=account.id).ok()
    assert "api_token" not in result
    assert "client_group" not in result
    assert staff_with("view", "manage_api_keys").api("client/get", id=account.id).ok()["api_token"] == account.key


# -- lists ------------------------------------------------------------------------------------
def test_get_list_search_filters_and_pagination(admin: Any, make_client: Any, db: Any) -> None:
    group_id = _group(db)
    tag = unique_email("x").split("@")[0]
    a = make_client(first_name="Zed", company=f"{tag} Widgets", client_group_id=group_id)
    b = make_client(first_name="Yan", company=f"{tag} Gadgets", status="suspended")
    c = make_client(first_name="Xia", last_name="Wu", company=f"{tag} 100%_off")
    page = admin.api("client/get_list", search=tag, per_page=2).ok()
    assert (page["total"], page["pages"], page["per_page"], page["page"]) == (3, 2, 2, 1)
    assert set(page["list"][0]) == ADMIN_KEYS
    ids = [row["id"] for row in page["list"]] + [
        row["id"] for row in admin.api("client/get_list", search=tag, per_page=2, page=2).ok()["list"]
    ]
    assert sorted(ids) == sorted([a.id, b.id, c.id])
    assert ids == [c.id, b.id, a.id]  # newest first

    def found(**filters: Any) -> list[int]:
        return [row["id"] for row in admin.api.get("client/get_list", search=tag, **filters).ok()["list"]]

    assert found(status="suspended") == [b.id]
    assert found(group_id=group_id) == [a.id]
    assert found(name="Xia") == [c.id]
    assert [r["id"] for r in admin.api("client/get_list", search="Xia Wu").ok()["list"]] == [c.id]
    assert [r["id"] for r in admin.api("client/get_list", search=str(b.id)).ok()["list"]] == [b.id]
    assert [r["id"] for r in admin.api("client/get_list", search=f"{tag} 100%_").ok()["list"]] == [c.id]
    assert [r["id"] for r in admin.api("client/get_list", search="100%_off' OR 1=1 --").ok()["list"]] == []
    assert found(order_by="first_name", order_dir="asc") == [c.id, b.id, a.id]
    assert found(email=a.email) == [a.id]
    group_row = admin.api("client/get_list", search=tag, group_id=group_id).ok()["list"][0]
    assert group_row["group"] == "Resellers"


def test_get_list_refuses_unknown_ordering_and_bad_pages(admin: Any) -> None:
    assert admin.api("client/get_list", order_by="password_hash").message.startswith(
        "Invalid value for parameter 'order_by'"
    )
    admin.api("client/get_list", per_page=501).fails(
        "The number of items per page (per_page) is too large. Please specify a smaller number."
    )
    admin.api("client/get_list", page=0).fails("Page number (page) must be a positive integer.")


def test_get_list_issues_a_constant_number_of_queries(admin: Any, make_client: Any, db: Any, engine: Any) -> None:
    group_id = _group(db)
    tag = unique_email("q").split("@")[0]

    def count_queries() -> int:
        statements: list[str] = []

        def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if "client" in statement.lower():
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            assert admin.api("client/get_list", search=tag).ok()["total"] > 0
        finally:
            event.remove(engine, "before_cursor_execute", before)
        return len(statements)

    make_client(company=tag, client_group_id=group_id)
    few = count_queries()
    for _ in range(6):
        make_client(company=tag, client_group_id=group_id)
    assert count_queries() == few


def test_get_pairs(admin: Any, make_client: Any) -> None:
    tag = unique_email("p").split("@")[0]
    a = make_client(first_name="Sample", last_name="Client", company=f"{tag} Co")
    b = make_client(first_name="No", last_name=tag)
    expected = {str(b.id): f"No {tag}", str(a.id): f"Sample Client ({tag} Co)"}
    assert admin.api("client/get_pairs", search=tag).ok() == expected
    assert list(admin.api("client/get_pairs", search=tag, per_page=1).ok()) == [str(b.id)]
    assert admin.api("client/get_pairs", search="nothing-matches-this").ok() == []
    admin.api("client/get_pairs", per_page="many").fails("Invalid per page number")


def test_get_statuses(admin: Any, make_client: Any, db: Any) -> None:
    before = admin.api.get("client/get_statuses").ok()
    assert set(before) == {"total", "active", "suspended", "canceled"}
    make_client(status="suspended")
    make_client(status="canceled")
    make_client()
    after = admin.api("client/get_statuses").ok()
    assert {k: after[k] - before[k] for k in after} == {"total": 3, "active": 1, "suspended": 1, "canceled": 1}


# -- update -----------------------------------------------------------------------------------
def test_update_changes_only_given_fields(admin: Any, make_client: Any, stored: Any, db: Any) -> None:
    account = make_client(company="Old Co", phone="123")
    group_id = _group(db)
    admin.api(
        "client/update", id=account.id, company="New Co", email_approved=1, tax_exempt="1",
        group_id=group_id, currency="eur", birthday="1990-01-02", timezone="Europe/Riga",
    ).ok()
    client = stored(account.id)
    assert (client.company, client.phone, client.currency) == ("New Co", "123", "EUR")
    assert client.email_approved is True
    assert client.tax_exempt is True
    assert client.client_group_id == group_id
    assert str(client.birthday) == "1990-01-02"
    admin.api("client/update", id=account.id, group_id="").ok()
    assert stored(account.id).client_group_id is None


def test_update_email(admin: Any, make_client: Any, stored: Any, guest: Caller) -> None:
    account = make_client()
    other = make_client()
    admin.api("client/update", id=account.id, email=other.email.upper()).fails(
        "This email address is already registered."
    )
    new_email = unique_email("moved")
    admin.api("client/update", id=account.id, email=new_email).ok()
    assert stored(account.id).email == new_email
    guest("client/login", email=new_email, password=account.password).ok()
    admin.api("client/update", id=account.id, email=new_email).ok()  # its own address is no conflict


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Client ID was not passed"),
        ({"id": 999999}, "Client not found"),
        ({"country": "QQ"}, "Invalid country code: QQ"),
        ({"timezone": "Mars/Base"}, "Invalid timezone: Mars/Base"),
        ({"group_id": "abc"}, "Invalid client group ID: abc"),
        ({"group_id": 999999}, "Client group not found"),
        ({"email": "broken"}, "Email address is invalid"),
    ],
)
def test_update_errors(admin: Any, make_client: Any, params: dict[str, Any], message: str) -> None:
    if params.get("id") is None and params:
        params = {"id": make_client().id, **params}
    admin.api("client/update", **params).fails(message)


def test_suspension_ends_sessions_and_key_access(admin: Any, make_client: Any, guest: Caller, http: Any) -> None:
    account = make_client()
    guest("client/login", email=account.email, password=account.password).ok()
    session = Caller(http, "client")
    session.csrf = http.cookies.get("csrf_token")
    session("client/resend_email_verification").ok()
    account.api("client/resend_email_verification").ok()

    admin.api("client/update", id=account.id, status="suspended").ok()
    session("client/resend_email_verification").fails("Authentication Failed", code=201, status=401)
    account.api("client/resend_email_verification").fails("Authentication Failed", code=204, status=401)
    guest("client/login", email=account.email, password=account.password).fails(code=401)

    admin.api("client/update", id=account.id, status="active").ok()
    account.api("client/resend_email_verification").ok()  # the key works again once reactivated
    session("client/resend_email_verification").fails(code=201)  # the ended session does not come back


# -- delete, change_password ------------------------------------------------------------------
def test_delete(admin: Any, make_client: Any, guest: Caller, db: Any, stored: Any) -> None:
    account = make_client()
    guest("client/login", email=account.email, password=account.password).ok()
    guest("client/reset_password", email=account.email).ok()
    assert admin.api("client/delete", id=account.id).ok() is True
    assert stored(account.id) is None
    with db.begin():
        assert db.scalar(select(func.count()).select_from(ClientLogin).where(ClientLogin.client_id == account.id)) == 0
    account.api("client/resend_email_verification").fails(code=204)
    admin.api("client/delete", id=account.id).fails("Client not found")
    admin.api("client/delete").fails("Client ID is missing")


def test_change_password(admin: Any, make_client: Any, guest: Caller, http: Any) -> None:
    account = make_client()
    guest("client/login", email=account.email, password=account.password).ok()
    session = Caller(http, "client")
    session.csrf = http.cookies.get("csrf_token")
    admin.api("client/change_password", id=account.id, password="Changed-1-x", password_confirm="Changed-2-x").fails(
        "Passwords do not match"
    )
    new = {"password": "Changed-1-x", "password_confirm": "Changed-1-x"}
    assert admin.api("client/change_password", id=account.id, **new).ok() is True
    session("client/resend_email_verification").fails(code=201)
    guest("client/login", email=account.email, password=account.password).fails(code=401)
    guest("client/login", email=account.email, password="Changed-1-x").ok()


def test_change_password_required_params(admin: Any) -> None:
    admin.api("client/change_password", password="a", password_confirm="a").fails("ID required")
    admin.api("client/change_password", id=1, password_confirm="a").fails("Password required")
    admin.api("client/change_password", id=1, password="a").fails("Password confirmation required")
    admin.api("client/change_password", id=999999, password="a", password_confirm="a").fails("Client not found")
