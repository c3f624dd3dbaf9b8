"""Methods of a signed-in client on its own account."""

from __future__ import annotations

from pybilling.api.context import Call
from pybilling.api.registry import NoParams, api_method
from pybilling.modules.client import auth, service


@api_method("client", "client", "resend_email_verification")
def client_resend_email_verification(call: Call, params: NoParams) -> bool:
    """Email a fresh confirmation link (older links stop working); nothing to do once confirmed."""
    client = call.client
    call.rate_limit("client_email_verification_resend_ip")
    call.rate_limit("client_email_verification_resend_account", f"client:{client.id}")
    if not client.email_approved:
        auth.send_confirmation_email(call.db, client, call.settings.base_url)
    return True


@api_method("client", "client", "is_taxable")
def client_is_taxable(call: Call, params: NoParams) -> bool:
    """Whether tax applies to the signed-in client: taxes are enabled and the client is not exempt."""
    return service.is_taxable(call.db, call.client)
