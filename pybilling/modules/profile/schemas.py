"""Parameter models of the profile module's API methods."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from pybilling.api.fields import Id
from pybilling.api.registry import Params
from pybilling.modules.client.schemas import ProfileFields, Text64, Text100, Text255

Password = Annotated[str, StringConstraints(max_length=4096)]


class StaffUpdateParams(Params):
    """The only keys staff may change about themselves; group, status and permissions are not here."""

    email: Text255 = None
    name: Text255 = None
    signature: Text255 = None
    timezone: Text64 = None


class ClientUpdateParams(ProfileFields):
    """What a client may change about itself: never its role, status, group, balance, key, currency or id."""

    email: Text255 = None
    billing_email: Text255 = None
    first_name: Text100 = None


class ChangePasswordParams(Params):
    current_password: Password
    new_password: Password
    confirm_password: Password


class ClientIdParams(Params):
    id: Id
