"""Staff groups and memberships."""

from __future__ import annotations

from typing import Any

from tests.api.staff.conftest import NEW_PASSWORD

GROUP_FIELDS = {"id", "name", "system_name", "parent_id", "parent_name", "path", "depth", "permissions",
                "protected", "created_at", "updated_at"}
ONLY_SUPER = "Only super administrators can manage staff groups"


def test_group_get_pairs_labels_are_paths(admin: Any) -> None:
    pairs = admin.api("staff/group_get_pairs").ok()
    assert pairs["1"] == "Super Administrator"
    assert pairs["2"] == "Super Administrator / Support Lead"
    assert pairs["3"] == "Super Administrator / Support Lead / Support Staff"


def test_group_get_and_list_shape(admin: Any) -> None:
    lead = admin.api("staff/group_get", id=2).ok()
    assert set(lead) == GROUP_FIELDS
    assert (lead["name"], lead["system_name"], lead["parent_id"], lead["parent_name"], lead["depth"],
            lead["protected"]) == ("Support Lead", "support_lead", 1, "Super Administrator", 1, False)
    assert lead["permissions"]["staff"]["manage_groups"] is True
    assert admin.api("staff/group_get", id=1).ok()["permissions"] == []
    listed = admin.api("staff/group_get_list").ok()
    assert set(listed) == {"list"}
    ids = [g["id"] for g in listed["list"]]
    assert ids[:3] == [1, 2, 3] or ids.index(1) < ids.index(2) < ids.index(3)
    assert next(g for g in listed["list"] if g["id"] == 3)["path"] == (
        "Super Administrator / Support Lead / Support Staff")
    admin.api("staff/group_get", id=999999).fails("Group not found")


def test_group_create_update_delete(admin: Any) -> None:
    new_id = admin.api("staff/group_create", name="Billing", parent_id=2,
                       permissions={"invoice": {"access": True, "view": "1", "manage_invoices": "0"}}).ok()
    group = admin.api("staff/group_get", id=new_id).ok()
    assert group["path"] == "Super Administrator / Support Lead / Billing"
    assert group["depth"] == 2
    assert group["permissions"] == {"invoice": {"access": True, "view": True}}
    assert group["protected"] is False

    child = admin.api("staff/group_create", name="Billing Juniors", parent_id=new_id).ok()
    admin.api("staff/group_update", id=new_id, name="Accounts", parent_id=1,
              permissions={"client": {"access": True, "view": True}}).ok()
    moved = admin.api("staff/group_get", id=new_id).ok()
    assert (moved["name"], moved["parent_id"], moved["depth"]) == ("Accounts", 1, 1)
    assert moved["permissions"] == {"client": {"access": True, "view": True}}
    assert admin.api("staff/group_get", id=child).ok()["path"] == "Super Administrator / Accounts / Billing Juniors"

    admin.api("staff/group_delete", id=new_id).fails("Cannot remove group which has child groups")
    assert admin.api("staff/group_delete", id=child).ok() is True
    assert admin.api("staff/group_delete", id=new_id).ok() is True
    admin.api("staff/group_get", id=new_id).fails("Group not found")


def test_group_create_defaults_and_errors(admin: Any) -> None:
    new_id = admin.api("staff/group_create", name="Top level").ok()
    group = admin.api("staff/group_get", id=new_id).ok()
    assert group["parent_id"] == 1
    assert group["permissions"] == []
    admin.api("staff/group_create", name="Orphan", parent_id=999999).fails("Group not found")
    admin.api("staff/group_create", name="Bad", permissions="all").fails('Parameter "permissions" must be an array')
    admin.api("staff/group_create", name="Bad", permissions={"nosuchmodule": {"access": True}}).fails(
        'Unknown permission module "nosuchmodule"')
    admin.api("staff/group_create", name="Bad", permissions={"staff": {"access": True, "fly": True}}).fails(
        'Unknown permission "staff.fly"')
    admin.api("staff/group_create", name="Bad", permissions={"staff": {"view": "maybe"}}).fails(
        'Invalid value for permission "staff.view"')


def test_group_update_rules(admin: Any) -> None:
    admin.api("staff/group_update", id=1, name="Gods").fails("Protected staff groups cannot be modified")
    admin.api("staff/group_update", id=2, parent_id="").fails("Staff groups must have a parent group")
    admin.api("staff/group_update", id=2, parent_id=999999).fails("Parent group not found")
    admin.api("staff/group_update", id=2, parent_id=2).fails("A group cannot be its own parent")
    admin.api("staff/group_update", id=2, parent_id=3).fails("A group cannot use one of its subgroups as parent")
    admin.api("staff/group_update", id=3, permissions=["x"]).fails('Parameter "permissions" must be an array')
    admin.api("staff/group_update", id=999999, name="x").fails("Group not found")
    admin.api("staff/group_update", id=2, name=" ").fails("Group name was not passed")
    assert admin.api("staff/group_get", id=2).ok()["parent_id"] == 1


def test_group_update_by_form_with_php_brackets(admin: Any) -> None:
    new_id = admin.api("staff/group_create", name="Form made").ok()
    admin.api.form("staff/group_update", {"id": str(new_id), "permissions[support][access]": "1",
                                          "permissions[support][view]": "on"}).ok()
    assert admin.api("staff/group_get", id=new_id).ok()["permissions"] == {"support": {"access": True, "view": True}}


