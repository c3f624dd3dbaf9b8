"""Staff logins and password resets (the guest side of the staff module)."""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError
from pybilling.core import module_config, passwords
from pybilling.core.clock import utcnow
from pybilling.core.events import events
from pybilling.core.mail import queue_template
from pybilling.modules.staff.models import Staff, StaffLogin, StaffPasswordReset
from pybilling.modules.staff.service import STAFF_ROLE, check_password_strength, find_by_email
from pybilling.modules.staff.templates import PASSWORD_RESET_APPROVE, PASSWORD_RESET_REQUEST

RESET_LIFETIME = timedelta(minutes=30)
LOGIN_FAILED = "Check your login details"
LINK_EXPIRED = "The link has expired or you have already confirmed the password reset."


# -- module configuration ----------------------------------------------------------------------
def login_ip_allowed(db: Session, ip: str) -> bool:
    """The staff module's optional allow-list (`check_ip` + `allowed_ips`, one address or network a line)."""
    config = module_config.get_config(db, "staff")
    if not module_config.config_flag(db, "staff", "check_ip"):
        return True
    raw = config.get("allowed_ips") or ""
    entries = raw.replace(",", "\n").split() if isinstance(raw, str) else [str(item) for item in raw]
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for entry in entries:
        try:
            if address in ipaddress.ip_network(entry.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def reset_enabled(db: Session) -> bool:
    """Staff password reset is on unless the module configuration turns `public.reset_pw` off."""
    public = module_config.get_config(db, "staff").get("public")
    if not isinstance(public, dict) or "reset_pw" not in public:
        return True
    value = public["reset_pw"]
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def ensure_reset_enabled(db: Session) -> None:
    if not reset_enabled(db):
        raise ApiError("Password reset has been disabled")


# -- login -------------------------------------------------------------------------------------
def authenticate(db: Session, email: str, password: str) -> Staff | None:
    """The active staff account these credentials open, else None (the same work either way)."""
    staff = find_by_email(db, email)
    if staff is None:
        passwords.dummy_verify()
        return None
    if not passwords.verify_password(password, staff.password_hash):
        return None
    if staff.status != "active" or staff.role != STAFF_ROLE:
        return None
    if staff.password_hash and passwords.needs_rehash(staff.password_hash):
        staff.password_hash = passwords.hash_password(password)
    return staff


def record_login(db: Session, staff: Staff, ip: str) -> StaffLogin:
    row = StaffLogin(admin_id=staff.id, ip=ip[:45])
    db.add(row)
    db.flush()
    return row


# -- password reset ----------------------------------------------------------------------------
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class ResetRequest:
    staff_id: int
    token: str


def request_reset(db: Session, email: str, *, ip: str, base_url: str) -> ResetRequest | None:
    """Email a single-use reset code to an active staff member; unknown addresses do nothing."""
    staff = find_by_email(db, email)
    if staff is None or staff.status != "active" or staff.role != STAFF_ROLE:
        return None
    now = utcnow()
    db.execute(delete(StaffPasswordReset).where(StaffPasswordReset.admin_id == staff.id))
    db.execute(delete(StaffPasswordReset).where(StaffPasswordReset.expires_at <= now))
    token = secrets.token_urlsafe(32)
    db.add(StaffPasswordReset(
        admin_id=staff.id, token_hash=_token_hash(token), ip=ip[:45], created_at=now, expires_at=now + RESET_LIFETIME,
    ))
    db.flush()
    link = f"{base_url.rstrip('/')}/admin/staff/passwordreset?code={token}"
    queue_template(
        db, PASSWORD_RESET_REQUEST, to_email=staff.email, to_name=staff.name, staff_id=staff.id,
        variables={
            "staff": {"id": staff.id, "name": staff.name, "email": staff.email},
            "reset_link": link,
            "code": token,
            "expires_minutes": int(RESET_LIFETIME.total_seconds() // 60),
        },
    )
    return ResetRequest(staff.id, token)


def confirm_reset(db: Session, code: str, password: str, confirm: str) -> Staff:
    """Set the new password for the code's account; the code is spent. The caller ends its sessions."""
    if password != confirm:
        raise ApiError("Passwords do not match")
    row = db.scalar(select(StaffPasswordReset).where(StaffPasswordReset.token_hash == _token_hash(code)))
    if row is None or row.expires_at <= utcnow():
        raise ApiError(LINK_EXPIRED)
    staff = db.get(Staff, row.admin_id)
    if staff is None or staff.role != STAFF_ROLE:
        raise ApiError("Admin not found")
    check_password_strength(password)
    events.fire(db, "onBeforePasswordResetStaff", id=staff.id)
    staff.password_hash = passwords.hash_password(password)
    db.execute(delete(StaffPasswordReset).where(StaffPasswordReset.admin_id == staff.id))
    db.flush()
    queue_template(
        db, PASSWORD_RESET_APPROVE, to_email=staff.email, to_name=staff.name, staff_id=staff.id,
        variables={"staff": {"id": staff.id, "name": staff.name, "email": staff.email}},
    )
    events.fire(db, "onAfterPasswordResetStaff", id=staff.id)
    return staff
