"""Bad input in the admin: whatever a browser (or a script) posts, no 500 and no broken row.

Every form route of the permission table is posted with random field values by a role that may
use it, with a valid CSRF token, against rows of the admin tests' `world`. Each example runs in a
savepoint that is rolled back, so every example starts from the same world. A POST without a
CSRF token is tested once per route in tests/admin/test_admin_permissions.py
(`test_every_form_post_without_csrf_token_is_refused`), not again here.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from hotline.files.prompt_audio import AUDIO_DIR
from hotline.models import ROLES as USER_ROLES
from hotline.models import (
    Activity,
    ActivityDraft,
    ClosureDay,
    ContentVersion,
    FlowVersion,
    Network,
    NewcomerInfo,
    OfficeHours,
    PromptOverride,
    UrgentTerm,
    User,
)
from hotline.services import activity_drafts, content, flows, prompts, urgent_terms
from hotline.services.callbacks import OUTCOME_LABELS
from hotline.services.flows import SHORT_NAMES
from hotline.services.users import normalize_email
from ivr_flows import load_flow_from_mapping
from ivr_flows.recurrence import Frequency, Recurrence, is_occurrence_day, next_occurrence
from ivr_flows.schedule import BERLIN

from tests.admin.admin_support import PASSWORD, write_wav
from tests.admin.routes import ROLES, ROUTES, route_path
from tests.strategies import client_characters, client_text

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])

# --- values -----------------------------------------------------------------------------------

TRICKY = ["", " ", "\x00", "a\x00b", "\t\r\n", "\u202eabc", "\u200f\u200e", "\ufeff", "\x1b[31m", "\x7f",
          "../../etc/passwd", "..\\..\\boot.ini", "{", "}", "{name}", "{0}", "%s", "<Say>x</Say>", "null",
          "true", "-1", "0", "1e308", "NaN", "9" * 40, "2026-02-30", "25:61", "Ä" * 121, "x" * 10_000,
          "+4917139200123", "0211 123456", "+266696687", "anonymous", PASSWORD]
CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\x7f", "\ufffe", "\u202e", "\u200f", "\ufeff"]
texts = st.one_of(
    st.sampled_from(TRICKY),
    client_text(max_size=40),
    st.builds(lambda head, control, tail: head + control + tail, client_text(max_size=8), st.sampled_from(CONTROL),
              client_text(max_size=8)),
    st.builds(lambda char, count: char * count, client_characters, st.sampled_from([99, 101, 121, 401, 601, 1501])),
    st.one_of(st.integers().map(str), st.floats().map(str)),
)
dates = st.one_of(st.dates().map(lambda day: day.isoformat()), texts,
                  st.sampled_from(["2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "2026-2-3", "30.02.2026"]))
times = st.one_of(st.times().map(lambda at: at.strftime("%H:%M")), texts,
                  st.sampled_from(["25:61", "24:00", "23:59", "00:00", "12:00:00", "-1:00", "12"]))
phones = st.one_of(texts, st.sampled_from(["+4917139200123", "0171 3920012", "0211 123456", "+492214710100",
                                           "+49 900 1234567", "110", "+1 202 555 0142"]))
flags = st.one_of(st.sampled_from(["y", "on", "1", "0", "false", "", "n"]), texts)


def choices(*valid: object) -> st.SearchStrategy[str]:
    """A valid choice most of the time, else anything."""
    return st.one_of(st.sampled_from([str(value) for value in valid]), texts, st.integers().map(str))


def _wav(seconds: float) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return write_wav(Path(folder) / "ansage.wav", seconds=seconds, rate=800).read_bytes()


MP3_FRAME = bytes([0xFF, 0xFB, 0x90, 0x00]) + bytes(413)
WAV = _wav(0.5)
audio_bytes = st.one_of(
    st.binary(max_size=2000),
    st.sampled_from([WAV, WAV[:44], WAV[:30], MP3_FRAME * 3, MP3_FRAME * 2 + b"junk", b"RIFF\x00\x00\x00\x00WAVE",
                     b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f", b"GIF89a", b"%PDF-1.4", b"<?php echo 1; ?>"]),
    st.binary(max_size=200).map(lambda tail: WAV[:44] + tail),
)
file_names = st.one_of(st.sampled_from(["ansage.wav", "ansage.mp3", "../../etc/passwd", "../../../../tmp/x.wav",
                                        "/etc/passwd", "..\\..\\x.wav", "a\x00.wav", "\u202evaw.exe", "a" * 300]),
                       client_text(max_size=40))
uploads = st.builds(lambda data, name: (data, name), audio_bytes, file_names)

# --- forms, by endpoint -------------------------------------------------------------------------

FREQUENCIES = [frequency.value for frequency in Frequency]
ACTIVITY = {"title": texts, "description": texts, "day": dates, "at": times, "place": texts, "contact": texts,
            "valid_from": dates, "valid_until": dates, "frequency": choices(*FREQUENCIES), "repeat_until": dates,
            "cancelled-0": dates, "cancelled-1": dates, "ausfall_weg": choices(0, 1, 5), "ausfall_neu": flags}
ACCOUNT = {"display_name": texts, "phone": phones, "role": choices(*USER_ROLES),
           "networks": st.lists(st.one_of(st.sampled_from(["{own_net}", "{other_net}"]), texts), max_size=3)}
NUMBER = {"number": phones}
NETWORK = {"name": texts, "slug": st.one_of(texts, st.sampled_from(["bilk-nord", "netz-1", "Bilk Nord"])),
           "stadtteile": st.lists(st.one_of(st.sampled_from(["Bilk", "Flingern-Nord", "Atlantis"]), texts), max_size=3),
           "address": texts, "phone_numbers": st.one_of(phones, st.lists(phones, max_size=3).map("\n".join)),
           "forwarding_number": phones, "postal_codes": st.one_of(texts, st.sampled_from(["40225 40227", "4022"])),
           "office_hours": st.one_of(texts, st.sampled_from(["Mo 10:00-12:00", "Mo 10:00-12:00\nMo 11:00-13:00",
                                                            "Xy 1:00-2:00", "Di 25:00-26:00"])),
           "begleitung": st.lists(st.one_of(st.integers().map(str), texts), max_size=2)}
MENU = {f"{part}_{key}": strategy for key in SHORT_NAMES for part, strategy in
        (("offered", flags), ("position", choices(1, 2, 3, 4, 5, 0)), ("label", texts))}
FORMS: dict[str, dict[str, st.SearchStrategy]] = {
    "admin.logout": {}, "admin.claim": {}, "admin.unclaim": {}, "admin.call": {}, "admin.reopen": {},
    "admin.close": {}, "admin.delete_activity": {}, "admin.remove_office_hours": {},
    "admin.remove_closure_day": {}, "admin.publish_draft": {}, "admin.discard_draft": {},
    "admin.restore_content": {}, "admin.deactivate_person": {}, "admin.activate_person": {},
    "admin.remove_urgent_word": {}, "admin.remove_prompt_audio": {}, "admin.remove_activity_audio": {},
    "admin.login": {"email": texts, "password": texts},
    "admin.change_password": {"current": st.one_of(st.just(PASSWORD), texts), "new": texts, "repeated": texts},
    "admin.log_attempt": {"outcome": choices(*OUTCOME_LABELS), "note": texts, "retry_day": texts, "retry_time": texts},
    "admin.new_activity": ACTIVITY,
    "admin.edit_activity": ACTIVITY,
    "admin.edit_activity_draft": ACTIVITY,
    "admin.publish_activity": {}, "admin.discard_activity_draft": {},
    "admin.give_back_activity": {"note": texts},
    "admin.set_direct_publishing": {"erlaubt": choices("ja", "nein")},
    "admin.newcomer_info": {"text": texts, "welcome_meeting": texts, "welcome_day": dates, "welcome_at": times,
                            "welcome_frequency": choices(*FREQUENCIES), "welcome_until": dates,
                            "welcome_cancelled-0": dates},
    "admin.line_settings": {"greeting": texts, "forwarding_number": phones},
    "admin.add_office_hours": {"weekday": choices(*range(7), 7, -1), "opens": times, "closes": times},
    "admin.add_closure_day": {"day": dates, "reason": texts},
    "admin.menu": MENU,
    "admin.test_call_step": {"fassung": choices("entwurf", "freigegeben"),
                             "event": choices("start", "digits", "speech", "timeout", "hangup", "recorded"),
                             "state": texts, "digits": choices(*"0123456789*#", "12", "")},
    "admin.profile": {"display_name": texts, "phone": phones, "notify_new_requests": flags},
    "admin.new_person": {**ACCOUNT, "email": st.one_of(texts, st.emails(), st.emails().map(lambda e: f" {e.upper()} ")),
                         "password": texts},
    "admin.edit_person": ACCOUNT,
    "admin.reset_person_password": {"password": texts},
    "admin.urgent_words": {"term": texts},
    "admin.new_network": NETWORK,
    "admin.edit_network": NETWORK,
    "admin.deactivate_network": {},
    "admin.activate_network": {},
    "admin.network_address": {"address": texts},
    "admin.data_request_find": NUMBER,
    "admin.data_request_export": NUMBER,
    "admin.data_request_letter": NUMBER,
    "admin.data_request_erase": {**NUMBER, "confirm": flags, "bestaetigen": flags},
    "admin.edit_prompt": {"text": texts},
    "admin.speech_preview": {"text": texts},
    "admin.upload_prompt_audio": {"audio": uploads},
    "admin.upload_activity_audio": {"audio": uploads},
}
# Posted now and then besides a form's own fields: unknown names and repeated values.
extra_fields = st.dictionaries(st.sampled_from(["id", "network_id", "user_id", "csrf", "role", "x"]), texts,
                               max_size=2)


def form_data(endpoint: str) -> st.SearchStrategy[dict]:
    """Any subset of the endpoint's fields, each with any value, plus sometimes strangers."""
    fields = FORMS[endpoint]
    return st.builds(lambda own, extra: {**extra, **own}, st.fixed_dictionaries({}, optional=fields), extra_fields)


