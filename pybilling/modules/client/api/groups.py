"""Staff methods on client groups."""

from __future__ import annotations

from typing import Any

from pybilling.api.context import Call
from pybilling.api.registry import NoParams, api_method
from pybilling.modules.client import groups
from pybilling.modules.client.schemas import GroupCreateParams, GroupUpdateParams, IdParams

_GROUP_ID = {"id": "Group ID is missing"}


@api_method("admin", "client", "group_get_pairs", permission="client.view")
def admin_group_get_pairs(call: Call, params: NoParams) -> dict[str, str | None] | list[Any]:
    """`{id: title}` of every client group (`[]` when there is none)."""
    return groups.pairs(call.db) or []


@api_method(
    "admin", "client", "group_create", required={"title": "Group title is missing"}, permission="client.manage_groups"
)
def admin_group_create(call: Call, params: GroupCreateParams) -> int:
    return groups.create(call.db, params.title or "").id


@api_method("admin", "client", "group_update", required=_GROUP_ID, permission="client.manage_groups")
def admin_group_update(call: Call, params: GroupUpdateParams) -> bool:
    """Rename a group; without a (non-blank) `title` nothing changes."""
    groups.update(call.db, groups.get(call.db, params.id), params.title)
    return True


@api_method("admin", "client", "group_delete", required=_GROUP_ID, permission="client.manage_groups")
def admin_group_delete(call: Call, params: IdParams) -> bool:
    """Delete a group that no client is in."""
    groups.delete(call.db, groups.get(call.db, params.id))
    return True


@api_method("admin", "client", "group_get", required=_GROUP_ID, permission="client.manage_groups")
def admin_group_get(call: Call, params: IdParams) -> dict[str, Any]:
    return groups.to_api(groups.get(call.db, params.id))
