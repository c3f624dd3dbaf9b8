"""System API methods, one file per role; importing this package registers them."""

from pybilling.modules.system.api import admin, guest  # noqa: F401 - registration on import