def test_group_delete_rules(admin: Any, make_group: Any, make_staff: Any) -> None:
    admin.api("staff/group_delete", id=1).fails("Protected staff groups cannot be removed")
    group_id = make_group({})
    make_staff(group_id=group_id)
    admin.api("staff/group_delete", id=group_id).fails("Cannot remove group which has staff members")
    assert admin.api("staff/group_get", id=group_id).ok()["id"] == group_id
    admin.api("staff/group_delete", id=999999).fails("Group not found")


def test_only_super_admins_manage_groups(make_staff: Any) -> None:
    lead = make_staff(group_id=2)  # has staff.manage_groups
    lead.api("staff/group_get_list").ok()
    lead.api("staff/group_create", name="Mine").fails(ONLY_SUPER, 403, 403)
    lead.api("staff/group_update", id=3, permissions={"staff": {"access": True}}).fails(ONLY_SUPER, 403, 403)
    lead.api("staff/group_update", id=2, permissions={"system": {"access": True}}).fails(ONLY_SUPER, 403, 403)
    lead.api("staff/group_delete", id=3).fails(ONLY_SUPER, 403, 403)


def test_permissions_of_an_edited_group_take_effect(admin: Any, make_group: Any, make_staff: Any) -> None:
    group_id = make_group({"staff": {"access": True}})
    member = make_staff(group_id=group_id)
    member.api("staff/get_pairs").fails('You need the "staff.view" permission to perform this action', 403, 403)
    admin.api("staff/group_update", id=group_id, permissions={"staff": {"access": True, "view": True}}).ok()
    member.api("staff/get_pairs").ok()


# -- memberships -------------------------------------------------------------------------------
def test_member_add_remove_and_lists(admin: Any, make_staff: Any) -> None:
    member = make_staff(group_id=3)
    assert admin.api("staff/group_member_add", admin_id=member.id, group_id=2).ok() is True
    assert admin.api("staff/group_member_add", admin_id=member.id, group_id=2).ok() is True  # already in
    groups = admin.api("staff/admin_group_get_list", admin_id=member.id).ok()
    assert [g["id"] for g in groups] == [2, 3]
    assert set(groups[0]) == GROUP_FIELDS
    members = admin.api("staff/group_member_get_list", group_id=2).ok()
    assert member.id in [m["id"] for m in members]
    row = next(m for m in members if m["id"] == member.id)
    assert [g["id"] for g in row["groups"]] == [2, 3]

    assert admin.api("staff/group_member_remove", admin_id=member.id, group_id=3).ok() is True
    assert [g["id"] for g in admin.api("staff/admin_group_get_list", admin_id=member.id).ok()] == [2]
    assert member.id not in [m["id"] for m in admin.api("staff/group_member_get_list", group_id=3).ok()]


def test_membership_not_found(admin: Any, make_staff: Any) -> None:
    member = make_staff(group_id=3)
    admin.api("staff/group_member_add", admin_id=987654, group_id=2).fails("Staff member not found")
    admin.api("staff/group_member_add", admin_id=member.id, group_id=987654).fails("Group not found")
    admin.api("staff/group_member_remove", admin_id=987654, group_id=2).fails("Staff member not found")
    admin.api("staff/group_member_get_list", group_id=987654).fails("Group not found")
    admin.api("staff/admin_group_get_list", admin_id=987654).fails("Staff member not found")


def test_staff_cannot_raise_their_own_permissions(make_staff: Any, admin: Any) -> None:
    lead = make_staff(group_id=2)
    lead.api("staff/group_member_add", admin_id=lead.id, group_id=1).fails(
        "You cannot manage your own staff account here")
    admin.api("staff/group_member_add", admin_id=admin.id, group_id=2).fails(
        "You cannot manage your own staff account here")
    assert admin.api("staff/is_super_administrator").ok() is True
    assert lead.api("staff/is_super_administrator").ok() is False
    assert [g["id"] for g in admin.api("staff/admin_group_get_list", admin_id=lead.id).ok()] == [2]


def test_membership_hierarchy(make_staff: Any, admin: Any, guest: Any) -> None:
    lead = make_staff(group_id=2)
    support = make_staff(group_id=3)
    lead.api("staff/group_member_add", admin_id=support.id, group_id=1).fails("You can only manage lower staff groups")
    lead.api("staff/group_member_add", admin_id=support.id, group_id=2).fails("You can only manage lower staff groups")
    lead.api("staff/group_member_add", admin_id=admin.id, group_id=3).fails(
        "You can only manage staff accounts in lower groups")
    lead.api("staff/group_member_remove", admin_id=admin.id, group_id=1).fails(
        "You can only manage staff accounts in lower groups")
    # a super admin may promote; the promoted member then has super admin powers
    admin.api("staff/group_member_add", admin_id=support.id, group_id=1).ok()
    assert support.api("staff/is_super_administrator").ok() is True
    admin.api("staff/change_password", id=support.id, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD).ok()
    admin.api("staff/group_member_remove", admin_id=support.id, group_id=1).ok()
    support.api("staff/is_super_administrator").fails("You do not have access to the staff module", 725)


def test_member_without_groups_is_managed_by_super_admins_only(admin: Any, make_staff: Any) -> None:
    lead = make_staff(group_id=2)
    member = make_staff(group_id=3)
    admin.api("staff/group_member_remove", admin_id=member.id, group_id=3).ok()
    assert admin.api("staff/admin_group_get_list", admin_id=member.id).ok() == []
    lead.api("staff/group_member_add", admin_id=member.id, group_id=3).fails(
        "You can only manage staff accounts in lower groups")
    admin.api("staff/group_member_add", admin_id=member.id, group_id=3).ok()
    lead.api("staff/update", id=member.id, name="Back in a group").ok()
