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


def _refused(answer: Any, message: str, code: int, status: int) -> str | None:
    error = answer.body.get("error") or {}
    seen = (answer.status, error.get("code"), error.get("message"), answer.body.get("result"))
    if seen == (status, code, message, None):
        return None
    return f"expected {status}/{code} {message!r}, got {answer.status} {answer.body}"


@pytest.mark.parametrize("key", ADMIN)
def test_admin_method_refuses_the_wrong_callers(http: Any, db: Session, make_client: Any, make_staff: Any,
                                                key: str) -> None:
    method, path = METHODS[key], _path(key)
    anonymous = Caller(http, "admin")
    problems = {
        "anonymous": _refused(anonymous(path), "Authentication Failed", 201, 401),
        "client key": _refused(anonymous(path, headers=basic("client", make_client().key)),
                               "Authentication Failed", 203, 401),
    }
    if key in MODULE_CHECKED:
        staff = _staff_in_group(db, make_staff, {})
        problems["no module access"] = _refused(
            staff.api(path, **_required_values(method)), f"You do not have access to the {method.module} module",
            725, 200,
        )
    if method.permission:
        staff = _staff_in_group(db, make_staff, {method.module: {"access": True}})
        problems["no permission"] = _refused(
            staff.api(path, **_required_values(method)),
            f'You need the "{method.permission}" permission to perform this action', 403, 403,
        )
    assert {case: p for case, p in problems.items() if p} == {}


@pytest.mark.parametrize("key", CLIENT)
def test_client_method_refuses_the_wrong_callers(http: Any, admin: Any, key: str) -> None:
    anonymous = Caller(http, "client")
    problems = {
        "anonymous": _refused(anonymous(_path(key)), "Authentication Failed", 201, 401),
        "admin key": _refused(anonymous(_path(key), headers=basic("admin", admin.key)),
                              "Authentication Failed", 203, 401),
    }
    assert {case: p for case, p in problems.items() if p} == {}
