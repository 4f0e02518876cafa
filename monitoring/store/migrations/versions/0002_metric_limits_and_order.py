"""metrics keep their limits (min_value, max_value) and their place in the catalog (sort_order)

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMNs: SQLite's batch mode needs no copy of the table (observations refer to it)
    with op.batch_alter_table("metrics") as batch:
        batch.add_column(sa.Column("min_value", sa.Float, nullable=True))
        batch.add_column(sa.Column("max_value", sa.Float, nullable=True))
        batch.add_column(sa.Column("sort_order", sa.Integer, nullable=False, server_default="0"))
    # metrics stored before this revision share place 0 (the catalog reads them in code order)
    # until the seed (store.ensure_ready) writes the catalog's own order and limits


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+): copying the table would trip the foreign keys
    with op.batch_alter_table("metrics", recreate="never") as batch:
        batch.drop_column("sort_order")
        batch.drop_column("max_value")
        batch.drop_column("min_value")
