"""Client groups: staff CRUD. A group with clients in it cannot be deleted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.api.errors import ApiError, NotFound
from pybilling.modules.client.models import Client, ClientGroup

GROUP_NOT_FOUND = "Group not found"
GROUP_IN_USE = "Group has clients assigned. Please reassign them first."


def get(db: Session, group_id: int) -> ClientGroup:
    group = db.get(ClientGroup, group_id)
    if group is None:
        raise NotFound(GROUP_NOT_FOUND)
    return group


def to_api(group: ClientGroup) -> dict[str, Any]:
    return {"id": group.id, "title": group.title, "created_at": group.created_at, "updated_at": group.updated_at}


def pairs(db: Session) -> dict[str, str | None]:
    """`{id: title}` of every group, oldest first."""
    rows = db.execute(select(ClientGroup.id, ClientGroup.title).order_by(ClientGroup.id))
    return {str(group_id): title for group_id, title in rows}


def create(db: Session, title: str) -> ClientGroup:
    group = ClientGroup(title=title)
    db.add(group)
    db.flush()
    return group


def update(db: Session, group: ClientGroup, title: str | None) -> None:
    """A blank or absent title keeps the current one."""
    if title is not None and title.strip():
        group.title = title
    db.flush()


def delete(db: Session, group: ClientGroup) -> None:
    """Refused while any client is in the group (clients are never moved out silently)."""
    in_use = db.scalar(select(Client.id).where(Client.client_group_id == group.id).limit(1))
    if in_use is not None:
        raise ApiError(GROUP_IN_USE)
    db.delete(group)
    db.flush()
