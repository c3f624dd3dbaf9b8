"""Install-wide facts and settings (FOSSBilling's `system` module)."""

from pybilling.modules.system import api, defaults  # noqa: F401 - registration on import
