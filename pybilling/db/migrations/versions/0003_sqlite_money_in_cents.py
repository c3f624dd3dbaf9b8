"""money in integer cents on SQLite

SQLite stored client_balance.amount as a REAL (exact to 15 significant digits, summed in floating
point). From here on the same NUMERIC(18, 2) column holds integer cents there (`MoneyType`);
PostgreSQL and MariaDB keep their exact NUMERIC values and are untouched.

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

MONEY_COLUMNS = [("client_balance", "amount")]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, column in MONEY_COLUMNS:
        op.execute(f"UPDATE {table} SET {column} = CAST(ROUND({column} * 100) AS INTEGER)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, column in MONEY_COLUMNS:
        op.execute(f"UPDATE {table} SET {column} = {column} / 100.0")
