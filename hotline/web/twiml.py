"""The telephony adapter: engine actions -> TwiML, built only with twilio's VoiceResponse (which escapes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import Response
from twilio.twiml import TwiML
from twilio.twiml.voice_response import Gather as TwimlGather
from twilio.twiml.voice_response import VoiceResponse

from ivr_flows.actions import Action, Break, Dial, Gather, Hangup, Pause, Play, Prompt, Record, Say

LANGUAGE = "de-DE"
RATE = "90%"  # slightly slower than normal speech: many callers are hard of hearing
RECORDING_EVENTS = "completed absent"
MAX_DOCUMENT_BYTES = 64_000  # Twilio refuses larger documents (64 kB)

APOLOGY = "Entschuldigung, hier ist gerade etwas schiefgegangen."
APOLOGY_RETRY = "Ich versuche es gleich noch einmal."
APOLOGY_LATER = "Bitte rufen Sie später noch einmal an. Auf Wiederhören!"


@dataclass(frozen=True)
class Urls:
    """Where Twilio posts the outcome of the answer's terminal verb.

    On the caller's line: absolute URLs, the call state in the path, the content revision in the
    query. The bridge never records.
    """

    step: str
    dialed: str
    recorded: str | None = None
    recording_status: str | None = None


def render(actions: Sequence[Action], urls: Urls, voice: str, *, rate: str | None = RATE) -> VoiceResponse:
    """Turn the engine's actions into a TwiML document; effects were carried out by the services.

    `rate` slows the speech (prosody); None speaks at the voice's normal rate.
    """
    response = VoiceResponse()
    spoken: list[Prompt] = []  # prompts before the terminal verb, rendered together so breaks join Says
    for action in actions:
        if isinstance(action, Say | Break | Play | Pause):
            spoken.append(action)
            continue
        _prompts(response, spoken, voice, rate)
        spoken = []
        match action:
            case Gather():
                gather = response.gather(
                    input="dtmf", action=urls.step, method="POST", timeout=action.timeout,
                    num_digits=action.num_digits, finish_on_key=action.finish_on_key,
                    action_on_empty_result=True,
                )
                _prompts(gather, action.prompts, voice, rate)
            case Record():
                if urls.recorded is None or urls.recording_status is None:
                    raise ValueError("a Record needs the recording URLs")
                response.record(
                    action=urls.recorded, method="POST", max_length=action.max_length, timeout=action.timeout,
                    finish_on_key=action.finish_on_key, play_beep=action.beep, trim="trim-silence",
                    recording_status_callback=urls.recording_status, recording_status_callback_method="POST",
                    recording_status_callback_event=RECORDING_EVENTS, transcribe=False,
                )
            case Dial():
                dial = response.dial(action=urls.dialed, method="POST", caller_id=action.caller_id,
                                     timeout=action.timeout)
                dial.number(action.number)
            case Hangup():
                response.hangup()
    _prompts(response, spoken, voice, rate)
    return response


def checked_xml(document: VoiceResponse) -> str:
    """The document as XML; raise ValueError when Twilio would refuse it for its size."""
    xml = str(document)
    size = len(xml.encode())
    if size >= MAX_DOCUMENT_BYTES:
        raise ValueError(f"TwiML document of {size} bytes is over Twilio's limit")
    return xml


def apology(voice: str, retry_url: str | None) -> VoiceResponse:
    """What the line says when something went wrong: sorry, then start over once, else call again later."""
    response = VoiceResponse()
    _prompts(response, [Say(APOLOGY)], voice, RATE)
    if retry_url:
        _prompts(response, [Say(APOLOGY_RETRY)], voice, RATE)
        response.pause(length=1)
        response.redirect(retry_url, method="POST")
    else:
        _prompts(response, [Say(APOLOGY_LATER)], voice, RATE)
        response.hangup()
    return response


def empty() -> VoiceResponse:
    """The answer to status callbacks: an empty <Response/>."""
    return VoiceResponse()


def http_response(document: VoiceResponse | str) -> Response:
    """The HTTP answer for a TwiML document (or its XML, already checked by `checked_xml`)."""
    return Response(str(document), status=200, mimetype="text/xml")


def _prompts(parent: VoiceResponse | TwimlGather, prompts: Sequence[Prompt], voice: str, rate: str | None) -> None:
    """Render prompts in order; a Break and the Say after it continue the Say before it."""
    speech: TwiML | None = None  # where the text of the current <Say> goes: the Say or its <prosody>
    joined = False
    for prompt in prompts:
        match prompt:
            case Say(text=text) if speech is not None and joined:
                speech.append(" " + text)  # after the <break/>: words stay apart in the text
            case Say(text=text) if rate is None:
                speech = parent.say(text, voice=voice, language=LANGUAGE)
            case Say(text=text):
                speech = parent.say(voice=voice, language=LANGUAGE).prosody(text, rate=rate)
            case Break(milliseconds=milliseconds) if speech is not None:
                speech.break_(time=f"{milliseconds}ms")
            case Break():
                continue  # nothing said yet that could pause
            case Play(url=url):
                parent.play(url)
            case Pause(seconds=seconds):
                parent.pause(length=seconds)
        joined = isinstance(prompt, Break) and speech is not None
        if isinstance(prompt, Play | Pause):
            speech = None
