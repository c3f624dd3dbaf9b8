"""Staff members, groups and permissions (FOSSBilling's `staff` module)."""

from pybilling.api.identity import register_principal, register_staff_authorizer
from pybilling.modules.staff import api, defaults, models  # noqa: F401 - registration on import
from pybilling.modules.staff.permissions import StaffAuthorizer
from pybilling.modules.staff.service import StaffPrincipals

register_principal("admin", StaffPrincipals())
register_staff_authorizer(StaffAuthorizer())
