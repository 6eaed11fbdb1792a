"""CHECK constraint helpers shared by the model modules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import MappedColumn, mapped_column


def choice_check(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    """A CHECK constraint that keeps `column` within `values`."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


def e164_check(column: str, name: str) -> CheckConstraint:
    """A CHECK constraint for E.164 numbers: a plus sign and 8 to 15 digits (NULL passes)."""
    return CheckConstraint(
        f"{column} LIKE '+%' AND length({column}) BETWEEN 9 AND 16", name=name
    )


def owned_by_network() -> MappedColumn[Any]:
    """The foreign key of rows that belong to a network and go when it goes."""
    return mapped_column(ForeignKey("network.id", ondelete="CASCADE"), index=True)
