"""The benchmark's baseline: a correct minimal Twilio voice app.

It does what every Twilio webhook must do and nothing the hotline adds: it checks the request's
signature and answers with TwiML built by the Twilio library, a menu prompt inside a Gather.
Started by `benchmarks/webhooks.py` under the same gunicorn settings as the hotline.
"""

from __future__ import annotations

import os

from flask import Flask, Response, abort, request
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import Gather, VoiceResponse

app = Flask(__name__)
validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])


@app.get("/healthz")
def health() -> str:
    """Answers once gunicorn is up."""
    return "ok"


@app.post("/<path:path>")
def answer(path: str) -> Response:
    """Any webhook: refuse a wrong signature, else answer one menu prompt."""
    if not validator.validate(request.url, request.form, request.headers.get("X-Twilio-Signature", "")):
        abort(403)
    response = VoiceResponse()
    gather = Gather(action=f"/{path}", input="dtmf", num_digits=1, timeout=8)
    gather.say("Für aktuelle Angebote drücken Sie die 1.", language="de-DE", voice="Polly.Vicki-Neural")
    response.append(gather)
    return Response(str(response), mimetype="text/xml")
