"""Staff members: creating, finding, listing, editing, deleting, and the hierarchy rules around them.

Groups live in `groups.py`; logins and password resets in `auth.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, bindparam, delete, func, or_, select
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError, NotFound
from pybilling.core import api_keys, emails, passwords
from pybilling.core.crypto import Secrets
from pybilling.core.events import events
from pybilling.modules.staff.models import (
    STATUSES,
    SUPER_ADMIN,
    Staff,
    StaffGroup,
    StaffGroupMember,
    StaffLogin,
    StaffPasswordReset,
)
from pybilling.modules.staff.permissions import is_super_admin
from pybilling.modules.staff.tree import GroupTree

STAFF_ROLE = "admin"
CRON_ROLE = "cron"

SELF_MANAGE = "You cannot manage your own staff account here"
LOWER_ACCOUNTS = "You can only manage staff accounts in lower groups"
LOWER_GROUPS = "You can only manage lower staff groups"
LAST_SUPER_ADMIN = "Cannot remove the last active super administrator"


# -- lookups -----------------------------------------------------------------------------------
def any_staff(db: Session) -> bool:
    return db.scalar(select(Staff.id).where(Staff.role == STAFF_ROLE).limit(1)) is not None


def find_by_email(db: Session, email: str) -> Staff | None:
    return db.scalar(select(Staff).where(Staff.email_normalised == emails.normalise(email)))


def email_taken(db: Session, email: str, *, except_id: int | None = None) -> bool:
    stmt = select(Staff.id).where(Staff.email_normalised == emails.normalise(email))
    if except_id is not None:
        stmt = stmt.where(Staff.id != except_id)
    return db.scalar(stmt) is not None


def get_member(db: Session, staff_id: int) -> Staff:
    staff = db.get(Staff, staff_id)
    if staff is None:
        raise NotFound("Staff member not found")
    return staff


# -- validation --------------------------------------------------------------------------------
def check_password_strength(password: str) -> None:
    """FOSSBilling's strong-password rule, with its messages."""
    if len(password) < 8:
        raise ApiError("Minimum password length is 8 characters.")
    if not re.search(r"[0-9]", password):
        raise ApiError("Password must include at least one number.")
    if not re.search(r"[a-z]", password):
        raise ApiError("Password must include at least one lowercase letter.")
    if not re.search(r"[A-Z]", password):
        raise ApiError("Password must include at least one uppercase letter.")


def check_timezone(name: str | None) -> str | None:
    if name is None or name == "":
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ApiError(f"Invalid timezone: {name}") from None
    return name


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise ApiError("Invalid staff status")
    return status


# -- hierarchy ---------------------------------------------------------------------------------
def lower_group_ids(db: Session, actor: Staff) -> set[int]:
    """Groups strictly below any group of `actor` (the groups a non-super-admin may manage)."""
    tree = GroupTree.load(db)
    lower: set[int] = set()
    for group in actor.groups:
        lower |= tree.descendants(group.id)
    return lower


def ensure_can_manage(db: Session, actor: Staff, target: Staff) -> None:
    if target.id == actor.id:
        raise ApiError(SELF_MANAGE)
    if is_super_admin(actor):
        return
    lower = lower_group_ids(db, actor)
    # A member without any group is nobody's subordinate: only super administrators manage it.
    if not target.groups or any(group.id not in lower for group in target.groups):
        raise ApiError(LOWER_ACCOUNTS)


def ensure_group_is_lower(db: Session, actor: Staff, group_id: int) -> None:
    if not is_super_admin(actor) and group_id not in lower_group_ids(db, actor):
        raise ApiError(LOWER_GROUPS)


def active_super_admin_count(db: Session, *, excluding: int | None = None) -> int:
    stmt = (
        select(func.count(func.distinct(Staff.id)))
        .join(StaffGroupMember, StaffGroupMember.admin_id == Staff.id)
        .join(StaffGroup, StaffGroup.id == StaffGroupMember.admin_group_id)
        .where(StaffGroup.system_name == SUPER_ADMIN, Staff.status == "active", Staff.role == STAFF_ROLE)
    )
    if excluding is not None:
        stmt = stmt.where(Staff.id != excluding)
    return int(db.scalar(stmt) or 0)


def ensure_not_last_super_admin(db: Session, target: Staff) -> None:
    """Refuse a change that would leave the install without an active super administrator."""
    if target.status != "active" or target.role != STAFF_ROLE or not is_super_admin(target):
        return
    if active_super_admin_count(db, excluding=target.id) == 0:
        raise ApiError(LAST_SUPER_ADMIN)


