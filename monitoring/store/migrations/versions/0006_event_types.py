"""event types: the word an event log's type column holds -> the metric its rows are counted into

Revision ID: 0006
Revises: 0005

``event_types`` maps a folded word (``monitoring.text.text_key``: spaces, ZWNJ, ي/ك and case
aside) to a countable metric. ``store.ensure_ready`` seeds it from ``sample_data/event_types.csv``;
words added later in the store are kept.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_types",
        sa.Column("word_key", sa.String(200), primary_key=True),
        sa.Column("word", sa.String(200), nullable=False),
        sa.Column("metric", sa.String(64), sa.ForeignKey("metrics.code"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("event_types")
