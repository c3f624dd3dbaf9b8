"""client search index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL)

Revision ID: 0002
Revises: 0001
"""
from alembic import op

from pybilling.modules.client import search_index

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    search_index.install(op.get_bind())


def downgrade() -> None:
    search_index.uninstall(op.get_bind())
