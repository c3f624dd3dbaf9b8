"""The client module's email templates (FOSSBilling's codes; Jinja2 text, rendered into the outbox)."""

from __future__ import annotations

from pybilling.core.mail import register_template

register_template(
    "mod_client_signup",
    "Welcome, {{ c.first_name }}",
    """Hello {{ c.first_name }},

Your account has been created. You can sign in with {{ c.email }}.
{% if require_email_confirmation %}
Please confirm your email address by opening this link:
{{ email_confirmation_link }}
{% endif %}""",
)

register_template(
    "mod_client_signup_admin",
    "Your new account",
    """Hello {{ c.first_name }},

An account has been created for you with the email address {{ c.email }}.
Choose your password here (the link is valid for 7 days):
{{ password_link }}
""",
)

register_template(
    "mod_client_confirm",
    "Please confirm your email address",
    """Hello {{ c.first_name }},

Please confirm your email address by opening this link:
{{ email_confirmation_link }}
""",
)

register_template(
    "mod_client_password_reset_request",
    "Password reset request",
    """Hello {{ c.first_name }},

Someone asked to reset the password of your account. If it was you, open this link
(valid for 15 minutes) and choose a new password:
{{ reset_link }}

Reset code: {{ hash }}

If you did not ask for this, ignore this email; your password stays unchanged.
""",
)

register_template(
    "mod_client_password_reset_information",
    "Your password has been changed",
    """Hello {{ c.first_name }},

The password of your account was changed and all your sessions were signed out.
If you did not do this, contact us at once.
""",
)
