"""`/api/admin/staff/*`: staff members, groups, memberships and login history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from pybilling.api.context import Call
from pybilling.api.errors import ApiError, NotFound
from pybilling.api.pagination import page_request, paginate
from pybilling.api.registry import NoParams, api_method
from pybilling.modules.staff import groups, service
from pybilling.modules.staff.models import Staff, StaffLogin
from pybilling.modules.staff.permissions import is_super_admin
from pybilling.modules.staff.schemas import (
    AdminIdParams,
    ChangePasswordParams,
    GroupCreateParams,
    GroupIdParams,
    GroupUpdateParams,
    IdParams,
    LoginHistoryListParams,
    MembershipParams,
    StaffCreateParams,
    StaffListParams,
    StaffUpdateParams,
)
from pybilling.modules.staff.tree import GroupTree

ID = {"id": "ID was not passed"}
GROUP_ID = {"id": "Group ID was not passed"}
MEMBERSHIP = {"admin_id": "Staff member ID was not passed", "group_id": "Group ID was not passed"}


def _actor(call: Call) -> Staff:
    staff: Staff = call.staff
    return staff


# -- staff members -----------------------------------------------------------------------------
@api_method("admin", "staff", "get_list", permission="staff.view")
def get_list(call: Call, params: StaffListParams) -> dict[str, Any]:
    """List staff members (paginated); `search` matches email or name, `status` filters."""
    tree = GroupTree.load(call.db)
    stmt = service.search_query(search=params.search, status=params.status)
    return paginate(call.db, stmt, page_request(params.page, params.per_page), lambda s: service.to_api(s, tree))


@api_method("admin", "staff", "get_pairs", permission="staff.view")
def get_pairs(call: Call, params: NoParams) -> dict[int, str | None]:
    """Map of staff id => name."""
    return service.pairs(call.db)


@api_method("admin", "staff", "get", required=ID, permission="staff.view")
def get(call: Call, params: IdParams) -> dict[str, Any]:
    """One staff member."""
    return service.to_api(service.get_member(call.db, params.id), GroupTree.load(call.db))


@api_method("admin", "staff", "is_super_administrator")
def is_super_administrator(call: Call, params: NoParams) -> bool:
    """Whether the caller is a super administrator."""
    return is_super_admin(_actor(call))


@api_method("admin", "staff", "create", required={
    "email": "Email address was not passed", "password": "Password was not passed", "name": "Name was not passed",
}, permission="staff.create_and_edit_staff")
def create(call: Call, params: StaffCreateParams) -> int:
    """Create a staff member (inactive unless `status` says otherwise); returns its id."""
    group_id = params.group_id if params.group_id is not None else params.admin_group_id
    if group_id is None:
        raise ApiError("Group ID was not passed")
    staff = service.create_member(
        call.db, _actor(call), email=params.email, name=params.name, password=params.password,
        group_id=group_id, status=params.status, signature=params.signature, timezone=params.timezone,
        dns_check=call.settings.email_dns_check,
    )
    return staff.id


@api_method("admin", "staff", "update", required=ID, permission="staff.create_and_edit_staff")
def update(call: Call, params: StaffUpdateParams) -> bool:
    """Update a staff member; deactivating one ends its sessions at once."""
    target = service.get_member(call.db, params.id)
    changes = {name: getattr(params, name) for name in params.model_fields_set if name != "id"}
    if service.update_member(call.db, _actor(call), target, changes, dns_check=call.settings.email_dns_check):
        call.destroy_sessions(staff_id=target.id)
    return True


@api_method("admin", "staff", "delete", required=ID, permission="staff.delete_staff")
def delete(call: Call, params: IdParams) -> bool:
    """Delete a staff member and end its sessions."""
    target = service.get_member(call.db, params.id)
    target_id = target.id
    service.delete_member(call.db, _actor(call), target)
    call.destroy_sessions(staff_id=target_id)
    return True


@api_method("admin", "staff", "change_password", required={
    "id": "ID was not passed", "password": "Password required", "password_confirm": "Password confirmation required",
}, permission="staff.reset_staff_password")
def change_password(call: Call, params: ChangePasswordParams) -> bool:
    """Set another staff member's password; that member's sessions end."""
    target = service.get_member(call.db, params.id)
    service.change_password(call.db, _actor(call), target, params.password, params.password_confirm)
    call.destroy_sessions(staff_id=target.id)
    return True


# -- groups ------------------------------------------------------------------------------------
@api_method("admin", "staff", "group_get_pairs", permission="staff.view")
def group_get_pairs(call: Call, params: NoParams) -> dict[int, str]:
    """Map of group id => path ("Super Administrator / Support Lead")."""
    return groups.pairs(call.db)


@api_method("admin", "staff", "group_get_list", permission="staff.manage_groups")
def group_get_list(call: Call, params: NoParams) -> dict[str, Any]:
    """Every group, in tree order."""
    return {"list": groups.list_groups(call.db)}


@api_method("admin", "staff", "group_create", required={"name": "Group name was not passed"},
            permission="staff.manage_groups")
def group_create(call: Call, params: GroupCreateParams) -> int:
    """Create a group (super administrators only); returns its id."""
    group = groups.create_group(
        call.db, _actor(call), name=params.name, parent_id=params.parent_id, permissions=params.permissions
    )
    return group.id


@api_method("admin", "staff", "group_get", required=GROUP_ID, permission="staff.manage_groups")
def group_get(call: Call, params: IdParams) -> dict[str, Any]:
    """One group."""
    group = groups.get_group(call.db, params.id)
    return GroupTree.load(call.db).to_api(group)


@api_method("admin", "staff", "group_delete", required=GROUP_ID, permission="staff.manage_groups")
def group_delete(call: Call, params: IdParams) -> bool:
    """Delete an empty, unprotected group without subgroups (super administrators only)."""
    groups.delete_group(call.db, _actor(call), groups.get_group(call.db, params.id))
    return True


@api_method("admin", "staff", "group_update", required=GROUP_ID, permission="staff.manage_groups")
def group_update(call: Call, params: GroupUpdateParams) -> bool:
    """Rename, move or re-permission a group (super administrators only)."""
    group = groups.get_group(call.db, params.id)
    changes = {name: getattr(params, name) for name in params.model_fields_set if name != "id"}
    groups.update_group(call.db, _actor(call), group, changes)
    return True


@api_method("admin", "staff", "group_member_add", required=MEMBERSHIP, permission="staff.manage_groups")
def group_member_add(call: Call, params: MembershipParams) -> bool:
    """Add a staff member to a group."""
    staff = service.get_member(call.db, params.admin_id)
    group = groups.get_group(call.db, params.group_id)
    groups.add_member(call.db, _actor(call), staff, group)
    return True


@api_method("admin", "staff", "group_member_remove", required=MEMBERSHIP, permission="staff.manage_groups")
def group_member_remove(call: Call, params: MembershipParams) -> bool:
    """Remove a staff member from a group."""
    staff = service.get_member(call.db, params.admin_id)
    group = groups.get_group(call.db, params.group_id)
    groups.remove_member(call.db, _actor(call), staff, group)
    return True


@api_method("admin", "staff", "group_member_get_list", required={"group_id": "Group ID was not passed"},
            permission="staff.manage_groups")
def group_member_get_list(call: Call, params: GroupIdParams) -> list[dict[str, Any]]:
    """The members of a group."""
    group = groups.get_group(call.db, params.group_id)
    tree = GroupTree.load(call.db)
    return [service.to_api(staff, tree) for staff in groups.members(call.db, group)]


@api_method("admin", "staff", "admin_group_get_list", required={"admin_id": "Staff member ID was not passed"},
            permission="staff.manage_groups")
def admin_group_get_list(call: Call, params: AdminIdParams) -> list[dict[str, Any]]:
    """The groups of a staff member."""
    staff = service.get_member(call.db, params.admin_id)
    tree = GroupTree.load(call.db)
    return [tree.to_api(group) for group in staff.groups]


# -- login history -----------------------------------------------------------------------------
def _login_to_api(row: StaffLogin) -> dict[str, Any]:
    return {"id": row.id, "ip": row.ip, "created_at": row.created_at}


@api_method("admin", "staff", "login_history_get_list", permission="staff.manage_settings")
def login_history_get_list(call: Call, params: LoginHistoryListParams) -> dict[str, Any]:
    """Staff logins, newest first; `admin_id` narrows to one member."""
    stmt = select(StaffLogin)
    if params.admin_id is not None:
        stmt = stmt.where(StaffLogin.admin_id == params.admin_id)
    stmt = stmt.order_by(StaffLogin.created_at.desc(), StaffLogin.id.desc())
    return paginate(call.db, stmt, page_request(params.page, params.per_page), _login_to_api)


@api_method("admin", "staff", "login_history_get", required={"id": "Event ID was not passed"},
            permission="staff.manage_settings")
def login_history_get(call: Call, params: IdParams) -> dict[str, Any]:
    """One staff login."""
    row = call.db.get(StaffLogin, params.id)
    if row is None:
        raise NotFound("Event not found")
    return _login_to_api(row)
