"""Alembic environment: always handed an open connection by aiclear.ledger.store."""

from alembic import context

from aiclear.ledger.migrations import VERSION_TABLE

connection = context.config.attributes["connection"]
context.configure(connection=connection, version_table=VERSION_TABLE, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
