"""`hotline twilio numbers|connect` through the real twilio Client over a fake transport."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.factories import make_line_number, make_network
from tests.twilio_numbers.twilio_numbers_support import (
    BASE,
    FALLBACK,
    FakeTwilioNumbers,
    connected,
    number_json,
)

BILK, SPARE, STRANGER = "+4921112345601", "+4921112345602", "+4921112345603"


@pytest.fixture
def settings(settings):
    """The test settings with the public HTTPS address Twilio uses."""
    return replace(settings, public_base_url=BASE)


def _account(app, settings, *numbers, status=200):
    transport = FakeTwilioNumbers(list(numbers), status)
    app.extensions["hotline.twilio"].transport = transport
    return transport


def _number_uri(settings, n):
    return f"https://api.twilio.com/2010-04-01/Accounts/{settings.twilio_account_sid}/IncomingPhoneNumbers/PN{n:032d}.json"


def test_numbers_lists_owner_and_webhooks_of_each_number(app, runner, settings, db_session):
    network = make_network(db_session, name="Netzwerk Bilk", slug="bilk")
    make_line_number(db_session, network, BILK)
    make_line_number(db_session, make_network(db_session, slug="fort", active=False), "+4921112345609")
    db_session.commit()
    sid = settings.twilio_account_sid
    _account(app, settings, connected(sid, 1, BILK),
             number_json(sid, 2, SPARE, voice_url="https://demo.twilio.com/welcome/voice/"),
             connected(sid, 3, STRANGER, status_callback=BASE + "/twilio/status/", voice_fallback_url=""))

    result = runner.invoke(args=["twilio", "numbers"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (f"{BILK}\tNetzwerk Bilk (bilk)\tverbunden: Sprach-URL ok, Status-Callback ok,"
                        " Fallback-URL gesetzt")
    assert lines[1] == (f"{SPARE}\tStadtweite Linie\tnicht verbunden: Sprach-URL falsch"
                        " (https://demo.twilio.com/welcome/voice/), Status-Callback falsch (leer), Fallback-URL fehlt")
    assert lines[2].startswith(f"{STRANGER}\tStadtweite Linie\tnicht verbunden: Sprach-URL ok, Status-Callback falsch")
    assert lines[3] == "In der Datenbank, aber nicht im Twilio-Konto: +4921112345609"


def test_connect_sends_exactly_the_webhooks_and_a_second_run_changes_nothing(app, runner, settings):
    sid = settings.twilio_account_sid
    transport = _account(app, settings, number_json(sid, 1, BILK, voice_url="https://old.example.org/voice",
                                                    voice_method="GET"),
                         number_json(sid, 2, SPARE))

    first = runner.invoke(args=["twilio", "connect", "0211 12345601", "--fallback-url", FALLBACK])

    assert first.exit_code == 0, first.output
    assert transport.posts() == [(_number_uri(settings, 1), {
        "VoiceUrl": BASE + "/twilio/voice", "VoiceMethod": "POST", "StatusCallback": BASE + "/twilio/status",
        "VoiceFallbackUrl": FALLBACK})]
    assert first.output.splitlines() == [f"{BILK}: geändert: Sprach-URL, Sprach-Methode POST, Status-Callback,"
                                         " Fallback-URL"]
    assert all(r["auth"] == (sid, settings.twilio_auth_token) for r in transport.requests)

    second = runner.invoke(args=["twilio", "connect", BILK, "--fallback-url", FALLBACK])
    assert second.exit_code == 0, second.output
    assert second.output.splitlines() == [f"{BILK}: unverändert"]
    assert len(transport.posts()) == 1


def test_connect_all_takes_every_number_and_drops_a_twiml_app(app, runner, settings):
    sid = settings.twilio_account_sid
    transport = _account(app, settings, connected(sid, 1, BILK),
                         connected(sid, 2, SPARE, voice_application_sid="AP" + "1" * 32))

    result = runner.invoke(args=["twilio", "connect", "--all"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{BILK}: unverändert", f"{SPARE}: geändert: TwiML-App entfernt"]
    assert transport.posts() == [(_number_uri(settings, 2), {"VoiceApplicationSid": ""})]


def test_connect_without_a_fallback_says_twilio_would_apologise_in_english(app, runner, settings):
    _account(app, settings, number_json(settings.twilio_account_sid, 1, BILK))
    result = runner.invoke(args=["twilio", "connect", BILK])
    assert result.exit_code == 0, result.output
    assert "englische Ansage" in result.output


@pytest.mark.parametrize(("public_base_url", "message"), [
    (None, "PUBLIC_BASE_URL ist nicht gesetzt"),
    ("http://hotline.example.org", "PUBLIC_BASE_URL muss mit https:// beginnen"),
])
def test_connect_refuses_without_an_https_public_base_url(app, runner, settings, public_base_url, message):
    transport = _account(app, settings, number_json(settings.twilio_account_sid, 1, BILK))
    app.extensions["hotline.settings"] = replace(settings, public_base_url=public_base_url)

    result = runner.invoke(args=["twilio", "connect", "--all"])

    assert result.exit_code != 0
    assert message in result.output
    assert transport.requests == []


@pytest.mark.parametrize(("args", "message"), [
    ([STRANGER], f"Nicht im Twilio-Konto: {STRANGER}"),
    (["0211 1"], "Keine gültige Rufnummer: 0211 1"),
    ([], "Bitte Rufnummern angeben oder --all"),
    ([BILK, "--all"], "Bitte Rufnummern angeben oder --all"),
    ([BILK, "--fallback-url", "http://example.org/bin"], "--fallback-url muss mit https:// beginnen"),
])
def test_connect_refuses_what_it_cannot_do_and_changes_nothing(app, runner, settings, args, message):
    transport = _account(app, settings, number_json(settings.twilio_account_sid, 1, BILK))

    result = runner.invoke(args=["twilio", "connect", *args])

    assert result.exit_code != 0
    assert message in result.output
    assert transport.posts() == []


def test_rejected_credentials_are_named(app, runner, settings):
    _account(app, settings, status=401)
    result = runner.invoke(args=["twilio", "numbers"])
    assert result.exit_code != 0
    assert "HTTP 401" in result.output
    assert "TWILIO_AUTH_TOKEN" in result.output
