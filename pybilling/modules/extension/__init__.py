"""Modules on and off, per-module settings, languages and the admin menu (FOSSBilling's `extension`)."""

from pybilling.api.dispatcher import set_module_gate
from pybilling.modules.extension import api, defaults, models  # noqa: F401 - registration on import
from pybilling.modules.extension.gate import module_gate

set_module_gate(module_gate)
