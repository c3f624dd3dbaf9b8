"""The staff group tree: paths, depths and descendants, from one read of the (small) group table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.modules.staff.models import StaffGroup

PATH_SEPARATOR = " / "


@dataclass
class GroupTree:
    groups: dict[int, StaffGroup]

    @classmethod
    def load(cls, db: Session) -> GroupTree:
        return cls({group.id: group for group in db.scalars(select(StaffGroup))})

    def ancestors(self, group: StaffGroup) -> list[StaffGroup]:
        """Parents from the root down to `group` itself (a broken cycle stops the walk)."""
        chain: list[StaffGroup] = []
        seen: set[int] = set()
        current: StaffGroup | None = group
        while current is not None and current.id not in seen:
            seen.add(current.id)
            chain.append(current)
            current = self.groups.get(current.parent_id) if current.parent_id is not None else None
        return list(reversed(chain))

    def path(self, group: StaffGroup) -> str:
        return PATH_SEPARATOR.join(g.name for g in self.ancestors(group))

    def depth(self, group: StaffGroup) -> int:
        return len(self.ancestors(group)) - 1

    def children(self, group_id: int) -> list[StaffGroup]:
        return [g for g in self.groups.values() if g.parent_id == group_id]

    def descendants(self, group_id: int) -> set[int]:
        """Every group strictly below `group_id`."""
        found: set[int] = set()
        pending = [group_id]
        while pending:
            for child in self.children(pending.pop()):
                if child.id not in found and child.id != group_id:
                    found.add(child.id)
                    pending.append(child.id)
        return found

    def ordered(self) -> list[StaffGroup]:
        """Tree order: by path, so each group follows its parent."""
        return sorted(self.groups.values(), key=lambda g: ([a.name.lower() for a in self.ancestors(g)], g.id))

    def to_api(self, group: StaffGroup) -> dict[str, Any]:
        """FOSSBilling's AdminGroup::toApiArray; empty permissions are `[]` as PHP's empty array."""
        parent = self.groups.get(group.parent_id) if group.parent_id is not None else None
        return {
            "id": group.id,
            "name": group.name,
            "system_name": group.system_name,
            "parent_id": group.parent_id,
            "parent_name": parent.name if parent is not None else None,
            "path": self.path(group),
            "depth": self.depth(group),
            "permissions": group.permissions or [],
            "protected": bool(group.protected),
            "created_at": group.created_at,
            "updated_at": group.updated_at,
        }
