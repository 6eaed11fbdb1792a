"""Voicemails: the audio a caller left, and how far its processing got."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.db import Base, UTCDateTime, utcnow
from hotline.models._types import choice_check

# reported: Twilio told us it exists; downloaded: the audio is on our disk; transcribed: done;
# no_model: waiting for a speech model; failed: a permanent error (kept in `error`);
# absent: Twilio recorded nothing usable (too short or silent).
VOICEMAIL_STATES = ("reported", "downloaded", "transcribed", "no_model", "failed", "absent")
# The states in which there is still downloading or transcribing to do.
ACTIVE_VOICEMAIL_STATES = ("reported", "downloaded", "no_model")


class Voicemail(Base):
    """A recorded message, unique on Twilio's RecordingSid."""

    __tablename__ = "voicemail"
    __table_args__ = (
        choice_check("state", VOICEMAIL_STATES, "state_known"),
        CheckConstraint("duration_seconds IS NULL OR duration_seconds >= 0", name="duration_positive"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint(
            "transcript_confidence IS NULL OR transcript_confidence BETWEEN 0 AND 1",
            name="confidence_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_sid: Mapped[str] = mapped_column(String(64), unique=True)
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("call.id", ondelete="SET NULL"), index=True
    )
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("network.id", ondelete="SET NULL"), index=True
    )
    source_url: Mapped[str] = mapped_column(String(500))
    local_path: Mapped[str | None] = mapped_column(String(300))
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default="reported", index=True)
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    transcript: Mapped[str | None] = mapped_column(Text)
    transcript_confidence: Mapped[float | None] = mapped_column(Float)
    transcript_words: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a job last started work on it (the sweeper leaves rows alone that are being retried).
    attempted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Until when a running job holds the row (renewed while it works): a lease left to run out
    # means the job died, and the sweeper starts the voicemail again.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When Twilio's copy was deleted after ours was verified (None: still at Twilio).
    remote_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Voicemail {self.id} {self.recording_sid} {self.state}>"
