"""A fresh install's active optional modules: news, branding, redirect."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pybilling.core.bootstrap import default_data
from pybilling.modules.extension.catalog import DEFAULT_ACTIVE
from pybilling.modules.extension.models import STATUS_INSTALLED, TYPE_MOD, Extension


@default_data(order=15)
def load_default_extensions(db: Session) -> None:
    for name, version in DEFAULT_ACTIVE:
        exists = db.scalar(select(Extension.id).where(Extension.type == TYPE_MOD, Extension.name == name))
        if exists is None:
            db.add(Extension(type=TYPE_MOD, name=name, status=STATUS_INSTALLED, version=version))
            db.flush()
