"""Alembic environment: runs on the connection that ``monitoring.store.migrate`` hands it."""

from alembic import context
from sqlalchemy import text

from monitoring.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        # several replicas may start at once: one migrates, the others wait for it
        connection.execute(text("SELECT pg_advisory_xact_lock(7304001)"))
    context.run_migrations()
