"""Schema upgrades with Alembic, run programmatically (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, text

MIGRATIONS = Path(__file__).parent / "migrations"


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """For schema comparisons: leave out the client search index, which the models do not describe."""
    from pybilling.modules.client.search_index import is_index_object

    return not is_index_object(name)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "head")


def fix_sequences(engine: Engine) -> None:
    """After rows were inserted with explicit ids, move PostgreSQL sequences past them."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in inspect(conn).get_table_names():
            columns = {c["name"] for c in inspect(conn).get_columns(table)}
            if "id" not in columns:
                continue
            seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}).scalar()
            if seq:
                conn.execute(
                    text(f'SELECT setval(:s, GREATEST((SELECT COALESCE(MAX(id), 0) FROM "{table}"), 1))'),  # noqa: S608
                    {"s": seq},
                )