def _first_allowed_role(row: tuple) -> str | None:
    """The least privileged role that may use the route (None: nobody, e.g. a missing row)."""
    return next((role for role, status in zip(ROLES, row[2:], strict=True) if status not in (403, 404)), None)


POSTS = [(row[1], _first_allowed_role(row)) for row in ROUTES if row[0] == "POST" and _first_allowed_role(row)]
# Forms the permission table lists only by their GET (or not at all, as the public login).
POSTS += [("/admin/login", "volunteer"), ("/admin/passwort", "volunteer"), ("/admin/personen/neu", "begleitung"),
          ("/admin/personen/{own_user}", "begleitung"), ("/admin/personen/{other_user}", "admin")]

# --- what the admin may store -------------------------------------------------------------------

_XML_UNSAFE = {chr(code) for code in range(32) if chr(code) not in "\t\n\r"} | {"\ufffe", "\uffff"}


def _speakable(text: str | None) -> bool:
    """Text that can go into the phone line's TwiML (XML 1.0 has no place for control characters)."""
    return text is None or not _XML_UNSAFE & set(text)


def _e164(number: str | None) -> bool:
    if number is None:
        return True
    parsed = phonenumbers.parse(number)
    return (phonenumbers.is_valid_number(parsed)
            and phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == number)


