"""A substring index for the staff client search, on the databases that have one.

`admin/client/get_list?search=term` matches any part of a client's `search_text` (names, email,
company, aid, phone). `LIKE '%term%'` reads every row, which on 10,000 clients is most of the call, so:

- SQLite: an FTS5 table with the trigram tokenizer (`client_search`, rowid = client id), kept in step
  by triggers; a term of three or more characters is a phrase query on it, which matches exactly the
  rows whose text contains the term.
- PostgreSQL: a pg_trgm GIN index on `search_text`, which `LIKE '%term%'` uses by itself. Creating
  the extension needs a privileged or owning role; without it the search scans, as before.
- MariaDB has no trigram index: the search scans.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection, TextClause, text

log = logging.getLogger("pybilling.client")

SQLITE_TABLE = "client_search"
PG_INDEX = "ix_client_search_text_trgm"
TRIGRAM = 3  # a term shorter than a trigram cannot use the index

_SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS client_search USING fts5(search_text, tokenize='trigram')",
    """CREATE TRIGGER IF NOT EXISTS client_search_insert AFTER INSERT ON client BEGIN
        INSERT INTO client_search(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS client_search_update AFTER UPDATE OF id, search_text ON client BEGIN
        DELETE FROM client_search WHERE rowid = old.id;
        INSERT INTO client_search(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS client_search_delete AFTER DELETE ON client BEGIN
        DELETE FROM client_search WHERE rowid = old.id;
    END""",
    # (Re)fill from the clients already there: installing on an existing database, or over a leftover.
    "DELETE FROM client_search",
    "INSERT INTO client_search(rowid, search_text) SELECT id, search_text FROM client",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS client_search_insert",
    "DROP TRIGGER IF EXISTS client_search_update",
    "DROP TRIGGER IF EXISTS client_search_delete",
    "DROP TABLE IF EXISTS client_search",
]
# The search as an index lookup (SQLite), with the term's phrase bound as `search_phrase`.
INDEXED_CONDITION = text("client.id IN (SELECT rowid FROM client_search WHERE client_search MATCH :search_phrase)")
_PG_CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_client_search_text_trgm ON client USING gin (search_text gin_trgm_ops)"
)


def install(connection: Connection) -> None:
    """Create the index for this database (idempotent); called by the migration and by `create_all`."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        for statement in _SQLITE_CREATE:
            connection.exec_driver_sql(statement)
    elif dialect == "postgresql":
        _install_pg_trgm(connection)


def _install_pg_trgm(connection: Connection) -> None:
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 - no privilege for the extension: searches scan instead
        log.warning("pg_trgm is not available (%s); client search will scan the table", exc.__class__.__name__)
        return
    connection.exec_driver_sql(_PG_CREATE_INDEX)


def uninstall(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE_DROP:
            connection.exec_driver_sql(statement)
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("DROP INDEX IF EXISTS ix_client_search_text_trgm")


def is_index_object(name: str | None) -> bool:
    """The index's own tables and indexes, which the models do not describe (for schema comparisons)."""
    return bool(name) and (name == PG_INDEX or str(name).startswith(SQLITE_TABLE))


def uses_index(dialect: str, term: str) -> bool:
    """Whether a search for this term is INDEXED_CONDITION here (cheap to run twice: count, then page)."""
    return dialect == "sqlite" and len(term.strip()) >= TRIGRAM and not term.strip().isdigit()


def phrase(term: str) -> str:
    """The term as an FTS5 phrase: with the trigram tokenizer it matches texts containing the term."""
    return '"' + term.replace('"', '""') + '"'


def indexed_condition(dialect: str, term: str) -> TextClause | None:
    """The search as an index lookup with its phrase bound, when this database has one for the term."""
    if not uses_index(dialect, term):
        return None
    return INDEXED_CONDITION.bindparams(search_phrase=phrase(term))


def on_create(_target: Any, connection: Connection, **_kw: Any) -> None:
    install(connection)
