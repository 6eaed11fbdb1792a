"""Typed SQLAlchemy models, split by aggregate; import them from here."""

from hotline.models.activity_draft import ACTIVITY_DRAFT_STATES, ActivityDraft
from hotline.models.audit import AuditEvent
from hotline.models.callbacks import (
    ATTEMPT_OUTCOMES,
    CALLBACK_STATUSES,
    CallbackAttempt,
    CallbackRequest,
)
from hotline.models.calls import Call, CallStep, OutgoingCall
from hotline.models.content_revision import ContentRevision
from hotline.models.content_version import CONTENT_VERSION_STATES, ContentVersion
from hotline.models.erasure import TwilioErasure
from hotline.models.login import LoginFailure
from hotline.models.network import (
    Activity,
    ClosureDay,
    FlowVersion,
    Network,
    NewcomerInfo,
    OfficeHours,
    PhoneNumber,
    PromptOverride,
)
from hotline.models.outbox import OUTBOX_STATES, OutboxMail
from hotline.models.urgency import UrgentTerm
from hotline.models.users import ROLES, STAFF_ROLES, User, user_networks
from hotline.models.voicemail import VOICEMAIL_STATES, Voicemail
from hotline.models.worker import WorkerHeartbeat

__all__ = [
    "ACTIVITY_DRAFT_STATES",
    "ATTEMPT_OUTCOMES",
    "CALLBACK_STATUSES",
    "CONTENT_VERSION_STATES",
    "OUTBOX_STATES",
    "ROLES",
    "STAFF_ROLES",
    "VOICEMAIL_STATES",
    "Activity",
    "ActivityDraft",
    "AuditEvent",
    "Call",
    "CallStep",
    "CallbackAttempt",
    "CallbackRequest",
    "ClosureDay",
    "ContentRevision",
    "ContentVersion",
    "FlowVersion",
    "LoginFailure",
    "Network",
    "NewcomerInfo",
    "OfficeHours",
    "OutboxMail",
    "OutgoingCall",
    "PhoneNumber",
    "PromptOverride",
    "TwilioErasure",
    "UrgentTerm",
    "User",
    "Voicemail",
    "WorkerHeartbeat",
    "user_networks",
]
