"""System API methods (guest)."""

from __future__ import annotations

from pybilling import __version__
from pybilling.api.context import Call
from pybilling.api.registry import NoParams, api_method
from pybilling.core import settings_store


@api_method("guest", "system", "version")
def guest_version(call: Call, params: NoParams) -> str:
    """PyBilling's version; empty when the `hide_version_public` setting is on."""
    if settings_store.get_bool(call.db, "hide_version_public"):
        return ""
    return __version__
