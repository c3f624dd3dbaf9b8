"""The Alembic history builds the schema the models describe, on the run's database backend."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from pybilling.db.base import Base
from pybilling.db.engine import make_engine
from pybilling.db.migrate import alembic_config, include_object, upgrade
from pybilling.modules import load_modules
from tests.backends import BackendUnavailable, selected_backend, temporary_database


def test_one_linear_history() -> None:
    load_modules()
    script = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://")))
    assert len(script.get_heads()) == 1
    for revision in script.walk_revisions():
        assert not revision.is_merge_point


def test_upgrade_matches_models(tmp_path: Path) -> None:
    load_modules()
    try:
        with temporary_database(selected_backend(), tmp_path) as url:
            engine = make_engine(url)
            upgrade(engine)
            upgrade(engine)  # a second run is a no-op
            with engine.connect() as conn:
                opts = {"compare_type": True, "include_object": include_object}
                diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
            engine.dispose()
    except BackendUnavailable as exc:
        if os.environ.get("PYBILLING_TEST_REQUIRE_DBS") == "1":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    assert diff == [], f"models and migrations differ (run the migration generator): {diff}"


def test_sqlite_amounts_stored_before_0003_read_back_the_same(tmp_path: Path) -> None:
    """0003 turns SQLite's REAL amounts into integer cents; what was stored reads back unchanged."""
    from alembic import command
    from sqlalchemy import select, text
    from sqlalchemy.orm import Session

    from pybilling.modules.client.models import ClientBalance

    if selected_backend() != "sqlite":
        pytest.skip("SQLite's own storage of amounts (runs with the SQLite suite)")
    load_modules()
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = alembic_config(engine)
    command.upgrade(config, "0002")
    with engine.begin() as conn:
        for amount in ("10.10", "-3.03", "0.01", "1234567.89"):
            conn.execute(
                text("INSERT INTO client_balance (amount, created_at) VALUES (:amount, '2026-01-01 00:00:00')"),
                {"amount": amount},
            )
    upgrade(engine)
    with Session(engine) as db:
        amounts = list(db.scalars(select(ClientBalance.amount).order_by(ClientBalance.id)))
    engine.dispose()
    assert amounts == [Decimal("10.10"), Decimal("-3.03"), Decimal("0.01"), Decimal("1234567.89")]
