"""reviews: notable actions, review meetings, commitments and their history; metrics marked public

Revision ID: 0008
Revises: 0007

``actions`` holds a district's notable actions (from a form, or from a file with its batch, so a
rollback removes them); ``meetings`` the review calendar and the meetings held; ``commitments``
what a district agreed to do (open, done or dropped; late is derived) and ``commitment_events``
every change of one, dated and signed. ``metrics.public`` marks the metrics the public page shows.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PUBLIC_SEED = (
    "news_published",
    "public_meetings",
    "requests_137_resolved_pct",
    "response_time_137_hours",
    "citizen_satisfaction",
)


def upgrade() -> None:
    with op.batch_alter_table("metrics") as batch:
        batch.add_column(sa.Column("public", sa.Integer, nullable=False, server_default="0"))
    # a store seeded before this revision: the seed's public metrics (the seed refreshes the others)
    metrics = sa.table("metrics", sa.column("code", sa.String), sa.column("public", sa.Integer))
    op.execute(metrics.update().where(metrics.c.code.in_(PUBLIC_SEED)).values(public=1))
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("district", sa.Integer, sa.ForeignKey("districts.district"), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("news_items", sa.Integer),
        sa.Column("social_posts", sa.Integer),
        sa.Column("public_meetings", sa.Integer),
        sa.Column("links", sa.Text, nullable=False, server_default="[]"),
        sa.Column("feedback", sa.Text),
        sa.Column("public", sa.Integer, nullable=False, server_default="0"),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id")),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_actions_district_date", "actions", ["district", "occurred_on"])
    op.create_index("ix_actions_batch", "actions", ["batch_id"])
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("district", sa.Integer, sa.ForeignKey("districts.district"), nullable=False),
        sa.Column("planned_on", sa.Date, nullable=False),
        sa.Column("held_on", sa.Date),
        sa.Column("status", sa.String(16), nullable=False, server_default="planned"),
        sa.Column("attendees", sa.Text, nullable=False, server_default=""),
        sa.Column("decisions", sa.Text, nullable=False, server_default=""),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_meetings_district_planned", "meetings", ["district", "planned_on"])
    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("district", sa.Integer, sa.ForeignKey("districts.district"), nullable=False),
        sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id")),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("metric", sa.String(64), sa.ForeignKey("metrics.code")),
        sa.Column("owner", sa.String(200), nullable=False, server_default=""),
        sa.Column("made_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_commitments_district", "commitments", ["district", "status"])
    op.create_table(
        "commitment_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("commitment_id", sa.Integer, sa.ForeignKey("commitments.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("old_status", sa.String(16)),
        sa.Column("new_status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_commitment_events_commitment", "commitment_events", ["commitment_id", "at"])


def downgrade() -> None:
    op.drop_table("commitment_events")
    op.drop_table("commitments")
    op.drop_table("meetings")
    op.drop_table("actions")
    with op.batch_alter_table("metrics", recreate="never") as batch:
        batch.drop_column("public")
