"""Staff members: list, pairs, get, create, update, delete, change_password, and the hierarchy rules."""

from __future__ import annotations

from typing import Any

from pybilling.core import passwords
from tests.api.staff.conftest import NEW_PASSWORD
from tests.helpers import unique_email

STAFF_FIELDS = {"id", "email", "name", "system_name", "status", "signature", "timezone", "created_at",
                "updated_at", "groups"}
SUPER_ADMIN_GROUP = {"id": 1, "name": "Super Administrator", "system_name": "super_admin", "parent_id": None,
                     "parent_name": None, "path": "Super Administrator", "depth": 0, "permissions": [],
                     "protected": True}


def _create(api: Any, **overrides: Any) -> Any:
    params = {"email": unique_email("member"), "password": "Member-Pass-123", "name": "Member", "group_id": 3}
    params.update(overrides)
    return api("staff/create", **params)


# -- reading -----------------------------------------------------------------------------------
def test_get_has_the_fossbilling_shape(admin: Any) -> None:
    row = admin.api("staff/get", id=admin.id).ok()
    assert set(row) == STAFF_FIELDS
    assert row["id"] == admin.id
    assert row["email"] == admin.email
    assert row["name"] == "Test Staff"
    assert row["status"] == "active"
    assert row["system_name"] is None
    assert row["signature"] is None
    assert len(row["created_at"]) == 19
    assert row["created_at"][4] == "-"
    assert row["created_at"][10] == " "
    [group] = row["groups"]
    assert {k: group[k] for k in SUPER_ADMIN_GROUP} == SUPER_ADMIN_GROUP
    assert set(group) == set(SUPER_ADMIN_GROUP) | {"created_at", "updated_at"}


def test_get_unknown_member(admin: Any) -> None:
    admin.api("staff/get", id=987654).fails("Staff member not found")


def test_get_list_paginates_filters_and_hides_cron(admin: Any, make_staff: Any, make_cron_account: Any) -> None:
    other = make_staff(group_id=3, status="inactive", name="Zed Inactive")
    cron_id, _, _ = make_cron_account()
    page = admin.api("staff/get_list", per_page=500).ok()
    assert set(page) == {"pages", "page", "per_page", "total", "list"}
    ids = [row["id"] for row in page["list"]]
    assert admin.id in ids
    assert other.id in ids
    assert cron_id not in ids
    assert ids == sorted(ids)
    assert set(page["list"][0]) == STAFF_FIELDS

    found = admin.api("staff/get_list", search=other.email.upper()).ok()
    assert [row["id"] for row in found["list"]] == [other.id]
    assert found["total"] == 1
    assert [r["id"] for r in admin.api("staff/get_list", search="zed inact").ok()["list"]] == [other.id]
    inactive = admin.api.get("staff/get_list", status="inactive", per_page="500").ok()
    assert other.id in [r["id"] for r in inactive["list"]]
    assert all(r["status"] == "inactive" for r in inactive["list"])

    one = admin.api("staff/get_list", per_page=1, page=2).ok()
    assert one["per_page"] == 1
    assert one["page"] == 2
    assert len(one["list"]) == 1
    assert one["pages"] == page["total"]
    admin.api("staff/get_list", per_page=501).fails(
        "The number of items per page (per_page) is too large. Please specify a smaller number."
    )


def test_get_pairs_maps_id_to_name_including_cron(admin: Any, make_cron_account: Any) -> None:
    cron_id, _, _ = make_cron_account()
    pairs = admin.api("staff/get_pairs").ok()
    assert pairs[str(admin.id)] == "Test Staff"
    assert pairs[str(cron_id)] == "System Cron Job"


# -- create ------------------------------------------------------------------------------------
def test_create_makes_an_inactive_member_by_default(admin: Any, stored: Any, fired: Any) -> None:
    email = unique_email("Member")
    new_id = _create(admin.api, email=email, signature="Regards", timezone="Europe/Paris").ok()
    assert isinstance(new_id, int)
    member = stored(new_id)
    assert member.status == "inactive"
    assert member.email == email
    assert member.email_normalised == email.lower()
    assert member.signature == "Regards"
    assert member.timezone == "Europe/Paris"
    assert member.password_hash != "Member-Pass-123"
    assert passwords.verify_password("Member-Pass-123", member.password_hash)
    assert [g.id for g in member.groups] == [3]
    names = [e.name for e in fired]
    assert names.index("onBeforeAdminStaffCreate") < names.index("onAfterAdminStaffCreate")
    assert [e.params["id"] for e in fired if e.name == "onAfterAdminStaffCreate"] == [new_id]


