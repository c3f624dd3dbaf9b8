"""Client API methods, one file per role; importing this package registers them."""

from pybilling.modules.client.api import admin, client, guest  # noqa: F401 - registration on import
