"""Security properties of the protocol, one test each."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from pybilling.modules.client.models import Client
from pybilling.modules.staff.models import Staff
from tests.api.protocol.conftest import require_method
from tests.helpers import Caller, basic


def _count(db: Session, model: type[Any]) -> int:
    with db.begin():
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("role", ["system", "staff", "Admin", "CLIENT", "root", "api", "guest "])
def test_only_the_three_lowercase_roles_route(http: TestClient, admin: Any, role: str) -> None:
    r = http.post(f"/api/{role}/staff/get_list", json={}, headers=basic("admin", admin.key))
    assert r.status_code == 400
    assert r.json()["result"] is None
    assert r.json()["error"]["code"] == 879


def test_guest_cannot_create_staff(guest: Caller, db: Session) -> None:
    before = _count(db, Staff)
    sent = {"email": f"x_{uuid.uuid4().hex[:8]}@example.com", "password": "Testing123+", "name": "X",
            "group_id": 1, "admin_group_id": 1, "status": "active"}
    guest("staff/create", **sent).fails(
        "Guest API call create does not exist in module staff", code=740, status=404
    )
    guest.form("staff/create", sent).fails(code=740, status=404)
    guest.get("staff_create", **sent)  # any spelling: still no staff created
    assert _count(db, Staff) == before


@pytest.mark.parametrize(
    "hostile",
    ["' OR 1=1 --", "%", "_", "\\", "%' OR '1'='1", "\" OR \"\"=\"", "'; DROP TABLE client; --", "*", "[a-z]%"],
)
def test_search_values_never_reach_sql_as_text(admin: Any, make_client: Any, db: Session, hostile: str) -> None:
    require_method("admin", "client", "get_list")
    make_client(email=f"plain{uuid.uuid4().hex[:8]}@example.com")  # no field holds any of the hostile texts
    total = _count(db, Client)
    result = admin.api.get("client/get_list", search=hostile, per_page=500).ok()
    assert result["total"] == 0, (hostile, result["total"], total)
    assert _count(db, Client) == total  # and nothing was dropped


def test_paging_and_order_values_never_reach_sql_as_text(admin: Any, make_client: Any, db: Session) -> None:
    require_method("admin", "client", "get_list")
    make_client()
    total = _count(db, Client)
    result = admin.api("client/get_list", per_page="1 UNION SELECT 1", page="1; DELETE FROM client").ok()
    assert (result["page"], result["per_page"], result["total"]) == (1, 100, total)
    for order in ("id; DROP TABLE client", "(SELECT 1)", "1"):
        admin.api("client/get_list", order_by=order).fails(code=9999, status=200)
    admin.api("client/get_list", order_dir="desc; DROP TABLE client").fails(code=9999, status=200)
    assert _count(db, Client) == total


@pytest.mark.parametrize(
    "field_values",
    [
        {"email": ["a@example.com"]},
        {"email": {"a": "b"}},
        {"first_name": ["Jane"]},
        {"first_name": {"nested": {"deeper": ["x"]}}},
        {"first_name": "J" * 100_000},
        {"last_name": "L" * 5000},
        {"company": "C" * 5000},
        {"email": "e" * 300 + "@example.com"},
        {"status": ["active"]},
        {"group_id": {"id": 1}},
        {"password": ["secret"]},
    ],
)
def test_malformed_input_is_a_clean_error_and_nothing_is_written(
    admin: Any, db: Session, field_values: dict[str, Any]
) -> None:
    require_method("admin", "client", "create")
    before = _count(db, Client)
    sent = {"email": f"m_{uuid.uuid4().hex[:8]}@example.com", "first_name": "Jane", "password": "Testing123+"}
    sent.update(field_values)
    answer = admin.api("client/create", **sent)
    assert answer.status == 200, answer.body
    assert answer.body["result"] is None, answer.body
    assert answer.body["error"]["code"] == 9999, answer.body
    assert "Traceback" not in answer.body["error"]["message"]
    assert _count(db, Client) == before


@pytest.mark.parametrize(
    "field_values",
    [
        {"email": ["a@example.com"]},
        {"name": {"first": "x"}},
        {"name": "N" * 5000},
        {"group_id": [1]},
        {"password": {"p": 1}},
        {"signature": "S" * 100_000},
    ],
)
def test_malformed_staff_input_is_a_clean_error_and_nothing_is_written(
    admin: Any, db: Session, field_values: dict[str, Any]
) -> None:
    require_method("admin", "staff", "create")
    before = _count(db, Staff)
    sent = {"email": f"s_{uuid.uuid4().hex[:8]}@example.com", "name": "Sam", "password": "Testing123+",
            "group_id": 2, "status": "active"}
    sent.update(field_values)
    answer = admin.api("staff/create", **sent)
    assert answer.status == 200, answer.body
    assert answer.body["result"] is None, answer.body
    assert answer.body["error"]["code"] == 9999, answer.body
    assert _count(db, Staff) == before
