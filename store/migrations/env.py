"""Alembic environment. Runs on a connection handed in by nianbao.store (config.attributes["connection"]),
so migrations share the caller's lock and transaction; batch mode makes ALTERs work on SQLite."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from nianbao.store.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic` CLI use (developers autogenerating a revision)
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise SystemExit("alembic: set sqlalchemy.url (in alembic.ini) to the database to migrate")
        engine = create_engine(url)
        with engine.begin() as conn:
            _migrate(conn)
        return
    _migrate(connection)


def _migrate(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=lambda obj, name, type_, reflected, compare_to: (
            not (type_ == "table" and name in VIEWS)
        ),
    )
    with context.begin_transaction():
        context.run_migrations()


VIEWS = ("t3_wide", "report_summary")

if context.is_offline_mode():  # pragma: no cover
    raise SystemExit("offline migrations are not supported")
run()
