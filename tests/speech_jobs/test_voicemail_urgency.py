"""Urgent words in a transcript flag the callback request and e-mail the network's Begleitung (via the outbox)."""

from __future__ import annotations

from dataclasses import replace
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from hotline.mail import send_outbox
from hotline.models import AuditEvent, CallbackRequest, Network, OutboxMail, UrgentTerm, Voicemail
from hotline.services import urgency
from speech.urgency import DEFAULT_URGENT_TERMS, find_urgent_terms
from speech.worker import shared_transcriber

from tests.factories import make_account, make_network, make_voicemail
from tests.speech_jobs.speech_jobs_support import arrange, reload

pytestmark = pytest.mark.speech


def run_queue(jobs) -> list[str]:
    """Execute everything enqueued, including what tasks enqueue; return the task names."""
    names = []
    while (task := jobs.queue.dequeue()) is not None:
        names.append(task.name)
        jobs.queue.execute(task)
    return names


def test_the_default_terms_are_seeded_by_the_migration(db_session):
    voicemail = make_voicemail(db_session, network_id=make_network(db_session).id)
    assert tuple(urgency.urgent_terms(db_session, voicemail.id)) == DEFAULT_URGENT_TERMS


def test_a_german_distress_message_flags_its_request_once(db_session, media):
    voicemail_id, request_id = arrange(db_session, media, b"")
    found = find_urgent_terms("Ich bin gestürzt und komme nicht hoch", urgency.urgent_terms(db_session, voicemail_id))

    assert urgency.mark_urgent(db_session, voicemail_id, found) == request_id
    assert urgency.mark_urgent(db_session, voicemail_id, found) is None

    assert db_session.get(CallbackRequest, request_id).urgent is True
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "marked_urgent"))
    assert (event.object_id, event.details["terms"]) == (request_id, ["gestürzt", "komme nicht hoch"])


def test_an_urgent_transcript_flags_the_request_and_mails_the_begleitung(
        app, settings, db_session, media, synthesize, model_dir, inbox):
    audio = synthesize()
    word = shared_transcriber(model_dir).transcribe_file(audio).words[0].word
    db_session.add(UrgentTerm(term=word))
    voicemail_id, request_id = arrange(db_session, media, audio.read_bytes())
    network_id = reload(db_session, CallbackRequest, request_id).network_id
    network = db_session.get(Network, network_id)
    begleitung = make_account(db_session, role="begleitung", networks=[network])
    make_account(db_session, role="begleitung", networks=[network], active=False)
    make_account(db_session, role="volunteer", networks=[network])
    make_account(db_session, role="begleitung", networks=[make_network(db_session)])
    db_session.commit()
    jobs = app.extensions["hotline.jobs"]

    jobs.process_voicemail(voicemail_id)
    assert run_queue(jobs) == ["process_voicemail", "send_outbox"]
    jobs.process_voicemail(voicemail_id)
    assert run_queue(jobs) == ["process_voicemail"]

    assert reload(db_session, CallbackRequest, request_id).urgent is True
    assert [recipients for recipients, _ in inbox.messages] == [[begleitung.email]]
    mail = message_from_bytes(inbox.messages[0][1], policy=policy.default)
    body = mail.get_content()
    assert mail["Subject"] == f"Dringender Rückrufwunsch – {network.name}"
    assert f"https://hotline.example.org/admin/rueckrufe/{request_id}" in body
    transcript = reload(db_session, Voicemail, voicemail_id).transcript
    assert transcript not in body
    assert "4710999" not in body  # nothing of the caller's number
    actions = db_session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == request_id)).all()
    assert sorted(actions) == ["marked_urgent", "urgent_notified"]


def test_without_smtp_host_the_urgent_notice_waits_in_the_outbox(app, settings, db_session, media):
    _, request_id = arrange(db_session, media, b"")
    request = db_session.get(CallbackRequest, request_id)
    request.urgent = True
    make_account(db_session, role="begleitung", networks=[db_session.get(Network, request.network_id)])

    assert urgency.announce_urgent(db_session, settings, request_id) == 1
    db_session.commit()
    assert send_outbox(app.extensions["hotline.db"], replace(settings, smtp_host="")) == 0
    assert db_session.scalars(select(OutboxMail.state)).all() == ["pending"]