def _audio_ok(data_dir: Path, relative: str | None) -> bool:
    if relative is None:
        return True
    root = (data_dir / AUDIO_DIR).resolve()
    path = (root / relative).resolve()
    return path.is_relative_to(root) and path.is_file()


def _strings(value: object) -> list[str]:
    """Every string inside a JSON value (a flow definition)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.items() for text in _strings(list(item))]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _assert_recurrence_holds(recurrence: Recurrence) -> None:
    """A stored rule the line can follow: its end after its start, every cancelled date one of its dates."""
    first = recurrence.first.astimezone(BERLIN).date()
    assert recurrence.until is None or recurrence.until >= first
    assert all(is_occurrence_day(recurrence, day) for day in recurrence.cancelled)
    next_occurrence(recurrence, recurrence.first)


def assert_nothing_broken_is_stored(session, data_dir: Path) -> None:
    """The invariants of every row the admin writes, and of the files it places."""
    # A draft or proposal is published as it stands, so it keeps the same rules as a live activity.
    for activity in [*session.scalars(select(Activity)), *session.scalars(select(ActivityDraft))]:
        assert activity.title.strip(), activity
        assert activity.place.strip(), activity
        assert len(activity.title) <= content.ACTIVITY_TITLE_MAX
        assert len(activity.description) <= content.ACTIVITY_DESCRIPTION_MAX
        assert len(activity.place) <= content.PLACE_MAX
        assert len(activity.contact) <= content.CONTACT_MAX
        assert activity.valid_until is None or activity.valid_from <= activity.valid_until
        _assert_recurrence_holds(activity.recurrence)
        assert all(_speakable(text) for text in (activity.title, activity.description, activity.place,
                                                 activity.contact))
        assert isinstance(activity, ActivityDraft) or _audio_ok(data_dir, activity.audio_path)
    for draft in session.scalars(select(ActivityDraft).where(ActivityDraft.state == "returned")):
        assert draft.note.strip(), draft
        assert len(draft.note) <= activity_drafts.NOTE_MAX, draft
    for hours in session.scalars(select(OfficeHours)):
        assert 0 <= hours.weekday <= 6
        assert hours.opens < hours.closes
        assert session.scalar(select(func.count()).select_from(OfficeHours).where(
            OfficeHours.network_id == hours.network_id, OfficeHours.weekday == hours.weekday,
            OfficeHours.opens < hours.closes, OfficeHours.closes > hours.opens)) == 1, "overlapping hours"
    for closure in session.scalars(select(ClosureDay)):
        assert len(closure.reason) <= content.REASON_MAX
        assert _speakable(closure.reason)
    for network in session.scalars(select(Network)):
        assert _e164(network.forwarding_number), network.forwarding_number
        assert network.greeting is None or (network.greeting.strip() == network.greeting
                                            and 0 < len(network.greeting) <= content.GREETING_MAX)
        assert _speakable(network.greeting)
    for info in session.scalars(select(NewcomerInfo)):
        assert len(info.text) <= content.NEWCOMER_TEXT_MAX
        assert len(info.welcome_meeting) <= content.WELCOME_MEETING_MAX
        assert _speakable(info.text)
        assert _speakable(info.welcome_meeting)
        if info.welcome_schedule is not None:
            _assert_recurrence_holds(info.welcome_schedule)
    for override in session.scalars(select(PromptOverride)):
        assert override.key in prompts.NETWORK_KEYS
        assert override.text or override.audio_path, "an override that overrides nothing"
        if override.text is not None:
            assert prompts.check_text(override.key, override.text) == override.text
            assert _speakable(override.text)
        assert _audio_ok(data_dir, override.audio_path)
    for user in session.scalars(select(User)):
        assert user.email == normalize_email(user.email)
        assert "@" in user.email.strip("@")
        assert user.role in USER_ROLES
        assert len(user.display_name) <= 120
        assert _e164(user.phone), user.phone
        assert user.role == "admin" or user.networks, "an account without a network"
    for term in session.scalars(select(UrgentTerm)):
        assert urgent_terms._TERM.match(term.term)
        assert len(term.term) <= urgent_terms.TERM_MAX
    for version in session.scalars(select(FlowVersion)):
        load_flow_from_mapping(version.definition, f"version {version.id}")
        assert all(_speakable(text) for text in _strings(version.definition))
    for draft in session.scalars(select(ContentVersion).where(ContentVersion.kind == "menu")):
        load_flow_from_mapping(flows.definition_of(draft.snapshot, 1), f"content version {draft.id}")
    # Uploads land in the prompt-audio folder only (the world's recordings are its own).
    for path in data_dir.rglob("*"):
        if path.is_file() and path.name != "queue.sqlite3" and not path.name.startswith("queue.sqlite3-"):
            assert path.relative_to(data_dir).parts[0] in (AUDIO_DIR, "recordings"), path


# --- the property -------------------------------------------------------------------------------


def _encode(values: dict, token: str) -> tuple[bytes, str]:
    form = MultiDict([("csrf_token", token)])
    for name, value in values.items():
        if isinstance(value, tuple):
            form.add(name, FileStorage(io.BytesIO(value[0]), value[1], content_type="audio/wav"))
        elif isinstance(value, list):
            form.setlist(name, value)
        else:
            form.add(name, value)
    boundary, body = encode_multipart(form)
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def rollback_each(app):
    """Run a block in a savepoint of the test's connection that is rolled back afterwards."""
    connection = app.extensions["hotline.db"].sessions.kw["bind"]

    class Savepoint:
        def __enter__(self):
            self.transaction = connection.begin_nested()

        def __exit__(self, *exc_info):
            self.transaction.rollback()

    return Savepoint


