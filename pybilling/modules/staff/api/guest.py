"""`/api/guest/staff/*`: staff login and password reset. There is no guest `create`."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pybilling.api.context import Call
from pybilling.api.errors import PermissionDenied
from pybilling.api.registry import api_method
from pybilling.core import emails
from pybilling.core.events import events
from pybilling.modules.staff import auth
from pybilling.modules.staff.schemas import LoginParams, PasswordResetParams, UpdatePasswordParams


@api_method("guest", "staff", "login", required={"email": "Email required", "password": "Password required"})
def login(call: Call, params: LoginParams) -> dict[str, Any]:
    """Staff login with email and password: starts a session and returns {id, email, name}."""
    call.effects.login_time_floor = True
    if not auth.login_ip_allowed(call.db, call.request.ip):
        raise PermissionDenied("You are not allowed to login to admin area from this IP address.")
    call.fire("onBeforeAdminLogin", email=params.email, ip=call.request.ip)
    staff = auth.authenticate(call.db, params.email, params.password)
    if staff is None:
        email, ip = params.email, call.request.ip

        def record_failure(db: Session) -> None:
            events.fire(db, "onEventAdminLoginFailed", email=email, ip=ip)

        call.effects.after_failure.append(record_failure)
        raise PermissionDenied(auth.LOGIN_FAILED)
    auth.record_login(call.db, staff, call.request.ip)
    call.start_session(staff_id=staff.id)
    call.fire("onAfterAdminLogin", id=staff.id, ip=call.request.ip)
    return {"id": staff.id, "email": staff.email, "name": staff.name}


@api_method("guest", "staff", "passwordreset", required={"email": "Email required"})
def passwordreset(call: Call, params: PasswordResetParams) -> bool:
    """Email a password reset code; answers `true` whether or not the address is a staff member's."""
    auth.ensure_reset_enabled(call.db)
    if not call.rate_limit_silent("staff_password_reset_ip"):
        return True
    if not call.rate_limit_silent("staff_password_reset_email", emails.normalise(params.email)):
        return True
    call.fire("onBeforePasswordResetStaff", email=params.email)
    auth.request_reset(call.db, params.email, ip=call.request.ip, base_url=call.settings.base_url)
    return True


@api_method("guest", "staff", "update_password", required={
    "code": "Code required", "password": "Password required", "password_confirm": "Password confirmation required",
})
def update_password(call: Call, params: UpdatePasswordParams) -> None:
    """Set a new password with a reset code; every session of that staff member ends."""
    call.rate_limit("staff_password_reset_confirm_post_ip")
    auth.ensure_reset_enabled(call.db)
    staff = auth.confirm_reset(call.db, params.code, params.password, params.password_confirm)
    call.destroy_sessions(staff_id=staff.id)
