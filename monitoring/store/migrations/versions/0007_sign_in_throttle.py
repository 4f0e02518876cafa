"""sign-in throttle: failed sign-ins per account and per client address, shared by every replica

Revision ID: 0007
Revises: 0006

``sign_in_throttle`` holds one row a key (``account:<name key>`` for an existing account,
``address:<client address>``): failures in a row, when the last one was, until when the next try
waits, and until when the key is locked out (``python -m monitoring accounts unlock`` lifts it).
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_failure_at", sa.DateTime(timezone=True)),
        sa.Column("blocked_until", sa.DateTime(timezone=True)),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("sign_in_throttle")
