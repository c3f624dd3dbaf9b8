"""The client dashboard (FOSSBilling's `index` module)."""

from pybilling.modules.index import api  # noqa: F401 - registration on import