def test_create_active_member_and_admin_group_id_alias(admin: Any, stored: Any) -> None:
    new_id = admin.api("staff/create", email=unique_email(), password="Member-Pass-123", name="Alias",
                       admin_group_id=2, status="active").ok()
    member = stored(new_id)
    assert member.status == "active"
    assert [g.id for g in member.groups] == [2]


def test_create_validation(admin: Any) -> None:
    _create(admin.api, email="not-an-email").fails("Email address is invalid")
    _create(admin.api, group_id=999999).fails("Group not found")
    _create(admin.api, status="sleeping").fails("Invalid staff status")
    _create(admin.api, timezone="Mars/Olympus").fails("Invalid timezone: Mars/Olympus")
    _create(admin.api, password="short1A").fails("Minimum password length is 8 characters.")
    _create(admin.api, password="no-digits-Here").fails("Password must include at least one number.")
    _create(admin.api, password="NO-LOWER-123").fails("Password must include at least one lowercase letter.")
    _create(admin.api, password="no-upper-123").fails("Password must include at least one uppercase letter.")
    _create(admin.api, email=admin.email.upper()).fails(
        f"Staff member with email {admin.email.upper()} is already registered.", 788954
    )


def test_non_super_admin_creates_only_in_lower_groups(make_staff: Any, stored: Any) -> None:
    lead = make_staff(group_id=2)  # Support Lead may create staff
    new_id = _create(lead.api, group_id=3).ok()
    assert [g.id for g in stored(new_id).groups] == [3]
    _create(lead.api, group_id=2).fails("You can only manage lower staff groups")
    _create(lead.api, group_id=1).fails("You can only manage lower staff groups")


# -- update ------------------------------------------------------------------------------------
def test_update_changes_only_given_fields(admin: Any, make_staff: Any, stored: Any, fired: Any) -> None:
    member = make_staff(group_id=3, name="Before")
    new_email = unique_email("renamed")
    assert admin.api("staff/update", id=member.id, email=new_email, signature="Sig",
                     timezone="America/New_York").ok() is True
    row = stored(member.id)
    assert (row.email, row.email_normalised, row.signature, row.timezone, row.name) == (
        new_email, new_email.lower(), "Sig", "America/New_York", "Before")
    admin.api.form("staff/update", {"id": str(member.id), "name": "After"}).ok()
    assert stored(member.id).name == "After"
    assert stored(member.id).signature == "Sig"
    names = [e.name for e in fired]
    assert names.count("onBeforeAdminStaffUpdate") == 2
    assert names.count("onAfterAdminStaffUpdate") == 2


def test_update_validation(admin: Any, make_staff: Any) -> None:
    member = make_staff(group_id=3)
    other = make_staff(group_id=3)
    admin.api("staff/update", id=987654, name="x").fails("Staff member not found")
    admin.api("staff/update", id=member.id, email="bad@").fails("Email address is invalid")
    admin.api("staff/update", id=member.id, email=other.email.upper()).fails(
        f"Staff member with email {other.email.upper()} is already registered.", 788954
    )
    admin.api("staff/update", id=member.id, status="asleep").fails("Invalid staff status")
    admin.api("staff/update", id=member.id, timezone="Nowhere/Land").fails("Invalid timezone: Nowhere/Land")


def test_update_self(admin: Any, make_staff: Any, stored: Any) -> None:
    admin.api("staff/update", id=admin.id, status="inactive").fails("You cannot deactivate your own staff account")
    assert stored(admin.id).status == "active"
    admin.api("staff/update", id=admin.id, name="Me Myself").ok()  # a super admin may edit itself
    lead = make_staff(group_id=2)
    lead.api("staff/update", id=lead.id, name="Lead").fails("You cannot manage your own staff account here")


def test_update_hierarchy(make_staff: Any, admin: Any, stored: Any) -> None:
    lead = make_staff(group_id=2)
    peer = make_staff(group_id=2)
    lead.api("staff/update", id=admin.id, status="inactive").fails(
        "You can only manage staff accounts in lower groups")
    lead.api("staff/update", id=peer.id, name="x").fails("You can only manage staff accounts in lower groups")
    assert stored(admin.id).status == "active"
    support = make_staff(group_id=3)
    lead.api("staff/update", id=support.id, name="Managed").ok()
    assert stored(support.id).name == "Managed"


