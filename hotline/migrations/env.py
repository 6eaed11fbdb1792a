"""Alembic environment: runs on the connection `hotline.db.alembic_config` hands in."""

from alembic import context

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


_run(config.attributes["connection"])