# -- the API shape -----------------------------------------------------------------------------
def to_api(staff: Staff, tree: GroupTree) -> dict[str, Any]:
    """FOSSBilling's Staff Service::toApiArray (`groups` as AdminGroup::toApiArray each)."""
    return {
        "id": staff.id,
        "email": staff.email,
        "name": staff.name,
        "system_name": staff.system_name,
        "status": staff.status,
        "signature": staff.signature,
        "timezone": staff.timezone,
        "created_at": staff.created_at,
        "updated_at": staff.updated_at,
        "groups": [tree.to_api(group) for group in staff.groups],
    }


# -- listing -----------------------------------------------------------------------------------
def search_query(*, search: str | None = None, status: str | None = None) -> Select[Any]:
    """Staff accounts (the cron account is never listed), oldest first."""
    stmt = select(Staff).where(Staff.role == STAFF_ROLE)
    if status:
        stmt = stmt.where(Staff.status == status)
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Staff.email).like(like), func.lower(Staff.name).like(like)))
    return stmt.order_by(Staff.id)


def pairs(db: Session) -> dict[int, str | None]:
    return {row.id: row.name for row in db.execute(select(Staff.id, Staff.name).order_by(Staff.id))}


# -- creating ----------------------------------------------------------------------------------
def create_staff_member(
    db: Session,
    *,
    email: str,
    name: str,
    password: str,
    group_id: int,
    status: str = "inactive",
    signature: str | None = None,
    timezone: str | None = None,
    dns_check: bool = False,
) -> Staff:
    email = emails.checked(email, dns=dns_check)
    check_status(status)
    group = db.get(StaffGroup, group_id)
    if group is None:
        raise ApiError("Group not found")
    if email_taken(db, email):
        raise ApiError(f"Staff member with email {email} is already registered.", 788954)
    staff = Staff(
        email=email,
        email_normalised=emails.normalise(email),
        name=name,
        password_hash=passwords.hash_password(password),
        status=status,
        signature=signature,
        timezone=timezone,
        role=STAFF_ROLE,
    )
    db.add(staff)
    db.flush()
    db.add(StaffGroupMember(admin_id=staff.id, admin_group_id=group.id))
    db.flush()
    db.refresh(staff, ["groups"])
    return staff


def create_member(
    db: Session,
    actor: Staff,
    *,
    email: str,
    name: str,
    password: str,
    group_id: int,
    status: str | None,
    signature: str | None,
    timezone: str | None,
    dns_check: bool,
) -> Staff:
    """`admin/staff/create`: the caller may only place members in groups below its own."""
    email = emails.checked(email, dns=dns_check)
    if db.get(StaffGroup, group_id) is None:
        raise ApiError("Group not found")
    ensure_group_is_lower(db, actor, group_id)
    check_status(status or "inactive")
    timezone = check_timezone(timezone)
    check_password_strength(password)
    if email_taken(db, email):
        raise ApiError(f"Staff member with email {email} is already registered.", 788954)
    events.fire(db, "onBeforeAdminStaffCreate", email=email, group_id=group_id)
    staff = create_staff_member(
        db, email=email, name=name, password=password, group_id=group_id, status=status or "inactive",
        signature=signature, timezone=timezone,
    )
    events.fire(db, "onAfterAdminStaffCreate", id=staff.id)
    return staff


# -- editing -----------------------------------------------------------------------------------
def update_member(db: Session, actor: Staff, target: Staff, changes: dict[str, Any], *, dns_check: bool) -> bool:
    """`admin/staff/update`. Returns True when the member was deactivated (its sessions must end)."""
    new_status = changes.get("status")
    if new_status is not None:
        check_status(new_status)
    if target.id == actor.id:
        if new_status == "inactive":
            raise ApiError("You cannot deactivate your own staff account")
        if not is_super_admin(actor):
            raise ApiError(SELF_MANAGE)
    else:
        ensure_can_manage(db, actor, target)
    if "email" in changes:
        email = emails.checked(changes["email"] or "", dns=dns_check)
        if email_taken(db, email, except_id=target.id):
            raise ApiError(f"Staff member with email {email} is already registered.", 788954)
        changes["email"] = email
    if "timezone" in changes:
        changes["timezone"] = check_timezone(changes["timezone"])
    deactivating = new_status == "inactive" and target.status == "active"
    if deactivating:
        ensure_not_last_super_admin(db, target)
    events.fire(db, "onBeforeAdminStaffUpdate", id=target.id)
    if "email" in changes:
        target.email = changes["email"]
        target.email_normalised = emails.normalise(changes["email"])
    for field in ("name", "signature", "timezone"):
        if field in changes:
            setattr(target, field, changes[field])
    if new_status is not None:
        target.status = new_status
    db.flush()
    events.fire(db, "onAfterAdminStaffUpdate", id=target.id)
    return deactivating


