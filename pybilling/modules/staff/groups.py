"""Staff groups: the tree, their permissions, and who belongs to them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError, NotFound
from pybilling.modules.staff.models import SUPER_ADMIN, Staff, StaffGroup, StaffGroupMember
from pybilling.modules.staff.permissions import MODULE_PERMISSIONS, is_super_admin
from pybilling.modules.staff.service import (
    ensure_can_manage,
    ensure_group_is_lower,
    ensure_not_last_super_admin,
)
from pybilling.modules.staff.tree import GroupTree

ONLY_SUPER_ADMINS = "Only super administrators can manage staff groups"
NOT_AN_ARRAY = 'Parameter "permissions" must be an array'
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def get_group(db: Session, group_id: int, message: str = "Group not found") -> StaffGroup:
    group = db.get(StaffGroup, group_id)
    if group is None:
        raise NotFound(message)
    return group


def ensure_super_admin(actor: Staff) -> None:
    if not is_super_admin(actor):
        raise ApiError(ONLY_SUPER_ADMINS, 403)


def _flag(module: str, key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ApiError(f'Invalid value for permission "{module}.{key}"')


def clean_permissions(value: Any) -> dict[str, dict[str, bool]]:
    """`{module: {access: bool, key: bool}}` with known modules and keys only; false keys dropped."""
    if isinstance(value, list) and not value:
        return {}
    if not isinstance(value, dict):
        raise ApiError(NOT_AN_ARRAY)
    cleaned: dict[str, dict[str, bool]] = {}
    for module, keys in value.items():
        allowed = MODULE_PERMISSIONS.get(module)
        if allowed is None:
            raise ApiError(f'Unknown permission module "{module}"')
        if isinstance(keys, list) and not keys:
            continue
        if not isinstance(keys, dict):
            raise ApiError(NOT_AN_ARRAY)
        flags: dict[str, bool] = {}
        for key in ("access", *allowed):
            if key in keys and _flag(module, key, keys[key]):
                flags[key] = True
        unknown = [key for key in keys if key != "access" and key not in allowed]
        if unknown:
            raise ApiError(f'Unknown permission "{module}.{unknown[0]}"')
        if flags:
            cleaned[module] = flags
    return cleaned


def pairs(db: Session) -> dict[int, str]:
    tree = GroupTree.load(db)
    return {group.id: tree.path(group) for group in tree.ordered()}


def list_groups(db: Session) -> list[dict[str, Any]]:
    tree = GroupTree.load(db)
    return [tree.to_api(group) for group in tree.ordered()]


def create_group(db: Session, actor: Staff, *, name: str, parent_id: int | None, permissions: Any) -> StaffGroup:
    ensure_super_admin(actor)
    if parent_id is None:
        parent_id = db.scalar(select(StaffGroup.id).where(StaffGroup.system_name == SUPER_ADMIN))
    if parent_id is None or db.get(StaffGroup, parent_id) is None:
        raise NotFound("Group not found")
    group = StaffGroup(
        name=name,
        parent_id=parent_id,
        permissions=clean_permissions(permissions) if permissions is not None else {},
        protected=False,
    )
    db.add(group)
    db.flush()
    return group


def update_group(db: Session, actor: Staff, group: StaffGroup, changes: dict[str, Any]) -> None:
    ensure_super_admin(actor)
    if group.protected:
        raise ApiError("Protected staff groups cannot be modified")
    if "parent_id" in changes:
        parent_id = changes["parent_id"]
        if parent_id is None:
            raise ApiError("Staff groups must have a parent group")
        if db.get(StaffGroup, parent_id) is None:
            raise ApiError("Parent group not found")
        if parent_id == group.id:
            raise ApiError("A group cannot be its own parent")
        if parent_id in GroupTree.load(db).descendants(group.id):
            raise ApiError("A group cannot use one of its subgroups as parent")
    if "name" in changes and not (changes["name"] or "").strip():
        raise ApiError("Group name was not passed")
    permissions = clean_permissions(changes["permissions"]) if "permissions" in changes else None
    if "name" in changes:
        group.name = changes["name"]
    if "parent_id" in changes:
        group.parent_id = changes["parent_id"]
    if permissions is not None:
        group.permissions = permissions
    db.flush()


def delete_group(db: Session, actor: Staff, group: StaffGroup) -> None:
    ensure_super_admin(actor)
    if group.protected:
        raise ApiError("Protected staff groups cannot be removed")
    members = db.scalar(select(func.count()).where(StaffGroupMember.admin_group_id == group.id))
    if members:
        raise ApiError("Cannot remove group which has staff members")
    if db.scalar(select(func.count()).where(StaffGroup.parent_id == group.id)):
        raise ApiError("Cannot remove group which has child groups")
    db.delete(group)
    db.flush()


def members(db: Session, group: StaffGroup) -> list[Staff]:
    stmt = (
        select(Staff)
        .join(StaffGroupMember, StaffGroupMember.admin_id == Staff.id)
        .where(StaffGroupMember.admin_group_id == group.id)
        .order_by(Staff.id)
    )
    return list(db.scalars(stmt))


def _membership(db: Session, staff: Staff, group: StaffGroup) -> StaffGroupMember | None:
    return db.scalar(
        select(StaffGroupMember).where(
            StaffGroupMember.admin_id == staff.id, StaffGroupMember.admin_group_id == group.id
        )
    )


def add_member(db: Session, actor: Staff, staff: Staff, group: StaffGroup) -> None:
    ensure_can_manage(db, actor, staff)
    ensure_group_is_lower(db, actor, group.id)
    if _membership(db, staff, group) is None:
        db.add(StaffGroupMember(admin_id=staff.id, admin_group_id=group.id))
        db.flush()
        db.refresh(staff, ["groups"])


def remove_member(db: Session, actor: Staff, staff: Staff, group: StaffGroup) -> None:
    ensure_can_manage(db, actor, staff)
    ensure_group_is_lower(db, actor, group.id)
    membership = _membership(db, staff, group)
    if membership is None:
        return
    if group.system_name == SUPER_ADMIN:
        ensure_not_last_super_admin(db, staff)
    db.execute(delete(StaffGroupMember).where(StaffGroupMember.id == membership.id))
    db.flush()
    db.refresh(staff, ["groups"])
