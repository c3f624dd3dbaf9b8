"""The three staff groups of a fresh install, with FOSSBilling's default permissions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pybilling.core.bootstrap import default_data
from pybilling.modules.staff.models import StaffGroup

DEFAULT_GROUPS = [
    {"id": 1, "name": "Super Administrator", "system_name": "super_admin", "parent_id": None,
     "protected": True, "permissions": None},
    {"id": 2, "name": "Support Lead", "system_name": "support_lead", "parent_id": 1, "protected": False,
     "permissions": {
         "support": {"access": True, "view": True, "manage_tickets": True, "manage_helpdesk": True,
                     "manage_canned": True, "manage_kb": True},
         "staff": {"access": True, "view": True, "create_and_edit_staff": True, "reset_staff_password": True,
                   "manage_groups": True, "manage_settings": True},
     }},
    {"id": 3, "name": "Support Staff", "system_name": "support_staff", "parent_id": 2, "protected": False,
     "permissions": {"support": {"access": True, "view": True, "manage_tickets": True}}},
]


@default_data(order=10)
def load_staff_groups(db: Session) -> None:
    for spec in DEFAULT_GROUPS:
        if db.get(StaffGroup, spec["id"]) is None:
            db.add(StaffGroup(**spec))
            db.flush()
