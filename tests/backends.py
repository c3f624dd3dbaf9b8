"""The database a test run uses: SQLite always; PostgreSQL and MariaDB in a database made for the run."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

SERVER_URLS = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    "mariadb": "mysql+pymysql://root@127.0.0.1:3306/mysql",
}


class BackendUnavailable(Exception):
    pass


def selected_backend() -> str:
    return os.environ.get("PYBILLING_TEST_DB", "sqlite")


@contextmanager
def temporary_database(backend: str, tmp_dir: Path) -> Iterator[str]:
    """Yield a URL of an empty database that is dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_dir / f'test-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"pybilling_test_{uuid.uuid4().hex[:12]}"
    admin_url = SERVER_URLS[backend]
    try:
        server = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
    except Exception as exc:
        raise BackendUnavailable(f"{backend} is not reachable: {exc}") from exc
    try:
        if backend == "postgresql":
            yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        else:
            yield f"mysql+pymysql://root@127.0.0.1:3306/{name}?charset=utf8mb4"
    finally:
        with server.connect() as conn:
            if backend == "postgresql":
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            else:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        server.dispose()
