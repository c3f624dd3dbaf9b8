"""Email addresses: syntax (and optionally DNS) validation, and the normalised form used for uniqueness."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from pybilling.api.errors import ApiError


def normalise(email: str) -> str:
    return email.strip().lower()


def checked(email: str, *, dns: bool = False) -> str:
    """The address as given (trimmed), or 'Email address is invalid' as FOSSBilling answers."""
    candidate = email.strip() if isinstance(email, str) else ""
    if not candidate or len(candidate) > 255:
        raise ApiError("Email address is invalid")
    try:
        validate_email(candidate, check_deliverability=dns)
    except EmailNotValidError:
        raise ApiError("Email address is invalid") from None
    return candidate
