"""Alembic environment: runs on the connection handed in by `hotline.db.Database.upgrade`."""

from alembic import context
from sqlalchemy import create_engine

import hotline.models  # noqa: F401 - registers every table on the metadata
from hotline.db import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only alter tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    # Used by `alembic revision --autogenerate` during development.
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None, "autogenerate needs sqlalchemy.url"
    with create_engine(url).connect() as own_connection:
        _run(own_connection)
        own_connection.commit()
