"""Parameter models of the staff API methods."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import StringConstraints

from pybilling.api.fields import Id, OptionalId, Text100, Text255
from pybilling.api.registry import Params

Password = Annotated[str, StringConstraints(max_length=255)]


class IdParams(Params):
    id: Id


class PageParams(Params):
    page: Any = None
    per_page: Any = None


class StaffListParams(PageParams):
    search: Text255 | None = None
    status: Text100 | None = None


class StaffCreateParams(Params):
    email: Text255
    password: Password
    name: Text255
    group_id: OptionalId = None
    admin_group_id: OptionalId = None  # the seed's name for group_id
    status: Text100 | None = None
    signature: Text255 | None = None
    timezone: Text100 | None = None


class StaffUpdateParams(Params):
    id: Id
    email: Text255 | None = None
    name: Text255 | None = None
    status: Text100 | None = None
    signature: Text255 | None = None
    timezone: Text100 | None = None


class ChangePasswordParams(Params):
    id: Id
    password: Password
    password_confirm: Password


class GroupCreateParams(Params):
    name: Text255
    parent_id: OptionalId = None
    permissions: Any = None


class GroupUpdateParams(Params):
    id: Id
    name: Text255 | None = None
    parent_id: OptionalId = None
    permissions: Any = None


class MembershipParams(Params):
    admin_id: Id
    group_id: Id


class GroupIdParams(Params):
    group_id: Id


class AdminIdParams(Params):
    admin_id: Id


class LoginHistoryListParams(PageParams):
    admin_id: OptionalId = None


class LoginParams(Params):
    email: Text255
    password: Password


class PasswordResetParams(Params):
    email: Text255


class UpdatePasswordParams(Params):
    code: Text255
    password: Password
    password_confirm: Password
