"""Client API methods, one file per role or subject; importing this package registers them."""

from pybilling.modules.client.api import admin, balance, client, groups, guest  # noqa: F401 - registration on import