# Posting these changes the session's login; every example of them logs in afresh.
_RELOGIN = {"admin.login", "admin.logout", "admin.change_password"}


@pytest.mark.slow
@pytest.mark.parametrize(("template", "role"), POSTS, ids=[f"{role} {template}" for template, role in POSTS])
@FUZZ
@given(data=st.data())
def test_any_post_to_an_admin_form_gets_an_answer_and_stores_nothing_broken(
        app, logged_in, world, extras, settings, rollback_each, template, role, data):
    ids = {"own_net": str(extras["own_net"]), "other_net": str(extras["other_net"])}
    path = route_path(template, world, extras)
    endpoint = app.url_map.bind("localhost").match(path, method="POST")[0]
    values = data.draw(form_data(endpoint), label="form")
    if isinstance(values.get("networks"), list):
        values["networks"] = [ids.get(value.strip("{}"), value) for value in values["networks"]]
    data_dir = Path(settings.data_dir)
    web, token = logged_in(role, fresh=endpoint in _RELOGIN)
    with rollback_each():
        body, content_type = _encode(values, token)
        response = web.client.post(path, data=body, content_type=content_type)
        page = response.get_data(as_text=True)
        response.close()
        assert response.status_code < 500, page[:500]
        assert response.status_code in (200, 302, 400, 403, 404, 413, 429), page[:500]
        if response.status_code == 400 and endpoint != "admin.test_call_step":
            assert "Bitte" in page, page[:500]
        with app.extensions["hotline.db"].sessions() as session:
            assert_nothing_broken_is_stored(session, data_dir)


