"""Clients: signup, login, profiles and their administration (FOSSBilling's `client` module)."""

from pybilling.api.identity import register_principal
from pybilling.modules.client import api, defaults, models  # noqa: F401 - registration on import
from pybilling.modules.client.service import ClientPrincipals

register_principal("client", ClientPrincipals())
