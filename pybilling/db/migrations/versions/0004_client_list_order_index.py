"""client list order index: (created_at, id) replaces (created_at)

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_client_created_at_id', 'client', ['created_at', 'id'], unique=False)
    op.drop_index('ix_client_created_at', table_name='client')


def downgrade() -> None:
    op.create_index('ix_client_created_at', 'client', ['created_at'], unique=False)
    op.drop_index('ix_client_created_at_id', table_name='client')
