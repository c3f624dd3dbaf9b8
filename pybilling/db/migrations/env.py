"""Alembic environment: the engine comes from `pybilling.db.migrate` (or the URL in the config)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from pybilling.db.base import Base
from pybilling.db.engine import make_engine
from pybilling.db.migrate import include_object
from pybilling.modules import load_modules

load_modules()
config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine: Engine | None = config.attributes.get("engine")
    if engine is None:
        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
