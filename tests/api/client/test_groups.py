"""Client groups: group_get_pairs, group_create, group_get, group_update, group_delete."""

from __future__ import annotations

from typing import Any

import pytest

from pybilling.modules.client.models import ClientGroup
from tests.helpers import Caller

GROUP_KEYS = {"id", "title", "created_at", "updated_at"}


def test_create_get_update_and_delete_a_group(admin: Any, db: Any) -> None:
    group_id = admin.api("client/group_create", title="Resellers").ok()
    assert isinstance(group_id, int)
    group = admin.api("client/group_get", id=group_id).ok()
    assert set(group) == GROUP_KEYS
    assert (group["id"], group["title"]) == (group_id, "Resellers")
    assert len(group["created_at"]) == 19

    assert admin.api("client/group_update", id=group_id, title="Partners").ok() is True
    assert admin.api("client/group_get", id=group_id).ok()["title"] == "Partners"
    assert admin.api("client/group_update", id=group_id, title="  ").ok() is True
    assert admin.api("client/group_update", id=group_id).ok() is True
    assert admin.api("client/group_get", id=group_id).ok()["title"] == "Partners"

    assert admin.api("client/group_delete", id=group_id).ok() is True
    with db.begin():
        assert db.get(ClientGroup, group_id) is None
    admin.api("client/group_get", id=group_id).fails("Group not found")


def test_group_pairs_list_every_group_by_id(admin: Any) -> None:
    first = admin.api("client/group_create", title="Gold").ok()
    second = admin.api("client/group_create", title="Silver").ok()
    pairs = admin.api.get("client/group_get_pairs").ok()
    assert pairs["1"] == "Default"
    assert (pairs[str(first)], pairs[str(second)]) == ("Gold", "Silver")
    assert list(pairs) == sorted(pairs, key=int)


def test_a_group_with_clients_cannot_be_deleted(admin: Any, make_client: Any, db: Any) -> None:
    group_id = admin.api("client/group_create", title="Busy").ok()
    member = make_client(client_group_id=group_id)
    admin.api("client/group_delete", id=group_id).fails("Group has clients assigned. Please reassign them first.")
    with db.begin():
        assert db.get(ClientGroup, group_id) is not None
    admin.api("client/update", id=member.id, group_id="").ok()
    assert admin.api("client/group_delete", id=group_id).ok() is True


@pytest.mark.parametrize(
    ("action", "params", "message"),
    [
        ("group_create", {}, "Group title is missing"),
        ("group_create", {"title": " "}, "Group title is missing"),
        ("group_get", {}, "Group ID is missing"),
        ("group_update", {"title": "x"}, "Group ID is missing"),
        ("group_delete", {}, "Group ID is missing"),
        ("group_get", {"id": 999999}, "Group not found"),
        ("group_update", {"id": 999999, "title": "x"}, "Group not found"),
        ("group_delete", {"id": 999999}, "Group not found"),
    ],
)
def test_group_errors(admin: Any, action: str, params: dict[str, Any], message: str) -> None:
    admin.api(f"client/{action}", **params).fails(message)


def test_group_parameters_are_typed(admin: Any) -> None:
    admin.api("client/group_create", title=["a"]).fails(code=9999)
    assert admin.api("client/group_create", title=["a"]).message.startswith("Invalid value for parameter 'title'")
    admin.api("client/group_create", title="x" * 256).fails(code=9999)
    admin.api("client/group_get", id="abc").fails("Invalid value for parameter 'id': must be an integer")


def test_group_methods_work_with_get_and_forms(admin: Any) -> None:
    group_id = admin.api.form("client/group_create", {"title": "Form group"}).ok()
    assert admin.api.get("client/group_get", id=group_id).ok()["title"] == "Form group"


def test_clients_cannot_manage_groups(make_client: Any) -> None:
    account = make_client()
    Caller(account.api.http, "admin", account.key)("client/group_get_pairs").fails(code=205, status=401)
    account.api("client/group_get_pairs").fails(
        "Client API call group_get_pairs does not exist in module client", code=740, status=404
    )