def change_password(db: Session, actor: Staff, target: Staff, password: str, confirm: str) -> None:
    ensure_can_manage(db, actor, target)
    if password != confirm:
        raise ApiError("Passwords do not match")
    check_password_strength(password)
    events.fire(db, "onBeforeAdminStaffPasswordChange", id=target.id)
    target.password_hash = passwords.hash_password(password)
    db.flush()
    events.fire(db, "onAfterAdminStaffPasswordChange", id=target.id)


def delete_member(db: Session, actor: Staff, target: Staff) -> None:
    if target.role == CRON_ROLE:
        raise ApiError("The cron administrator account cannot be removed")
    ensure_can_manage(db, actor, target)
    ensure_not_last_super_admin(db, target)
    target_id = target.id
    events.fire(db, "onBeforeAdminStaffDelete", id=target_id)
    # Explicit deletes: SQLite does not enforce ON DELETE CASCADE unless told to.
    db.execute(delete(StaffGroupMember).where(StaffGroupMember.admin_id == target_id))
    db.execute(delete(StaffPasswordReset).where(StaffPasswordReset.admin_id == target_id))
    db.execute(delete(StaffLogin).where(StaffLogin.admin_id == target_id))
    db.delete(target)
    db.flush()
    events.fire(db, "onAfterAdminStaffDelete", id=target_id)


# -- API keys and identity ---------------------------------------------------------------------
def ensure_api_key(db: Session, secrets: Secrets, staff: Staff) -> str:
    key = api_keys.reveal(secrets, staff)
    if key is None:
        key = api_keys.issue(secrets, staff)
        db.flush()
    return key


@dataclass(frozen=True)
class GroupGrant:
    """What one of a caller's groups grants (the fields `permissions` reads from a StaffGroup)."""

    id: int
    system_name: str | None
    permissions: dict[str, Any] | None


@dataclass
class StaffAccess:
    """An active staff caller and their groups, read in one Core query on every authenticated call.

    The `Staff` record itself is loaded only when a handler needs it (`Call.staff`): the ORM load with
    its groups costs more than the rest of a typical call.
    """

    id: int
    groups: list[GroupGrant]

    def load(self, db: Session) -> Staff | None:
        staff = db.get(Staff, self.id)
        return staff if staff is not None and staff.status == "active" and staff.role == STAFF_ROLE else None


_ADMIN, _MEMBER, _GROUP = Staff.__table__, StaffGroupMember.__table__, StaffGroup.__table__
_ACCESS = (
    select(_ADMIN.c.id, _GROUP.c.id, _GROUP.c.system_name, _GROUP.c.permissions)
    .select_from(
        _ADMIN.outerjoin(_MEMBER, _MEMBER.c.admin_id == _ADMIN.c.id).outerjoin(
            _GROUP, _GROUP.c.id == _MEMBER.c.admin_group_id
        )
    )
    .where(_ADMIN.c.status == "active", _ADMIN.c.role == STAFF_ROLE)
    .order_by(_GROUP.c.id)
)
_ACCESS_BY_KEY = _ACCESS.where(_ADMIN.c.api_key_hmac == bindparam("digest"))
_ACCESS_BY_KEYS = _ACCESS.where(_ADMIN.c.api_key_hmac.in_(bindparam("digests", expanding=True)))
_ACCESS_BY_ID = _ACCESS.where(_ADMIN.c.id == bindparam("id"))


def _access(db: Session, stmt: Any, params: dict[str, Any]) -> StaffAccess | None:
    if db.autoflush and (db.new or db.dirty or db.deleted):
        db.flush()
    rows = db.connection().execute(stmt, params).all()
    if not rows:
        return None
    groups = [GroupGrant(group_id, name, perms) for _, group_id, name, perms in rows if group_id is not None]
    return StaffAccess(rows[0][0], groups)


class StaffPrincipals:
    """How the dispatcher finds the staff member behind a key or a session (as a StaffAccess)."""

    def by_api_key(self, db: Session, digests: list[str]) -> Any | None:
        if len(digests) == 1:
            return _access(db, _ACCESS_BY_KEY, {"digest": digests[0]})
        return _access(db, _ACCESS_BY_KEYS, {"digests": digests})

    def by_id(self, db: Session, principal_id: int) -> Any | None:
        return _access(db, _ACCESS_BY_ID, {"id": principal_id})
