"""The phone line as the voice tests see it: fixed numbers and times, TwiML checks, a caller."""

from __future__ import annotations

import itertools
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from lxml import etree

from ivr_flows.speakable import has_numeral_date

BERLIN = ZoneInfo("Europe/Berlin")
SCHEMA_DIR = Path(__file__).parent / "voice" / "twiml_schema"
# Tuesday 1 December 2026, 10:30 in Düsseldorf: Bilk's office is open (Tuesdays 10 to 12).
TUESDAY_OPEN = datetime(2026, 12, 1, 10, 30, tzinfo=BERLIN)
BILK_LINE = "+492214710100"
BILK_OFFICE = "+492214710101"
GERRESHEIM_LINE = "+492214710200"
CITY_LINE = "+492214710500"  # owned by no network: the city-wide entry
CALLER = "+492114710999"
MAX_DOCUMENT_BYTES = 64_000
MAX_SAY_CHARS = 3_000

_call_numbers = itertools.count(1)


class _LocalSchemas(etree.Resolver):
    def resolve(self, system_url, public_id, context):
        if system_url.endswith("2001/xml.xsd"):
            return self.resolve_filename(str(SCHEMA_DIR / "xml-namespace-stub.xsd"), context)
        return None


def load_twiml_schema() -> etree.XMLSchema:
    """The TwiML XML Schema (local copy, neural voices allowed), compiled offline."""
    parser = etree.XMLParser()
    parser.resolvers.add(_LocalSchemas())
    entry = SCHEMA_DIR / "twiml_v20100401_twilioRealtimeCallSchema.xsd"
    return etree.XMLSchema(etree.parse(str(entry), parser))


def assert_valid_twiml(schema: etree.XMLSchema, document: bytes) -> ET.Element:
    """Validate a TwiML document against the schema and Twilio's limits; return it parsed."""
    assert len(document) < MAX_DOCUMENT_BYTES
    schema.assertValid(etree.fromstring(document))
    root = ET.fromstring(document)  # noqa: S314 - our own answer, already parsed by lxml
    assert root.tag == "Response"
    for say in root.iter("Say"):
        assert len("".join(say.itertext())) < MAX_SAY_CHARS
        assert not has_numeral_date("".join(say.itertext())), "a voice reads a numeral date as numbers"
    return root


class Phone:
    """One caller on the line, doing what Twilio does for them: signed posts that follow the TwiML."""

    def __init__(self, twilio, check, *, to: str = BILK_LINE, caller: str = CALLER) -> None:
        self.twilio, self.check = twilio, check
        self.params = {"CallSid": f"CA{next(_call_numbers):032x}", "From": caller, "To": to,
                       "AccountSid": "AC" + "0" * 32, "CallStatus": "in-progress", "Direction": "inbound",
                       "ApiVersion": "2010-04-01"}
        self.documents: list[ET.Element] = []
        self.urls: list[str] = []
        self.last_request: tuple[str, dict[str, str], str] | None = None

    @property
    def call_sid(self) -> str:
        return self.params["CallSid"]

    @property
    def doc(self) -> ET.Element:
        """The newest TwiML document."""
        return self.documents[-1]

    @property
    def text(self) -> str:
        """Everything said in the newest document."""
        return " ".join("".join(say.itertext()) for say in self.doc.iter("Say"))

    @property
    def all_text(self) -> str:
        """Everything said during the call so far."""
        return " ".join("".join(say.itertext()) for doc in self.documents for say in doc.iter("Say"))

    def post(self, path: str, extra: dict[str, str] | None = None, *, token: str | None = None,
             callback: bool = False) -> ET.Element:
        """Post to a /twilio/ path (or an absolute URL from the TwiML) and return the checked answer.

        Answers to callbacks (status, recording status) do not change what the caller hears.
        """
        path = path.removeprefix("http://localhost")
        data = {**self.params, **(extra or {})}
        token = token or uuid.uuid4().hex
        self.last_request = (path, data, token)
        response = self.twilio.post(path, data, headers={"I-Twilio-Idempotency-Token": token})
        root = self.check(response)
        if not callback:
            self.documents.append(root)
            self.urls.extend(_urls_in(root))
        return root

    def retry_last(self) -> ET.Element:
        """Twilio retries the newest request: same URL, parameters and idempotency token."""
        assert self.last_request is not None
        path, data, token = self.last_request
        response = self.twilio.post(path, data, headers={"I-Twilio-Idempotency-Token": token})
        return self.check(response)

    def dial(self) -> Phone:
        self.post("/twilio/voice")
        return self

    def press(self, *keys: str | None) -> Phone:
        """Answer the current Gather once per key string; None is silence (actionOnEmptyResult)."""
        for key in keys:
            gather = self.doc.find("Gather")
            assert gather is not None, "no Gather to answer"
            self.post(gather.get("action"), {} if key is None else {"Digits": key})
        return self

    def record(self, seconds: int = 12, *, hung_up: bool = False) -> Phone:
        """Finish the current Record with `#`, or by hanging up."""
        record = self.doc.find("Record")
        assert record is not None, "no Record to finish"
        self.post(record.get("action"), {"RecordingDuration": str(seconds), "RecordingSid": self.recording_sid,
                                         "RecordingUrl": self.recording_url,
                                         "Digits": "hangup" if hung_up else "#"})
        return self

    @property
    def recording_sid(self) -> str:
        return "RE" + self.call_sid[2:]

    @property
    def recording_url(self) -> str:
        return f"https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/{self.recording_sid}"

    def recording_callback(self, status: str = "completed", seconds: int = 12) -> ET.Element:
        """Twilio's recordingStatusCallback for this call's recording."""
        return self.post("/twilio/recording-status", {
            "RecordingSid": self.recording_sid, "RecordingUrl": self.recording_url, "RecordingStatus": status,
            "RecordingDuration": str(seconds), "RecordingChannels": "1", "RecordingSource": "RecordVerb"},
            callback=True)

    def forward_result(self, status: str) -> Phone:
        dial = self.doc.find("Dial")
        assert dial is not None, "no Dial to end"
        self.post(dial.get("action"), {"DialCallStatus": status, "DialCallSid": "CA" + "d" * 32})
        return self

    def hang_up(self, seconds: int = 90, status: str = "completed") -> ET.Element:
        """The call status callback at the end of the call."""
        return self.post("/twilio/status", {"CallStatus": status, "CallDuration": str(seconds)}, callback=True)


def _urls_in(root: ET.Element) -> list[str]:
    urls = [element.get(name) for element in root.iter()
            for name in ("action", "recordingStatusCallback") if element.get(name)]
    return urls + [element.text or "" for element in root.iter() if element.tag in ("Redirect", "Play")]
