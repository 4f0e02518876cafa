"""batch history: what each batch changed, the files' bytes, rejected rows kept, an audit log; rollback

Revision ID: 0005
Revises: 0004

``batches`` learns its kind (observations, targets, boundaries, sample), whether it was rolled back
(when and by whom), how its keys stood against the store (new, changed, unchanged), whether it was a
lenient load, the loader's notes and the sheet read. ``source_files`` keeps the original bytes of every
file once per content; ``revisions`` the value each batch replaced (or met unchanged), so a batch can be
rolled back; ``batch_rejections`` the rows a lenient load left out; ``audit_log`` who did what.

Batches stored before this revision have no history: their counts are left NULL, which marks them as
loaded before rollback existed (they cannot be rolled back). Their kind is read from what they wrote.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _batch_columns() -> tuple[sa.Column, ...]:
    return (
        sa.Column("kind", sa.String(16), nullable=False, server_default="observations"),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        sa.Column("rolled_back_at", sa.DateTime(timezone=True)),
        sa.Column("rolled_back_by", sa.String(200)),
        sa.Column("rows_new", sa.Integer, server_default="0"),
        sa.Column("rows_changed", sa.Integer, server_default="0"),
        sa.Column("rows_unchanged", sa.Integer, server_default="0"),
        sa.Column("lenient", sa.Integer, nullable=False, server_default="0"),
        sa.Column("notes", sa.Text),
        sa.Column("sheet", sa.String(200)),
    )


def upgrade() -> None:
    for column in _batch_columns():
        op.add_column("batches", column)
    op.create_index("ix_batches_sha256", "batches", ["sha256"])
    # what the older batches were, read from what they wrote; no history: counts unknown
    op.execute("UPDATE batches SET rows_new = NULL, rows_changed = NULL, rows_unchanged = NULL")
    op.execute("UPDATE batches SET kind = 'targets' WHERE id IN (SELECT batch_id FROM targets)")
    op.execute("UPDATE batches SET kind = 'boundaries' WHERE id IN (SELECT batch_id FROM boundaries)")

    op.create_table(
        "source_files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "revisions",
        sa.Column("batch_id", sa.Integer, primary_key=True, autoincrement=False),  # no FK: see schema.py
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("metric", sa.String(64), primary_key=True),
        sa.Column("period", sa.Date, primary_key=True),
        sa.Column("district", sa.Integer, primary_key=True),
        sa.Column("old_value", sa.Float),
        sa.Column("old_batch_id", sa.Integer),
        sa.Column("new_value", sa.Float),
        sa.Column("changed", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_index("ix_revisions_key", "revisions", ["kind", "metric", "period", "district", "batch_id"])
    op.create_index("ix_revisions_old_batch", "revisions", ["old_batch_id"])
    op.create_table(
        "batch_rejections",
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("sheet", sa.String(200)),
        sa.Column("row", sa.Integer),
        sa.Column("column", sa.String(200)),
        sa.Column("value", sa.Text),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("batch_id", sa.Integer),
        sa.Column("detail", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("batch_rejections")
    op.drop_index("ix_revisions_old_batch", table_name="revisions")
    op.drop_index("ix_revisions_key", table_name="revisions")
    op.drop_table("revisions")
    op.drop_table("source_files")
    op.drop_index("ix_batches_sha256", table_name="batches")
    with op.batch_alter_table("batches") as batch:
        for column in reversed(_batch_columns()):
            batch.drop_column(column.name)
