"""Periodic jobs on demand: the admin's cron page and the guest cron URL (FOSSBilling's `cron` module)."""

from pybilling.modules.cron import api  # noqa: F401 - registration on import
