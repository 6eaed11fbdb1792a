"""Signature checks: Twilio's signed requests pass, unsigned, forged and tampered ones get 403."""

from dataclasses import replace

import pytest
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from hotline import create_app
from hotline.web.signatures import require_twilio_signature

from tests.support import TwilioClient

PARAMS = {"CallSid": "CA123", "From": "+492214710999", "To": "+492214710100"}


def _app_with_protected_route(settings):
    app = create_app(settings)

    @app.post("/twilio/probe/<state>")
    @require_twilio_signature
    def probe(state):
        return state

    return app


@pytest.fixture
def probe_client(settings):
    return _app_with_protected_route(settings).test_client()


def test_signed_request_passes(probe_client, settings):
    response = TwilioClient(probe_client, settings.twilio_auth_token).post("/twilio/probe/s1", PARAMS)
    assert response.status_code == 200
    assert response.text == "s1"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda headers, data, path: (dict(), data, path),  # no signature at all
        lambda headers, data, path: ({"X-Twilio-Signature": "Zm9yZ2Vk"}, data, path),
        lambda headers, data, path: (headers, {**data, "From": "+4915100000000"}, path),
        lambda headers, data, path: (headers, {**data, "Extra": "1"}, path),
        lambda headers, data, path: (headers, data, "/twilio/probe/other-state"),
    ],
    ids=["unsigned", "forged", "changed-param", "added-param", "changed-path"],
)
def test_unsigned_forged_or_tampered_requests_are_refused(probe_client, settings, tamper):
    signature = RequestValidator(settings.twilio_auth_token).compute_signature(
        "http://localhost/twilio/probe/s1", PARAMS
    )
    headers, data, path = tamper({"X-Twilio-Signature": signature}, PARAMS, "/twilio/probe/s1")
    assert probe_client.post(path, data=data, headers=headers).status_code == 403


def test_every_value_of_a_repeated_parameter_is_signed(probe_client, settings):
    # Twilio signs each value of a parameter that comes more than once; so must the check.
    data = MultiDict([*PARAMS.items(), ("Label", "a"), ("Label", "b")])
    signature = RequestValidator(settings.twilio_auth_token).compute_signature(
        "http://localhost/twilio/probe/s1", data
    )
    signed = probe_client.post("/twilio/probe/s1", data=data, headers={"X-Twilio-Signature": signature})
    one_dropped = MultiDict([*PARAMS.items(), ("Label", "a")])
    tampered = probe_client.post("/twilio/probe/s1", data=one_dropped, headers={"X-Twilio-Signature": signature})

    assert (signed.status_code, tampered.status_code) == (200, 403)


def test_signature_from_another_token_is_refused(probe_client):
    response = TwilioClient(probe_client, "someone-elses-token").post("/twilio/probe/s1", PARAMS)
    assert response.status_code == 403


def test_behind_a_proxy_the_public_url_is_what_counts(settings):
    public = replace(settings, public_base_url="https://hotline.example.org")
    client = _app_with_protected_route(public).test_client()
    as_twilio = TwilioClient(client, settings.twilio_auth_token, base_url="https://hotline.example.org")
    assert as_twilio.post("/twilio/probe/s1", PARAMS).status_code == 200
    internal = TwilioClient(client, settings.twilio_auth_token)
    assert internal.post("/twilio/probe/s1", PARAMS).status_code == 403
