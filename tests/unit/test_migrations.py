"""The Alembic history builds the schema the models describe, on the run's database backend."""

from __future__ import annotations

import os
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
