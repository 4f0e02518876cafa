"""what each batch brought per district and month (submissions), and targets

Revision ID: 0003
Revises: 0002

``submissions`` keeps, for every batch, how many values it brought for each district and Jalali month,
so the first time a district reported a month survives a later correction (observations keep only
the latest batch). ``targets`` holds a target per metric, month and district (0 = the whole city).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), primary_key=True),
        sa.Column("district", sa.Integer, sa.ForeignKey("districts.district"), primary_key=True),
        sa.Column("period", sa.Date, primary_key=True),
        sa.Column("metrics", sa.Integer, nullable=False),
    )
    op.create_index("ix_submissions_period_district", "submissions", ["period", "district"])
    op.create_table(
        "targets",
        sa.Column("metric", sa.String(64), sa.ForeignKey("metrics.code"), primary_key=True),
        sa.Column("period", sa.Date, primary_key=True),
        sa.Column("district", sa.Integer, primary_key=True),  # 0: the whole city
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
    )
    op.create_index("ix_targets_period_metric", "targets", ["period", "metric"])
    # what the store already holds: each observation counted under the batch that wrote it
    op.execute(
        "INSERT INTO submissions (batch_id, district, period, metrics) "
        "SELECT batch_id, district, period, count(*) FROM observations GROUP BY batch_id, district, period"
    )


def downgrade() -> None:
    op.drop_index("ix_targets_period_metric", table_name="targets")
    op.drop_table("targets")
    op.drop_index("ix_submissions_period_district", table_name="submissions")
    op.drop_table("submissions")
