"""A fresh install's client group `Default` (id 1)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pybilling.core.bootstrap import default_data
from pybilling.modules.client.models import ClientGroup


@default_data(order=20)
def load_client_groups(db: Session) -> None:
    if db.get(ClientGroup, 1) is None:
        db.add(ClientGroup(id=1, title="Default"))
        db.flush()
