"""The worker's last sign of life, for /healthz and `hotline doctor`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hotline.db import Base, UTCDateTime

# The table holds at most this one row: any worker of the installation refreshes it.
HEARTBEAT_ROW_ID = 1


class WorkerHeartbeat(Base):
    """When a worker last took a job from the queue (one row for the whole installation)."""

    __tablename__ = "worker_heartbeat"
    __table_args__ = (CheckConstraint(f"id = {HEARTBEAT_ROW_ID}", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<WorkerHeartbeat {self.seen_at.isoformat()}>"