def test_deactivation_ends_sessions_and_key_access(admin: Any, make_staff: Any, login_session: Any,
                                                   stored: Any) -> None:
    member = make_staff(group_id=2)
    browser = login_session(member.email, member.password)
    browser("staff/get_pairs").ok()
    member.api("staff/get_pairs").ok()
    admin.api("staff/update", id=member.id, status="inactive").ok()
    browser("staff/get_pairs").fails("Authentication Failed", 201, 401)
    member.api("staff/get_pairs").fails("Authentication Failed", 205, 401)
    # reactivated: the key works again, the ended session stays ended
    admin.api("staff/update", id=member.id, status="active").ok()
    member.api("staff/get_pairs").ok()
    browser("staff/get_pairs").fails(code=201)
    assert stored(member.id).status == "active"


# -- delete ------------------------------------------------------------------------------------
def test_delete(admin: Any, make_staff: Any, login_session: Any, stored: Any, fired: Any) -> None:
    member = make_staff(group_id=3)
    browser = login_session(member.email, member.password)
    assert admin.api("staff/delete", id=member.id).ok() is True
    assert stored(member.id) is None
    admin.api("staff/get", id=member.id).fails("Staff member not found")
    member.api("staff/get_pairs").fails(code=205, status=401)
    browser("profile/get").fails(code=201, status=401)
    names = [e.name for e in fired]
    assert names.index("onBeforeAdminStaffDelete") < names.index("onAfterAdminStaffDelete")
    admin.api("staff/delete", id=member.id).fails("Staff member not found")


def test_delete_refusals(admin: Any, make_staff: Any, make_cron_account: Any, stored: Any) -> None:
    cron_id, _, _ = make_cron_account()
    admin.api("staff/delete", id=cron_id).fails("The cron administrator account cannot be removed")
    admin.api("staff/delete", id=admin.id).fails("You cannot manage your own staff account here")
    lead = make_staff(group_id=2)
    other_admin = make_staff(group_id=1)
    lead.api("staff/update", id=other_admin.id, name="x").fails("You can only manage staff accounts in lower groups")
    assert stored(cron_id) is not None
    assert stored(admin.id) is not None


def test_delete_permission_and_hierarchy(staff_with: Any, make_group: Any, make_staff: Any, stored: Any) -> None:
    deleter = staff_with("view", "delete_staff")
    sibling_member = make_staff(group_id=3)  # Support Staff is not below the deleter's group
    deleter.api("staff/delete", id=sibling_member.id).fails("You can only manage staff accounts in lower groups")
    deleter_group = stored(deleter.id).groups[0].id
    below = make_staff(group_id=make_group({}, parent_id=deleter_group))
    deleter.api("staff/delete", id=below.id).ok()
    assert stored(below.id) is None
    assert stored(sibling_member.id) is not None


# -- change_password ---------------------------------------------------------------------------
def test_change_password(admin: Any, make_staff: Any, login_session: Any, guest: Any, fired: Any) -> None:
    member = make_staff(group_id=3)
    browser = login_session(member.email, member.password)
    assert admin.api("staff/change_password", id=member.id, password=NEW_PASSWORD,
                     password_confirm=NEW_PASSWORD).ok() is True
    browser("profile/get").fails(code=201, status=401)  # its sessions ended
    guest("staff/login", email=member.email, password=member.password).fails("Check your login details", 403, 403)
    guest("staff/login", email=member.email, password=NEW_PASSWORD).ok()
    names = [e.name for e in fired]
    assert names.index("onBeforeAdminStaffPasswordChange") < names.index("onAfterAdminStaffPasswordChange")


def test_change_password_refusals(admin: Any, make_staff: Any) -> None:
    member = make_staff(group_id=3)
    admin.api("staff/change_password", id=member.id, password=NEW_PASSWORD, password_confirm="Other-Pass-123").fails(
        "Passwords do not match")
    admin.api("staff/change_password", id=member.id, password="weak", password_confirm="weak").fails(
        "Minimum password length is 8 characters.")
    admin.api("staff/change_password", id=admin.id, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).fails(
        "You cannot manage your own staff account here")
    admin.api("staff/change_password", id=987654, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).fails(
        "Staff member not found")
    lead = make_staff(group_id=2)
    lead.api("staff/change_password", id=admin.id, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).fails(
        "You can only manage staff accounts in lower groups")
    lead.api("staff/change_password", id=member.id, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).ok()
