"""Staff rules that other parts rely on: creating members, finding them, their API keys."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError
from pybilling.core import api_keys, emails, passwords
from pybilling.core.crypto import Secrets
from pybilling.modules.staff.models import STATUSES, Staff, StaffGroup, StaffGroupMember


def any_staff(db: Session) -> bool:
    return db.scalar(select(Staff.id).where(Staff.role == "admin").limit(1)) is not None


def find_by_email(db: Session, email: str) -> Staff | None:
    return db.scalar(select(Staff).where(Staff.email_normalised == emails.normalise(email)))


def email_taken(db: Session, email: str, *, except_id: int | None = None) -> bool:
    stmt = select(Staff.id).where(Staff.email_normalised == emails.normalise(email))
    if except_id is not None:
        stmt = stmt.where(Staff.id != except_id)
    return db.scalar(stmt) is not None


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
    if status not in STATUSES:
        raise ApiError("Invalid staff status")
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
        role="admin",
    )
    db.add(staff)
    db.flush()
    db.add(StaffGroupMember(admin_id=staff.id, admin_group_id=group.id))
    db.flush()
    db.refresh(staff, ["groups"])
    return staff


def ensure_api_key(db: Session, secrets: Secrets, staff: Staff) -> str:
    key = api_keys.reveal(secrets, staff)
    if key is None:
        key = api_keys.issue(secrets, staff)
        db.flush()
    return key


class StaffPrincipals:
    """How the dispatcher finds the staff member behind a key or a session."""

    def by_api_key(self, db: Session, digests: list[str]) -> Any | None:
        return db.scalar(
            select(Staff).where(Staff.api_key_hmac.in_(digests), Staff.status == "active", Staff.role == "admin")
        )

    def by_id(self, db: Session, principal_id: int) -> Any | None:
        staff = db.get(Staff, principal_id)
        if staff is None or staff.status != "active" or staff.role != "admin":
            return None
        return staff
