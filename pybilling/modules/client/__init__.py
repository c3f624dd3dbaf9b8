"""Clients: signup, login, profiles and their administration (FOSSBilling's `client` module)."""

from pybilling.api.dispatcher import add_client_guard
from pybilling.api.identity import register_principal
from pybilling.modules.client import api, defaults, mail_templates, models, web  # noqa: F401 - registration on import
from pybilling.modules.client.guards import require_confirmed_email
from pybilling.modules.client.service import ClientPrincipals

register_principal("client", ClientPrincipals())
add_client_guard(require_confirmed_email)
