"""The dispatcher's module gate (code 715): a module answers while registered and core or activated."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pybilling.api.registry import registry
from pybilling.modules.extension import catalog, service


def module_gate(db: Session, module: str) -> bool:
    info = registry.modules.get(module)
    if info is None:
        return False
    if module in catalog.OPTIONAL_MODULES or not info.core:
        return service.is_active(db, module)
    return True
