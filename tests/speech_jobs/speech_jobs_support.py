"""Fakes for the voicemail job tests: Twilio's media API over HTTP, and Twilio's REST transport."""

from __future__ import annotations

import base64
import json
import threading
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
from twilio.http import HttpClient
from twilio.http.response import Response

from tests.factories import make_call, make_callback, make_network, make_voicemail


class MediaServer:
    """A local http.server serving recordings like api.twilio.com, with Basic auth."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid = account_sid
        self.expected_auth = "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self.files: dict[str, bytes] = {}
        self.failures: dict[str, int] = {}
        self.requests: list[tuple[str, bool]] = []  # (path, credentials right?)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.media = self  # type: ignore[attr-defined]  # the handler finds its server state here
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return self.httpd.server_address[1]

    def add(self, recording_sid: str, body: bytes, *, fail_times: int = 0, host: str = "127.0.0.1") -> str:
        """Serve body as the recording's WAV; return its RecordingUrl (without extension)."""
        path = f"/2010-04-01/Accounts/{self.account_sid}/Recordings/{recording_sid}"
        self.files[path + ".wav"] = body
        self.failures[path + ".wav"] = fail_times
        return f"http://{host}:{self.port}{path}"

    def __enter__(self) -> MediaServer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


class _Handler(BaseHTTPRequestHandler):
    """401 without the account's credentials, 500 while failures are left, else the file."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        media: MediaServer = self.server.media  # type: ignore[attr-defined]  # set by MediaServer
        authorized = self.headers.get("Authorization") == media.expected_auth
        media.requests.append((self.path, authorized))
        if not authorized:
            return self._send(401, b'{"code": 20003, "message": "Authenticate"}')
        if media.failures.get(self.path, 0) > 0:
            media.failures[self.path] -= 1
            return self._send(500, b"temporarily broken")
        body = media.files.get(self.path)
        return self._send(200, body) if body is not None else self._send(404, b"not found")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base class signature
        """Keep the test output quiet."""


class FakeTwilioTransport(HttpClient):
    """Only the network transport is fake: the real twilio Client builds every request."""

    def __init__(self, recordings: list[dict[str, Any]] | None = None, delete_status: int = 204) -> None:
        super().__init__(logger=None, is_async=False)
        self.recordings = recordings or []
        self.delete_status = delete_status
        self.requests: list[dict[str, Any]] = []

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        """Answer DELETE of a recording and GET of the recordings list as Twilio does."""
        self.requests.append({"method": method, "uri": uri, "params": params, "auth": auth})
        if method == "DELETE" and "/Recordings/" in uri:
            if self.delete_status >= 400:
                return Response(self.delete_status, json.dumps(
                    {"code": 20500, "message": "Internal Server Error", "status": self.delete_status}))
            return Response(self.delete_status, "")
        if method == "GET" and uri.endswith("/Recordings.json"):
            return Response(200, json.dumps({
                "recordings": self.recordings, "next_page_uri": None, "page": 0, "page_size": 50,
                "first_page_uri": uri, "previous_page_uri": None, "start": 0, "end": len(self.recordings),
                "uri": uri,
            }))
        return Response(404, json.dumps({"code": 20404, "message": "not found", "status": 404}))

    def deletes(self) -> list[str]:
        """URIs of the DELETE requests made."""
        return [r["uri"] for r in self.requests if r["method"] == "DELETE"]


class FakeTwilioCalls(FakeTwilioTransport):
    """The speech tests' transport, answering DELETE of a call log with a status per CallSid and
    the list of a call's child calls (`<Dial>` legs) from `children`."""

    def __init__(self, statuses: dict[str, int] | None = None, children: dict[str, list[str]] | None = None) -> None:
        super().__init__()
        self.statuses = statuses or {}
        self.children = children or {}

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        """Answer GET /Calls.json?ParentCallSid=… and DELETE /Calls/CA….json as Twilio does."""
        if method == "GET" and uri.endswith("/Calls.json"):
            self.requests.append({"method": method, "uri": uri, "params": params, "auth": auth})
            calls = [{"sid": sid, "parent_call_sid": params["ParentCallSid"]}
                     for sid in self.children.get(params["ParentCallSid"], [])]
            return Response(200, json.dumps({
                "calls": calls, "next_page_uri": None, "page": 0, "page_size": 50, "first_page_uri": uri,
                "previous_page_uri": None, "start": 0, "end": len(calls), "uri": uri,
            }))
        if method != "DELETE" or "/Calls/" not in uri:
            return super().request(method, uri, params, data, headers, auth, timeout, allow_redirects)
        self.requests.append({"method": method, "uri": uri, "params": params, "auth": auth})
        status = self.statuses.get(uri.rsplit("/", 1)[-1].removesuffix(".json"), 204)
        if status >= 400:
            return Response(status, json.dumps({"code": 20000 + status, "message": "error", "status": status}))
        return Response(status, "")


def recording_json(account_sid: str, sid: str, call_sid: str, created: str, *, status: str = "completed",
                   media_url: str | None = None) -> dict[str, Any]:
    """A recording resource as Twilio's REST API lists it (dates in RFC 2822)."""
    uri = f"/2010-04-01/Accounts/{account_sid}/Recordings/{sid}.json"
    return {"account_sid": account_sid, "sid": sid, "call_sid": call_sid, "status": status,
            "date_created": created, "date_updated": created, "start_time": created,
            "duration": "7", "channels": 1, "source": "RecordVerb", "uri": uri,
            "media_url": media_url or f"https://api.twilio.com{uri.removesuffix('.json')}"}


def arrange(db_session, media, body: bytes, **voicemail_values):
    """A network, a call, its reported voicemail served by the fake Twilio, and its request."""
    network = make_network(db_session)
    call = make_call(db_session, network_id=network.id)
    voicemail = make_voicemail(db_session, call_id=call.id, network_id=network.id, **voicemail_values)
    if "source_url" not in voicemail_values:
        voicemail.source_url = media.add(voicemail.recording_sid, body)
    request = make_callback(db_session, call_id=call.id, network_id=network.id, voicemail_id=voicemail.id)
    db_session.commit()
    return voicemail.id, request.id


def reload(db_session, model, row_id):
    """The row as the database has it now."""
    db_session.expire_all()
    return db_session.get(model, row_id)


def silence_wav(tmp_path: Path, seconds: float = 3.0) -> bytes:
    """Digital silence as an 8 kHz mono WAV."""
    path = tmp_path / "silence.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(np.zeros(int(8000 * seconds), dtype="<i2").tobytes())
    return path.read_bytes()


def speech_worker_variables(model_dir: Path, settings) -> dict[str, str]:
    """Settings of a worker subprocess that transcribes with `model_dir` and fetches from the local media server."""
    return {"VOSK_MODEL_PATH": str(model_dir), "TWILIO_RECORDING_HOSTS": "127.0.0.1",
            "TWILIO_ACCOUNT_SID": settings.twilio_account_sid, "TWILIO_AUTH_TOKEN": settings.twilio_auth_token,
            "TWILIO_DELETE_RECORDINGS": "false"}
