"""Helpers of the admin tests: CSRF-aware logged-in clients, test audio, the Ansagen page's parts."""

from __future__ import annotations

import math
import re
import wave
from functools import cache
from pathlib import Path

PASSWORD = "richtig-geheim-1"
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
# The headings of the "Ansagen" page: the parts of a call in the order a caller meets them.
CALL_ORDER = ["Begrüßung", "Hauptmenü", "Angebote und Treffen", "Informationen zum Mitmachen", "Nachricht",
              "Gespräch mit der Anlaufstelle", "Rückruf", "Verabschiedung", "Wenn etwas nicht klappt",
              "Anliegen in der Rückrufliste", "Beim Rückruf aus der Verwaltung", "Stadtweite Nummer"]


def write_wav(path: Path, seconds: float = 1.0, rate: int = 8000) -> Path:
    """A mono 16-bit WAV with a quiet tone, like a short Twilio recording."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(_tone(seconds, rate))
    return path


@cache  # most tests write the same second of tone; computing it sample by sample is slow
def _tone(seconds: float, rate: int) -> bytes:
    frames = bytearray()
    for i in range(int(seconds * rate)):
        sample = int(3000 * math.sin(2 * math.pi * 440 * i / rate))
        frames += sample.to_bytes(2, "little", signed=True)
    return bytes(frames)


class AdminClient:
    """A test client that logs in through the form and sends the CSRF token with every POST."""

    def __init__(self, client) -> None:
        self.client = client

    def csrf_token(self) -> str:
        """The session's CSRF token, read from the layout of any admin page."""
        page = self.client.get("/admin/login", follow_redirects=True)
        match = _CSRF_META.search(page.get_data(as_text=True))
        assert match, "no CSRF token on the page"
        return match.group(1)

    def login(self, email: str, password: str = PASSWORD, next_url: str | None = None):
        """Log in through POST /admin/login with the form fields `email` and `password`."""
        path = "/admin/login" + (f"?next={next_url}" if next_url else "")
        return self.post(path, {"email": email, "password": password})

    def get(self, path: str, **kwargs):
        """GET `path`; the body is read and the response closed (file downloads hold a file)."""
        response = self.client.get(path, **kwargs)
        response.get_data()
        response.close()
        return response

    def post(self, path: str, data: dict | None = None, **kwargs):
        """POST a form with this session's CSRF token."""
        return self.client.post(path, data={"csrf_token": self.csrf_token(), **(data or {})},
                                **kwargs)


_PUBLISH_ACTION = re.compile(r'action="(/admin/inhalte/\d+/vorschlaege/\d+/veroeffentlichen)"')


def publish_activity(web: AdminClient, network_id: int, title: str) -> None:
    """Press "Veröffentlichen" on the network's content page for the unpublished activity `title`."""
    page = web.get(f"/admin/inhalte/{network_id}").get_data(as_text=True)
    waiting = page.split('id="vorschlaege"')[1].split("Jetzt am Telefon zu hören")[0]
    [card] = [card for card in waiting.split('<li class="card">')[1:] if f"<strong>{title}</strong>" in card]
    action = _PUBLISH_ACTION.search(card)
    assert action, f"„{title}“ has no publish button"
    assert web.post(action.group(1)).status_code == 302
