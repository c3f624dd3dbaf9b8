"""The dispatcher's module gate (code 715): a module answers while registered and core or activated."""

from __future__ import annotations

from pybilling.api.context import Call
from pybilling.api.registry import registry
from pybilling.modules.extension import catalog, service


def module_gate(call: Call, module: str) -> bool:
    info = registry.modules.get(module)
    if info is None:
        return False
    if module in catalog.OPTIONAL_MODULES or not info.core:
        return service.is_active(call.db, module)
    return True
