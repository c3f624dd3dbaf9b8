"""Generated authorisation tests: every registered method refuses the wrong caller, one HTTP call per case.

admin methods: anonymous → 201, a client's key → 203, a staff member without any permission → 725
(modules with the staff module-access check), a staff member with module access but without the
method's declared permission → 403. client methods: anonymous → 201, an admin key → 203.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from pybilling.api.dispatcher import _NO_MODULE_ACCESS_CHECK
from pybilling.api.registry import ApiMethod, registry
from pybilling.modules import load_modules
from pybilling.modules.staff.models import StaffGroup
from tests.helpers import Caller, basic, unique_email

load_modules()

METHODS: dict[str, ApiMethod] = {"/".join(key): method for key, method in sorted(registry.methods.items())}
ADMIN = sorted(k for k, m in METHODS.items() if m.role == "admin")
CLIENT = sorted(k for k, m in METHODS.items() if m.role == "client")
MODULE_CHECKED = sorted(
    k for k in ADMIN
    if METHODS[k].module not in _NO_MODULE_ACCESS_CHECK and not registry.modules[METHODS[k].module].always_accessible
)
WITH_PERMISSION = sorted(k for k in ADMIN if METHODS[k].permission)


def _path(key: str) -> str:
    _, module, action = key.split("/")
    return f"{module}/{action}"


def _required_values(method: ApiMethod) -> dict[str, Any]:
    """Plausible non-empty values for the required parameters, so the permission check is reached."""
    return {name: "1" for name, _ in method.required}


def _staff_in_group(db: Session, make_staff: Any, permissions: dict[str, Any]) -> Any:
    with db.begin():
        group = StaffGroup(name=f"Generated {unique_email()}", parent_id=2, permissions=permissions)
        db.add(group)
        db.flush()
        group_id = group.id
    return make_staff(group_id=group_id)


def test_the_registry_is_covered() -> None:
    assert len(ADMIN) > 50
    assert len(CLIENT) > 5
    assert MODULE_CHECKED
    assert WITH_PERMISSION


@pytest.mark.parametrize("key", ADMIN)
def test_admin_method_refuses_anonymous(http: Any, key: str) -> None:
    Caller(http, "admin")(_path(key)).fails("Authentication Failed", 201, 401)


@pytest.mark.parametrize("key", ADMIN)
def test_admin_method_refuses_a_client_key(http: Any, make_client: Any, key: str) -> None:
    client = make_client()
    Caller(http, "admin")(_path(key), headers=basic("client", client.key)).fails("Authentication Failed", 203, 401)


@pytest.mark.parametrize("key", MODULE_CHECKED)
def test_admin_method_refuses_staff_without_module_access(db: Session, make_staff: Any, key: str) -> None:
    staff = _staff_in_group(db, make_staff, {})
    module = METHODS[key].module
    staff.api(_path(key), **_required_values(METHODS[key])).fails(
        f"You do not have access to the {module} module", 725, 200
    )


@pytest.mark.parametrize("key", WITH_PERMISSION)
def test_admin_method_refuses_staff_without_its_permission(db: Session, make_staff: Any, key: str) -> None:
    method = METHODS[key]
    assert method.permission is not None
    staff = _staff_in_group(db, make_staff, {method.module: {"access": True}})
    staff.api(_path(key), **_required_values(method)).fails(
        f'You need the "{method.permission}" permission to perform this action', 403, 403
    )


@pytest.mark.parametrize("key", CLIENT)
def test_client_method_refuses_anonymous(http: Any, key: str) -> None:
    Caller(http, "client")(_path(key)).fails("Authentication Failed", 201, 401)


@pytest.mark.parametrize("key", CLIENT)
def test_client_method_refuses_an_admin_key(http: Any, admin: Any, key: str) -> None:
    Caller(http, "client")(_path(key), headers=basic("admin", admin.key)).fails("Authentication Failed", 203, 401)
