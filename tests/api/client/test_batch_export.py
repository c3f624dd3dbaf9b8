"""batch_delete, batch_expire_password_reminders, export_csv, login_history_get_list, is_taxable."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from pybilling.core import settings_store
from pybilling.core.clock import utcnow
from pybilling.core.events import events
from pybilling.modules.client.models import Client, ClientLogin, ClientPasswordReset
from tests.helpers import Caller, basic

DEFAULT_HEADER = (
    "id,email,status,first_name,last_name,phone_cc,phone,company,company_vat,company_number,address_1,"
    "address_2,city,state,postcode,country,currency"
)


def _exists(db: Any, client_id: int) -> bool:
    db.expire_all()
    with db.begin():
        return db.get(Client, client_id) is not None


def _csv(http: Any, key: str, **params: Any) -> Any:
    return http.get("/api/admin/client/export_csv", params=params, headers=basic("admin", key))


# -- batch_delete ---------------------------------------------------------------------------------
def test_batch_delete_removes_every_listed_client(admin: Any, make_client: Any, db: Any) -> None:
    first, second, kept = make_client(), make_client(), make_client()
    assert admin.api("client/batch_delete", ids=[first.id, second.id, first.id]).ok() is True
    assert (_exists(db, first.id), _exists(db, second.id), _exists(db, kept.id)) == (False, False, True)


def test_batch_delete_from_a_form(admin: Any, make_client: Any, db: Any) -> None:
    first, second = make_client(), make_client()
    admin.api.form("client/batch_delete", {"ids[]": [str(first.id), str(second.id)]}).ok()
    assert not _exists(db, first.id)
    assert not _exists(db, second.id)


def test_batch_delete_is_all_or_nothing(admin: Any, make_client: Any, db: Any) -> None:
    first = make_client()
    admin.api("client/batch_delete", ids=[first.id, 999999]).fails("Client not found")
    assert _exists(db, first.id)


def test_batch_delete_fires_the_delete_events_per_client(admin: Any, make_client: Any) -> None:
    first, second = make_client(), make_client()
    seen: list[tuple[str, Any]] = []

    def listen(event: Any) -> None:
        if event.name.endswith("AdminClientDelete"):
            seen.append((event.name, event.params["id"]))

    events.on_any(listen)
    try:
        admin.api("client/batch_delete", ids=[first.id, second.id]).ok()
    finally:
        events.off(listen)
    assert seen == [
        ("onBeforeAdminClientDelete", first.id), ("onAfterAdminClientDelete", first.id),
        ("onBeforeAdminClientDelete", second.id), ("onAfterAdminClientDelete", second.id),
    ]


@pytest.mark.parametrize("ids", [None, [], ""])
def test_batch_delete_requires_ids(admin: Any, ids: Any) -> None:
    params = {} if ids is None else {"ids": ids}
    admin.api("client/batch_delete", **params).fails("IDs were not passed")


@pytest.mark.parametrize("ids", [5, "5", ["x"], [[1]], [0]])
def test_batch_delete_refuses_malformed_ids(admin: Any, ids: Any) -> None:
    answer = admin.api("client/batch_delete", ids=ids)
    answer.fails(code=9999)
    assert answer.message.startswith("Invalid value for parameter 'ids")


# -- batch_expire_password_reminders --------------------------------------------------------------
def test_expired_password_reminders_are_removed(admin: Any, make_client: Any, db: Any) -> None:
    account = make_client()
    now = utcnow()
    with db.begin():
        db.add_all([
            ClientPasswordReset(client_id=account.id, token_hash="old" * 10, created_at=now - timedelta(hours=3),
                                expires_at=now - timedelta(hours=2)),
            ClientPasswordReset(client_id=account.id, token_hash="new" * 10, created_at=now - timedelta(hours=3),
                                expires_at=now + timedelta(days=6)),
        ])
    assert admin.api("client/batch_expire_password_reminders").ok() is True
    db.expire_all()
    with db.begin():
        left = db.scalars(select(ClientPasswordReset.token_hash).where(ClientPasswordReset.client_id == account.id))
        assert list(left) == ["new" * 10]


# -- export_csv -----------------------------------------------------------------------------------
def test_export_is_a_csv_download_of_the_default_columns(admin: Any, make_client: Any) -> None:
    account = make_client(first_name="Ann", last_name="Lee", company="Acme, Inc.", country="US")
    response = _csv(admin.api.http, admin.key)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="clients.csv"'
    rows = list(csv.reader(io.StringIO(response.text)))
    assert ",".join(rows[0]) == DEFAULT_HEADER
    mine = next(row for row in rows[1:] if row[0] == str(account.id))
    assert mine[1:5] == [account.email, "active", "Ann", "Lee"]
    assert (mine[7], mine[15]) == ("Acme, Inc.", "US")


def test_export_never_contains_secrets(admin: Any, make_client: Any, db: Any) -> None:
    account = make_client()
    with db.begin():
        stored = db.get(Client, account.id)
        secrets = [stored.password_hash, stored.api_key_hmac, stored.api_key_encrypted]
    response = _csv(admin.api.http, admin.key, **{"headers[]": ["id", "pass", "api_key_hmac", "api_key_encrypted",
                                                                 "api_token", "salt", "email"]})
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["id", "email"]
    assert all(secret and secret not in response.text for secret in secrets)


def test_export_with_chosen_headers(admin: Any, make_client: Any) -> None:
    account = make_client(company="Initech")
    response = _csv(admin.api.http, admin.key, headers="company,id,created_at")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["company", "id", "created_at"]
    mine = next(row for row in rows[1:] if row[1] == str(account.id))
    assert mine[0] == "Initech"
    assert len(mine[2]) == 19


def test_export_escapes_formula_cells(admin: Any, make_client: Any) -> None:
    account = make_client(
        first_name="=HYPERLINK(\"http://evil\")", last_name="+1", company="@SUM(A1)", city="-2", state="\tx",
        postcode="\rcr", address_1="safe = text",
    )
    response = _csv(admin.api.http, admin.key, headers="id,first_name,last_name,company,city,state,postcode,address_1")
    rows = list(csv.reader(io.StringIO(response.text)))
    mine = next(row for row in rows[1:] if row[0] == str(account.id))
    assert mine[1:] == ["'=HYPERLINK(\"http://evil\")", "'+1", "'@SUM(A1)", "'-2", "'\tx", "'\rcr", "safe = text"]


def test_export_of_no_clients_is_the_header_row(admin: Any, db: Any) -> None:
    with db.begin():
        db.execute(Client.__table__.delete())
    response = _csv(admin.api.http, admin.key)
    assert response.status_code == 200
    assert response.text == DEFAULT_HEADER + "\r\n"


def test_export_refuses_unknown_columns(admin: Any) -> None:
    def post(headers: Any) -> Any:
        return admin.api.http.post("/api/admin/client/export_csv", json={"headers": headers},
                                   headers=basic("admin", admin.key)).json()

    assert post(["id", "nope"])["error"] == {
        "message": "Invalid value for parameter 'headers': unknown column nope", "code": 9999,
    }
    assert post({"a": {"b": 1}})["error"]["message"].startswith("Invalid value for parameter 'headers'")
    assert post([["id"]])["error"]["message"].startswith("Invalid value for parameter 'headers")


def test_export_needs_its_permission(staff_with: Any) -> None:
    staff_with("view").api("client/export_csv").fails(
        'You need the "client.export" permission to perform this action', code=403, status=403
    )


# -- login_history_get_list -----------------------------------------------------------------------
def test_login_history_lists_logins_newest_first(admin: Any, make_client: Any, guest: Caller) -> None:
    account = make_client(first_name="Lin", last_name="Ho")
    other = make_client()
    guest("client/login", email=account.email, password=account.password).ok()
    guest("client/login", email=other.email, password=other.password).ok()
    guest("client/login", email=account.email, password=account.password).ok()

    mine = admin.api("client/login_history_get_list", client_id=account.id).ok()
    assert (mine["total"], mine["pages"], mine["per_page"]) == (2, 1, 100)
    row = mine["list"][0]
    assert set(row) == {"id", "ip", "created_at", "client"}
    assert row["client"] == {"id": account.id, "first_name": "Lin", "last_name": "Ho", "email": account.email}
    assert row["ip"] == "testclient"
    assert mine["list"][0]["id"] > mine["list"][1]["id"]

    everyone = admin.api("client/login_history_get_list", per_page=500).ok()
    assert {account.id, other.id} <= {r["client"]["id"] for r in everyone["list"]}
    assert admin.api("client/login_history_get_list", search="Lin", client_id=account.id).ok()["total"] == 2
    assert admin.api("client/login_history_get_list", search="zzz-none").ok()["total"] == 0
    page = admin.api("client/login_history_get_list", client_id=account.id, per_page=1, page=2).ok()
    assert (page["page"], len(page["list"])) == (2, 1)


def test_login_history_of_a_deleted_client_is_gone(admin: Any, make_client: Any, db: Any) -> None:
    account = make_client()
    with db.begin():
        db.add(ClientLogin(client_id=account.id, ip="192.0.2.1"))
    admin.api("client/delete", id=account.id).ok()
    assert admin.api("client/login_history_get_list", client_id=account.id).ok()["total"] == 0


# -- is_taxable -----------------------------------------------------------------------------------
def test_is_taxable_follows_the_tax_setting_and_the_exemption(make_client: Any, admin: Any, db: Any) -> None:
    account = make_client()
    assert account.api("client/is_taxable").ok() is False  # taxes are off on a fresh install
    with db.begin():
        settings_store.set_param(db, "tax_enabled", "1")
    assert account.api("client/is_taxable").ok() is True
    admin.api("client/update", id=account.id, tax_exempt=True).ok()
    assert account.api("client/is_taxable").ok() is False


def test_is_taxable_is_a_client_method(admin: Any, guest: Caller) -> None:
    admin.api("client/is_taxable").fails(code=740, status=404)
    Caller(guest.http, "client")("client/is_taxable").fails("Authentication Failed", code=201, status=401)
