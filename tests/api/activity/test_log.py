"""The system log: adding lines, listing with filters, permissions; events fired by other calls are logged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pybilling.modules.activity.models import ActivityClientEmail, ActivitySystem
from tests.helpers import Caller

ITEM_KEYS = {
    "id", "priority", "admin_id", "client_id", "message", "ip", "created_at", "staff_id", "staff_email",
    "staff_name", "client_name", "client_email",
}


def newest(admin: Any, **filters: Any) -> dict[str, Any]:
    page = admin.api("activity/log_get_list", **filters).ok()
    assert page["list"], page
    return page["list"][0]  # type: ignore[no-any-return]


def test_log_then_list(admin: Any) -> None:
    assert admin.api("activity/log", m="Something happened").ok() is True
    item = newest(admin)
    assert set(item) == ITEM_KEYS
    assert item["message"] == "Something happened"
    assert item["priority"] == 6
    assert (item["admin_id"], item["client_id"], item["staff_id"], item["client_email"]) == (None, None, None, None)
    assert item["client_name"] == ""
    assert item["ip"] == "testclient"
    assert len(item["created_at"]) == 19


def test_list_shape_and_pagination(admin: Any) -> None:
    for n in range(3):
        admin.api("activity/log", m=f"paged line {n}").ok()
    page = admin.api("activity/log_get_list", search="paged line", per_page=2).ok()
    assert (page["total"], page["pages"], page["page"], page["per_page"]) == (3, 2, 1, 2)
    assert [item["message"] for item in page["list"]] == ["paged line 2", "paged line 1"]
    second = admin.api("activity/log_get_list", search="paged line", per_page=2, page=2).ok()
    assert [item["message"] for item in second["list"]] == ["paged line 0"]


def test_log_names_staff_and_client(admin: Any, make_client: Any) -> None:
    client = make_client(first_name="Ada", last_name="Lovelace")
    admin.api("activity/log", m="with people", admin_id=admin.id, client_id=client.id, priority=3).ok()
    item = newest(admin, search="with people")
    assert (item["admin_id"], item["client_id"], item["priority"]) == (admin.id, client.id, 3)
    assert item["staff"] == {"id": admin.id, "name": "Test Staff", "email": admin.email}
    assert item["client"] == {"id": client.id, "name": "Ada Lovelace", "email": client.email}
    assert (item["client_name"], item["client_email"]) == ("Ada Lovelace", client.email)
    assert item["staff_email"] == admin.email


def test_priority_filters(admin: Any) -> None:
    admin.api("activity/log", m="prio debug line", priority=7).ok()
    admin.api("activity/log", m="prio error line", priority=3).ok()
    default = admin.api("activity/log_get_list", search="prio ").ok()
    assert [item["message"] for item in default["list"]] == ["prio error line"]
    everything = admin.api("activity/log_get_list", search="prio ", min_priority=7).ok()
    assert [item["message"] for item in everything["list"]] == ["prio error line", "prio debug line"]
    exact = admin.api.get("activity/log_get_list", search="prio ", priority="7").ok()
    assert [item["message"] for item in exact["list"]] == ["prio debug line"]


def test_staff_and_client_filters(admin: Any, make_client: Any) -> None:
    client = make_client()
    admin.api("activity/log", m="filter staff line", admin_id=admin.id).ok()
    admin.api("activity/log", m="filter client line", client_id=client.id).ok()
    staff_only = admin.api("activity/log_get_list", search="filter ", only_staff=1).ok()
    assert [item["message"] for item in staff_only["list"]] == ["filter staff line"]
    clients_only = admin.api("activity/log_get_list", search="filter ", only_clients=1).ok()
    assert [item["message"] for item in clients_only["list"]] == ["filter client line"]
    by_client = admin.api("activity/log_get_list", client_id=client.id).ok()
    assert [item["message"] for item in by_client["list"]] == ["filter client line"]


def test_search_treats_wildcards_literally(admin: Any) -> None:
    admin.api("activity/log", m="literal 100% done").ok()
    admin.api("activity/log", m="literal 1000 done").ok()
    found = admin.api("activity/log_get_list", search="100%").ok()
    assert [item["message"] for item in found["list"]] == ["literal 100% done"]


def test_log_without_message_is_false_and_stores_nothing(admin: Any, db: Session) -> None:
    with db.begin():
        before = db.scalar(select(func.count()).select_from(ActivitySystem))
    assert admin.api("activity/log").ok() is False
    db.expire_all()
    with db.begin():
        assert db.scalar(select(func.count()).select_from(ActivitySystem)) == before


def test_bad_values_are_clean_errors(admin: Any) -> None:
    answer = admin.api("activity/log", m=["a"])
    answer.fails(code=9999)
    assert answer.message.startswith("Invalid value for parameter 'm'")
    answer = admin.api("activity/log", m="x", priority=9)
    answer.fails(code=9999)
    assert answer.message.startswith("Invalid value for parameter 'priority'")
    admin.api("activity/log_get_list", per_page=0).fails(
        "The number of items per page (per_page) must be a positive integer."
    )


def test_log_email(admin: Any, make_client: Any, db: Session) -> None:
    client = make_client()
    assert admin.api(
        "activity/log_email", subject="Welcome", client_id=client.id, sender="shop@example.com",
        recipients=client.email, content_html="<p>Hi</p>", content_text="Hi",
    ).ok() is True
    assert admin.api("activity/log_email", client_id=client.id).ok() is False
    with db.begin():
        rows = list(db.scalars(select(ActivityClientEmail).where(ActivityClientEmail.client_id == client.id)))
        assert len(rows) == 1
        row = rows[0]
        assert (row.subject, row.sender, row.recipients, row.content_html, row.content_text) == (
            "Welcome", "shop@example.com", client.email, "<p>Hi</p>", "Hi",
        )


def test_module_access_and_permissions(staff_with: Any) -> None:
    outsider = staff_with({"support": {"access": True}})
    outsider.api("activity/log_get_list").fails("You do not have access to the activity module", code=725)
    reader = staff_with({"activity": {"access": True, "view": True}})
    assert reader.api("activity/log_get_list").ok()["page"] == 1
    reader.api("activity/log", m="x").fails(
        'You need the "activity.manage" permission to perform this action', code=403, status=403
    )
    reader.api("activity/log_email", subject="x").fails(
        'You need the "activity.manage" permission to perform this action', code=403, status=403
    )
    no_view = staff_with({"activity": {"access": True, "manage": True}})
    no_view.api("activity/log_get_list").fails(
        'You need the "activity.view" permission to perform this action', code=403, status=403
    )
    assert no_view.api("activity/log", m="x").ok() is True


def test_other_roles_are_refused(http: Any, make_client: Any, guest: Caller) -> None:
    Caller(http, "admin")("activity/log_get_list").fails("Authentication Failed", code=201, status=401)
    guest("activity/log_get_list").fails(code=740, status=404)
    client = make_client()
    client.api("activity/log_get_list").fails(code=740, status=404)


def test_events_of_other_calls_are_logged(admin: Any, make_staff: Any, guest: Caller, log_lines: Any) -> None:
    staff = make_staff()
    guest("staff/login", email=staff.email, password=staff.password).ok()
    lines = [line for line in log_lines("onAfterAdminLogin") if line.ip == "testclient"]
    assert len(lines) >= 1
    assert lines[-1].priority == 6

    created = admin.api("client/create", email="logged.client@example.com", first_name="Logged",
                        password="Client-Pass-123!").ok()
    after = log_lines("onAfterAdminClientCreate")
    assert after[-1].admin_id == admin.id
    assert len(log_lines("onBeforeAdminClientCreate")) == len(after)
    item = newest(admin, search="onAfterAdminClientCreate")
    assert item["staff"]["id"] == admin.id
    assert isinstance(created, int)


def test_an_event_becomes_one_log_line_that_rolls_back_with_its_call(
    admin: Any, fire_probe: str, log_lines: Any
) -> None:
    assert admin.api(fire_probe).ok() is True
    lines = log_lines("onZzProbeEvent")
    assert len(lines) == 1
    assert (lines[0].priority, lines[0].admin_id, lines[0].ip) == (6, admin.id, "testclient")
    admin.api(fire_probe, fail=True).fails("probe failed after firing")
    assert len(log_lines("onZzProbeEvent")) == 1
