"""`hotline call`: a test call from the terminal through the real webhooks, signed exactly as Twilio signs.

The caller's side is played from the TwiML the hotline answers: every <Say> is printed (and spoken
with espeak-ng when available), keys come from a script or from the keyboard, and the recording
and status callbacks Twilio would send are simulated. The recording URL is a fake one on
127.0.0.1: the recording itself exists nowhere, so downloading it later fails by design.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from twilio.request_validator import RequestValidator

# One script entry answers one Gather, Record or Dial.
WAIT, HANGUP, ANSWER = "wait", "hangup", "answer"
RECORDED_SECONDS = 8
HTTP_TIMEOUT_SECONDS = 10
MAX_STEPS = 200  # a script that never hangs up still ends

Send = Callable[[str, dict[str, str], dict[str, str]], tuple[int, bytes]]


class CallFailed(RuntimeError):
    """The hotline answered something Twilio could not play."""


@dataclass
class Keys:
    """Where the caller's keys come from: a script (then hang up), or a prompt on the terminal."""

    script: list[str] | None
    ask: Callable[[str], str]
    _position: int = 0

    def next(self, question: str) -> str:
        """The next keys: from the script, else typed at the prompt."""
        if self.script is None:
            return self.ask(question).strip() or WAIT
        if self._position >= len(self.script):
            return HANGUP
        entry = self.script[self._position].strip() or WAIT
        self._position += 1
        return entry


@dataclass
class Caller:
    """One simulated call: who calls which number, and how the hotline's answers are shown."""

    send: Send
    token: str
    base_url: str  # how Twilio reaches the hotline: PUBLIC_BASE_URL, or where it runs
    to: str
    caller: str
    keys: Keys
    echo: Callable[[str], None]
    speak: Callable[[str], None] | None = None
    call_sid: str = field(default_factory=lambda: "CA" + uuid.uuid4().hex)

    def run(self) -> None:
        """Call, follow the TwiML until someone hangs up, then send the status callback."""
        started = time.monotonic()
        self.echo(f"Anruf {self.call_sid}: {self.caller} -> {self.to}")
        try:
            document: ET.Element | None = self._post(self.base_url + "/twilio/voice")
            for _ in range(MAX_STEPS):
                if document is None:
                    break
                self._show(document)
                verb = next((c for c in document if c.tag in ("Gather", "Record", "Dial", "Redirect")), None)
                document = self._follow(verb) if verb is not None else None
        finally:
            seconds = int(time.monotonic() - started)
            self._post(self.base_url + "/twilio/status", {"CallStatus": "completed", "CallDuration": str(seconds)})
            self.echo(f"Aufgelegt nach {seconds} s.")

    def _follow(self, verb: ET.Element) -> ET.Element | None:
        if verb.tag == "Redirect":
            return self._post(verb.text or "")
        if verb.tag == "Gather":
            entry = self.keys.next("Tasten (leer = warten, hangup = auflegen)")
            if entry == HANGUP:
                return None
            digits = entry.removesuffix("#") if verb.get("finishOnKey") == "#" else entry
            return self._post(verb.get("action", ""), {} if entry == WAIT else {"Digits": digits})
        if verb.tag == "Record":
            return self._record(verb)
        number = verb.findtext("Number")
        self.echo(f"[Weiterleitung an {number}, Absender {verb.get('callerId')}]")
        entry = self.keys.next("answer = jemand nimmt ab, sonst niemand")
        if entry == HANGUP:
            return None
        status = "completed" if entry == ANSWER else "no-answer"
        return self._post(verb.get("action", ""), {"DialCallStatus": status})

    def _record(self, verb: ET.Element) -> ET.Element | None:
        self.echo("[Piep: Aufnahme läuft]")
        entry = self.keys.next("# = fertig, leer = Stille, hangup = auflegen")
        seconds = 0 if entry == WAIT else RECORDED_SECONDS
        sid = "RE" + uuid.uuid4().hex
        recording = {"RecordingSid": sid, "RecordingUrl": f"http://127.0.0.1/recordings/{sid}",
                     "RecordingDuration": str(seconds)}
        answer = self._post(verb.get("action", ""), {**recording, "Digits": HANGUP if entry == HANGUP else "#"})
        status = "absent" if seconds == 0 else "completed"
        self._post(verb.get("recordingStatusCallback", ""), {**recording, "RecordingStatus": status})
        self.echo(f"[Aufnahme {sid}: {status}, {seconds} s]")
        return None if entry == HANGUP else answer

    def _show(self, document: ET.Element) -> None:
        for element in document.iter():
            if element.tag == "Say":
                text = "".join(element.itertext()).strip()
                self.echo(f"  {text}")
                if self.speak:
                    self.speak(text)
            elif element.tag == "Play":
                self.echo(f"  [Audio: {element.text}]")

    def _post(self, url: str, extra: dict[str, str] | None = None) -> ET.Element:
        data = {"CallSid": self.call_sid, "AccountSid": "AC" + "0" * 32, "From": self.caller, "To": self.to,
                "CallStatus": "in-progress", "Direction": "inbound", "ApiVersion": "2010-04-01", **(extra or {})}
        headers = {"X-Twilio-Signature": RequestValidator(self.token).compute_signature(url, data),
                   "I-Twilio-Idempotency-Token": uuid.uuid4().hex}
        status, body = self.send(url, data, headers)
        if status != 200:
            raise CallFailed(f"{urlsplit(url).path} antwortete mit HTTP {status}")
        try:
            return ET.fromstring(body)  # noqa: S314 - the hotline's TwiML; expat refuses external entities
        except ET.ParseError as error:
            raise CallFailed(f"{urlsplit(url).path} antwortete mit ungültigem XML: {error}") from None


def in_process(client) -> Send:  # noqa: ANN001 - a Flask test client
    """Send requests to the app itself (no server needed)."""

    def send(url: str, data: dict[str, str], headers: dict[str, str]) -> tuple[int, bytes]:
        response = client.post(_path_and_query(url), data=data, headers=headers)
        return response.status_code, response.data

    return send


def over_http(base_url: str) -> Send:
    """Send requests to a running service at `base_url`, wherever the TwiML's URLs point."""
    import requests

    def send(url: str, data: dict[str, str], headers: dict[str, str]) -> tuple[int, bytes]:
        response = requests.post(base_url + _path_and_query(url), data=data, headers=headers,
                                 timeout=HTTP_TIMEOUT_SECONDS)
        return response.status_code, response.content

    return send


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def espeak() -> Callable[[str], None] | None:
    """Speak German text with espeak-ng, when it is installed."""
    program = shutil.which("espeak-ng")
    if program is None:
        return None

    def speak(text: str) -> None:
        subprocess.run([program, "-v", "de", text], check=False)  # noqa: S603 - our own prompt text

    return speak
