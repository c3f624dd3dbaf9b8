"""Currencies, their conversion rates and price formatting (FOSSBilling's `currency` module)."""

from pybilling.modules.currency import api, defaults, models  # noqa: F401 - registration on import
