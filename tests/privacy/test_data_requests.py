"""Data requests: everything about one number is found, exported and erased, with an audit entry."""

from sqlalchemy import select

from hotline.models import AuditEvent, Call, CallbackAttempt, CallbackRequest, Voicemail
from hotline.services.data_requests import erase_subject_data, export_subject_data, find_subject_data

from tests.factories import make_call, make_callback, make_network, make_voicemail

NUMBER = "+492214710977"


def _history(session):
    network = make_network(session)
    call = make_call(session, network_id=network.id, from_number=NUMBER)
    voicemail = make_voicemail(session, call_id=call.id, network_id=network.id, transcript="Hallo",
                               local_path="/data/recordings/RE9.wav")
    request = make_callback(session, network_id=network.id, call_id=call.id, voicemail_id=voicemail.id,
                            number=NUMBER)
    session.add(CallbackAttempt(request_id=request.id, outcome="not_reached", note="AB"))
    # A request without a call, e.g. typed in by a caller with a withheld number.
    make_callback(session, network_id=network.id, number=NUMBER, topic="Neu hier")
    make_call(session, from_number="+492214710955")  # someone else
    session.flush()
    return network


def test_everything_about_a_number_is_found_and_exported(db_session):
    _history(db_session)
    data = find_subject_data(db_session, NUMBER)
    exported = export_subject_data(data)
    assert len(exported["calls"]) == 1
    assert len(exported["callback_requests"]) == 2
    assert exported["callback_requests"][0]["attempts"][0]["outcome"] == "not_reached"
    assert exported["voicemails"][0]["transcript"] == "Hallo"
    assert exported["voicemails"][0]["audio_kept"] is True


def test_a_begleitung_finds_only_her_networks_data(db_session):
    _history(db_session)
    other = make_network(db_session)
    assert find_subject_data(db_session, NUMBER, network_ids={other.id}).empty


def test_erasing_removes_all_rows_and_returns_the_audio_files(db_session):
    _history(db_session)
    files = erase_subject_data(db_session, find_subject_data(db_session, NUMBER), actor_id=None)
    db_session.flush()
    assert files == ("/data/recordings/RE9.wav",)
    assert find_subject_data(db_session, NUMBER).empty
    assert db_session.scalars(select(Voicemail)).all() == []
    assert db_session.scalars(select(CallbackAttempt)).all() == []
    assert db_session.scalars(select(CallbackRequest)).all() == []
    assert db_session.scalars(select(Call.from_number)).all() == ["+492214710955"]
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "data_erased"))
    assert event.details == {"number_ending": "977", "calls": 1, "requests": 2, "voicemails": 1}
