"""A fresh install's settings (FOSSBilling's `setting` rows)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pybilling.core.bootstrap import default_data
from pybilling.core.settings_store import ensure_defaults

DEFAULT_SETTINGS: dict[str, str | None] = {
    "company_name": "Company Name",
    "company_email": "support@yourcompany.com",
    "hide_version_public": "0",
}


@default_data(order=0)
def load_settings(db: Session) -> None:
    ensure_defaults(db, DEFAULT_SETTINGS)
