"""Staff API methods: `admin.py` (staff management) and `guest.py` (login, password reset)."""

from pybilling.modules.staff.api import admin, guest  # noqa: F401 - registration on import
