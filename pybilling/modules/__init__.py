"""PyBilling's modules. Importing `load_modules()` registers every model, API method and event listener."""

from __future__ import annotations

import importlib

# Order matters only for default data: a module's defaults may rely on an earlier module's rows.
MODULES = ["system", "currency", "staff", "client", "profile", "cron", "security", "extension", "activity", "index"]
_loaded = False


def load_modules() -> None:
    global _loaded
    if _loaded:
        return
    for core_model in ("settings_store", "sessions", "mail", "cron", "module_config"):
        importlib.import_module(f"pybilling.core.{core_model}")
    for name in MODULES:
        importlib.import_module(f"pybilling.modules.{name}")
    _loaded = True