@pytest.fixture
def logged_in(login_as):
    """A logged-in client per role and its CSRF token, its session reset to right after the login.

    Resetting the cookie session drops the flashes of earlier examples, which no page consumed.
    """
    clients: dict[str, tuple] = {}

    def get(role: str, *, fresh: bool = False):
        if fresh or role not in clients:
            web = login_as(role)
            token = web.csrf_token()
            with web.client.session_transaction() as session:
                clients[role] = (web, token, dict(session))
        web, token, snapshot = clients[role]
        with web.client.session_transaction() as session:
            session.clear()
            session.update(snapshot)
        return web, token

    return get


def test_every_admin_form_is_fuzzed(app, world, extras):
    posted = {rule.endpoint for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("admin.") and "POST" in rule.methods}
    adapter = app.url_map.bind("localhost")
    fuzzed = {adapter.match(route_path(template, world, extras), method="POST")[0] for template, _ in POSTS}
    assert posted == set(FORMS) == fuzzed


# --- wrong methods -------------------------------------------------------------------------------

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_other_methods_on_admin_routes_are_refused_with_405(app, login_as, world, extras):
    web = login_as("admin")
    token = web.csrf_token()
    adapter = app.url_map.bind("localhost")
    answers = {}
    for template in sorted({route[1] for route in ROUTES}):
        path = route_path(template, world, extras)
        allowed = set(adapter.allowed_methods(path))
        assert {method for method, route, *_ in ROUTES if route == template} <= allowed
        for method in sorted(METHODS - allowed):
            response = web.client.open(path, method=method, data={"csrf_token": token})
            response.close()
            answers[method, template] = response.status_code
    assert ("GET", "/admin/logout") in answers
    assert set(answers.values()) == {405}, answers
