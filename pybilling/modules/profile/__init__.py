"""The caller's own profile, password, API key and sessions (FOSSBilling's `profile` module)."""

from pybilling.api.registry import registry
from pybilling.modules.profile import api  # noqa: F401 - registration on import

registry.module("profile", always_accessible=True)
