"""Email templates of the staff module (FOSSBilling's codes)."""

from __future__ import annotations

from pybilling.core.mail import register_template

PASSWORD_RESET_REQUEST = "mod_staff_password_reset_request"  # noqa: S105 - a template code
PASSWORD_RESET_APPROVE = "mod_staff_password_reset_approve"  # noqa: S105 - a template code

register_template(
    PASSWORD_RESET_REQUEST,
    "Password reset request",
    """Hello {{ staff.name }},

Someone asked to reset the password of your staff account ({{ staff.email }}).
To choose a new password, open this link within {{ expires_minutes }} minutes:

{{ reset_link }}

Your reset code: {{ code }}

If you did not ask for this, ignore this email: your password stays as it is.
""",
)

register_template(
    PASSWORD_RESET_APPROVE,
    "Your password was changed",
    """Hello {{ staff.name }},

The password of your staff account ({{ staff.email }}) was just reset, and every session of
the account was ended. If this was not you, contact your administrator at once.
""",
)
