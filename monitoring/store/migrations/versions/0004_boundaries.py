"""district boundaries (optional): one GeoJSON geometry a district, from the last boundaries file loaded

Revision ID: 0004
Revises: 0003

``boundaries`` holds, for each district whose shape was loaded, its Polygon or MultiPolygon as
GeoJSON text (longitude, latitude; simplified for drawing), the batch that brought it and when.
A new boundaries file replaces the whole set in one transaction.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "boundaries",
        sa.Column("district", sa.Integer, sa.ForeignKey("districts.district"), primary_key=True, autoincrement=False),
        sa.Column("geometry", sa.Text, nullable=False),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("boundaries")
