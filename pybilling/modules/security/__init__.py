"""Install checks, rate-limiter counters and IP lookups (FOSSBilling's `security` module)."""

from pybilling.modules.security import api  # noqa: F401 - registration on import
