"""Guest client methods: signup, login, password reset and the signup form's configuration."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pybilling.api.context import Call
from pybilling.api.errors import ApiError
from pybilling.api.registry import NoParams, api_method
from pybilling.core import emails
from pybilling.core.events import events
from pybilling.modules.client import auth, service
from pybilling.modules.client.schemas import LoginParams, ResetPasswordParams, SignupParams, UpdatePasswordParams

_PASSWORDS = {"password": "Password required", "password_confirm": "Password confirmation required"}


@api_method(
    "guest", "client", "create",
    required={"email": "Email required", "first_name": "First name required", **_PASSWORDS},
)
def guest_create(call: Call, params: SignupParams) -> int:
    """Sign up; returns the new client's id (logs it in when the module is configured so)."""
    call.rate_limit("client_signup")
    cfg = service.config(call.db)
    if cfg.disable_signup:
        raise ApiError("New registrations are temporarily disabled")
    password = service.check_passwords(params.password, params.password_confirm)
    values = params.model_dump(include=set(service.PROFILE_FIELDS), exclude_unset=True)
    service.check_signup_fields(cfg, {**values, "email": params.email, "first_name": params.first_name})
    client = service.signup(
        call.db,
        email=params.email or "",
        first_name=params.first_name or "",
        password=password,
        values=values,
        ip=call.request.ip,
        dns_check=call.settings.email_dns_check,
    )
    auth.send_signup_email(call.db, client, call.settings.base_url, cfg.require_email_confirmation)
    if cfg.auto_login_after_signup:
        call.start_session(client_id=client.id)
        auth.record_login(call.db, client, call.request.ip)
    return client.id


@api_method("guest", "client", "login", required={"email": "Email required", "password": "Password required"})
def guest_login(call: Call, params: LoginParams) -> dict[str, Any]:
    """Email + password → a client session; one answer for every kind of failure."""
    call.effects.login_time_floor = True
    email = (params.email or "").strip()
    call.fire("onBeforeClientLogin", email=email, ip=call.request.ip)
    client = auth.authenticate(call.db, email, params.password or "")
    if client is None:
        ip = call.request.ip

        def record_failure(db: Session) -> None:
            events.fire(db, "onEventClientLoginFailed", email=email, ip=ip)

        call.effects.after_failure.append(record_failure)
        raise ApiError(auth.LOGIN_FAILED, 401)
    call.start_session(client_id=client.id)
    auth.record_login(call.db, client, call.request.ip)
    call.fire("onAfterClientLogin", id=client.id, ip=call.request.ip)
    return service.to_session(client)


@api_method("guest", "client", "reset_password", required={"email": "Email required"})
def guest_reset_password(call: Call, params: ResetPasswordParams) -> bool:
    """Email a reset link if the address belongs to an active client; the answer is always `true`."""
    email = emails.normalise(params.email or "")
    if not call.rate_limit_silent("client_password_reset_ip"):
        return True
    if not call.rate_limit_silent("client_password_reset_email", email):
        return True
    call.fire("onBeforeGuestPasswordResetRequest", email=email)
    client = service.find_by_email(call.db, email)
    if client is None or client.status != "active":
        return True
    call.fire("onBeforePasswordResetClient", id=client.id)
    token = auth.create_reset(call.db, client, call.request.ip)
    auth.send_reset_email(call.db, client, token, call.settings.base_url)
    return True


@api_method(
    "guest", "client", "update_password", required={"hash": "No Hash provided", **_PASSWORDS},
)
def guest_update_password(call: Call, params: UpdatePasswordParams) -> bool:
    """Set a new password with a reset token; the token is used up and every session of the client ends."""
    call.rate_limit("client_password_reset_confirm_post_ip")
    password = service.check_passwords(params.password, params.password_confirm)
    client = auth.client_for_reset(call.db, (params.hash or "").strip())
    call.fire("onBeforeClientProfilePasswordReset", id=client.id)
    auth.complete_reset(call.db, client, password)
    call.destroy_sessions(client_id=client.id)
    call.fire("onAfterClientProfilePasswordReset", id=client.id)
    return True


@api_method("guest", "client", "required")
def guest_required(call: Call, params: NoParams) -> list[str]:
    """The extra fields the signup form must fill."""
    return service.config(call.db).required


@api_method("guest", "client", "custom_fields")
def guest_custom_fields(call: Call, params: NoParams) -> dict[str, Any] | list[Any]:
    """The custom fields configuration of the signup form (`[]` when none)."""
    return service.config(call.db).custom_fields or []


@api_method("guest", "client", "is_email_validation_required")
def guest_is_email_validation_required(call: Call, params: NoParams) -> bool:
    return service.config(call.db).require_email_confirmation
