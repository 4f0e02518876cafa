"""districts, metrics, batches and observations

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "districts",
        sa.Column("district", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name_fa", sa.String(64), nullable=False),
        sa.Column("name_en", sa.String(64), nullable=False),
        sa.Column("population", sa.Integer, nullable=False),
        sa.Column("area_km2", sa.Float, nullable=False),
        sa.Column("tile_row", sa.Integer, nullable=False),
        sa.Column("tile_col", sa.Integer, nullable=False),
    )
    op.create_table(
        "metrics",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("name_fa", sa.String(200), nullable=False, unique=True),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("unit_fa", sa.String(64), nullable=False),
        sa.Column("aggregation", sa.String(8), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("decimals", sa.Integer, nullable=False),
        sa.Column("per_capita", sa.Integer, nullable=False),
    )
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("rows_loaded", sa.Integer, nullable=False),
        sa.Column("rows_rejected", sa.Integer, nullable=False),
        sa.Column("loaded_by", sa.String(200), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "observations",
        sa.Column("metric", sa.String(64), sa.ForeignKey("metrics.code"), primary_key=True),
        sa.Column("period", sa.Date, primary_key=True),
        sa.Column("district", sa.Integer, sa.ForeignKey("districts.district"), primary_key=True),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
    )
    op.create_index("ix_observations_period_metric", "observations", ["period", "metric"])
    op.create_index("ix_observations_batch", "observations", ["batch_id"])


def downgrade() -> None:
    op.drop_table("observations")
    op.drop_table("batches")
    op.drop_table("metrics")
    op.drop_table("districts")
