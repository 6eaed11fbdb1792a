"""hotline.twilio.recordings against a local HTTP server playing Twilio's recordings API."""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
import requests

from hotline.twilio.recordings import (
    DownloadError,
    DownloadRefused,
    TransientDownloadError,
    check_url,
    download_recording,
    recording_wav_url,
)

from tests.speech.speech_support import write_wav

SID = "AC" + "1" * 32
TOKEN = "secret-token-123"
RECORDING = f"/2010-04-01/Accounts/{SID}/Recordings/RE{'2' * 32}"
LOCAL = ("127.0.0.1",)


class FakeTwilio(BaseHTTPRequestHandler):
    """Serves /…/Recordings/RE….wav with Basic auth; a few extra paths misbehave on purpose."""

    wav = b""
    failures_left: dict[str, int] = {}
    requests_seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        """Answer like api.twilio.com (or break, for the error-path tests)."""
        self.requests_seen.append(self.path)
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self._send(401, b'{"code": 20003, "message": "Authenticate"}')
        if self.failures_left.get(self.path, 0) > 0:
            self.failures_left[self.path] -= 1
            return self._send(500, b"oops")
        routes = {
            RECORDING + ".wav": (200, self.wav),
            "/flaky.wav": (200, self.wav),
            "/busy.wav": (429, b"slow down"),
            "/gone.wav": (404, b"not found"),
            "/forbidden.wav": (403, b"no"),
            "/bad-request.wav": (400, b"bad"),
            "/html.wav": (200, b"<html>" + b"x" * 100 + b"</html>"),
            "/empty.wav": (200, b""),
            "/header-only.wav": (200, self.wav[:44]),
        }
        if self.path == "/redirect.wav":
            return self._redirect(RECORDING + ".wav")
        if self.path == "/redirect-away.wav":
            return self._redirect("http://example.org/file.wav")
        if self.path == "/loop.wav":
            return self._redirect("/loop.wav")
        if self.path == "/cut.wav":
            self.send_response(200)
            self.send_header("Content-Length", str(len(self.wav)))
            self.end_headers()
            self.wfile.write(self.wav[: len(self.wav) // 2])
            self.close_connection = True
            return None
        return self._send(*routes.get(self.path, (404, b"not found")))

    def _send(self, status: int, body: bytes) -> None:
        """Send a complete response."""
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        """Send a 302 to location."""
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the fake Twilio running in a thread."""
    wav = write_wav(tmp_path_factory.mktemp("srv") / "r.wav", np.arange(8000, dtype=np.int16), 8000)
    FakeTwilio.wav = wav.read_bytes()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def fetch(url: str, dest: Path, **kwargs) -> Path:
    """download_recording with the fake account's credentials and the loopback host allowed."""
    options = {"account_sid": SID, "auth_token": TOKEN, "allowed_hosts": LOCAL} | kwargs
    return download_recording(url, dest, **options)


def test_recording_url_without_extension_gets_wav(server: str, tmp_path: Path) -> None:
    dest = tmp_path / "rec" / "RE2.wav"
    assert fetch(server + RECORDING, dest) == dest
    assert dest.read_bytes() == FakeTwilio.wav
    assert FakeTwilio.requests_seen[-1] == RECORDING + ".wav"
    assert [p.name for p in dest.parent.iterdir()] == ["RE2.wav"]


def test_redirect_on_an_allowed_host_is_followed(server: str, tmp_path: Path) -> None:
    assert fetch(server + "/redirect.wav", tmp_path / "r.wav").read_bytes() == FakeTwilio.wav


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
            "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1.wav",
        ),
        ("https://api.twilio.com/x/RE1.wav", "https://api.twilio.com/x/RE1.wav"),
        (
            "https://api.twilio.com/x/RE1?Download=true",
            "https://api.twilio.com/x/RE1.wav?Download=true",
        ),
    ],
)
def test_wav_extension(url: str, expected: str) -> None:
    assert recording_wav_url(url) == expected


@pytest.mark.parametrize(
    ("url", "hosts", "message"),
    [
        ("https://evil.example/RE1.wav", ("api.twilio.com",), "not in the allowed"),
        ("http://api.twilio.com/RE1.wav", ("api.twilio.com",), "HTTPS is required"),
        ("http://10.0.0.5/RE1.wav", ("10.0.0.5",), "HTTPS is required"),
        ("http://127.0.0.1:8000/RE1.wav", ("api.twilio.com",), "not in the allowed"),
        ("ftp://api.twilio.com/RE1.wav", ("api.twilio.com",), "HTTPS is required"),
        ("https://AC1:tok@api.twilio.com/RE1.wav", ("api.twilio.com",), "credentials"),
        ("/relative/RE1.wav", ("api.twilio.com",), "not in the allowed"),
    ],
)
def test_refused_urls(url: str, hosts: tuple[str, ...], message: str) -> None:
    with pytest.raises(DownloadRefused, match=message):
        check_url(url, hosts)


@pytest.mark.parametrize(
    ("url", "hosts"),
    [
        ("https://api.twilio.com/RE1.wav", ("api.twilio.com",)),
        ("https://API.Twilio.com/RE1.wav", ("api.twilio.com",)),
        ("http://127.0.0.1:5000/RE1.wav", ("127.0.0.1",)),
        ("http://[::1]:5000/RE1.wav", ("::1",)),
        ("http://localhost/RE1.wav", ("localhost",)),
    ],
)
def test_allowed_urls(url: str, hosts: tuple[str, ...]) -> None:
    check_url(url, hosts)


def test_refusal_is_logged_without_secrets(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="hotline.twilio.recordings"), pytest.raises(DownloadRefused):
        fetch("https://evil.example/RE1", tmp_path / "x.wav")
    assert "evil.example" in caplog.text
    assert TOKEN not in caplog.text
    assert not (tmp_path / "x.wav").exists()


def test_redirect_to_another_host_is_refused(server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadRefused, match="example.org"):
        fetch(server + "/redirect-away.wav", tmp_path / "x.wav")


def test_redirect_loop_is_a_permanent_error(server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="too many redirects"):
        fetch(server + "/loop.wav", tmp_path / "x.wav")


def test_wrong_credentials_are_permanent(server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="HTTP 401") as info:
        fetch(server + RECORDING, tmp_path / "x.wav", auth_token="wrong")
    assert not isinstance(info.value, TransientDownloadError)
    assert TOKEN not in str(info.value)


@pytest.mark.parametrize(("path", "status"), [("/gone.wav", 404), ("/forbidden.wav", 403), ("/bad-request.wav", 400)])
def test_client_errors_are_permanent(server: str, tmp_path: Path, path: str, status: int) -> None:
    with pytest.raises(DownloadError, match=f"HTTP {status}"):
        fetch(server + path, tmp_path / "x.wav")
    assert list(tmp_path.iterdir()) == []


def test_server_error_is_transient_and_a_retry_succeeds(server: str, tmp_path: Path) -> None:
    FakeTwilio.failures_left["/flaky.wav"] = 1
    dest = tmp_path / "x.wav"
    with pytest.raises(TransientDownloadError, match="HTTP 500"):
        fetch(server + "/flaky.wav", dest)
    assert list(tmp_path.iterdir()) == []
    assert fetch(server + "/flaky.wav", dest).read_bytes() == FakeTwilio.wav


def test_rate_limit_is_transient(server: str, tmp_path: Path) -> None:
    with pytest.raises(TransientDownloadError, match="HTTP 429"):
        fetch(server + "/busy.wav", tmp_path / "x.wav")


def test_connection_refused_is_transient(tmp_path: Path) -> None:
    with pytest.raises(TransientDownloadError):
        fetch("http://127.0.0.1:9/RE1", tmp_path / "x.wav")


def test_connection_cut_midway_is_transient_and_leaves_nothing(server: str, tmp_path: Path) -> None:
    with pytest.raises(TransientDownloadError):
        fetch(server + "/cut.wav", tmp_path / "x.wav")
    assert list(tmp_path.iterdir()) == []


def test_timeout_is_transient(tmp_path: Path) -> None:
    class TimingOut(requests.Session):
        """A session whose every request times out."""

        def get(self, *args, **kwargs):
            raise requests.Timeout("read timed out")

    with pytest.raises(TransientDownloadError, match="timed out"):
        fetch(
            "https://api.twilio.com/RE1",
            tmp_path / "x.wav",
            allowed_hosts=("api.twilio.com",),
            session=TimingOut(),
        )


@pytest.mark.parametrize("path", ["/html.wav", "/empty.wav", "/header-only.wav"])
def test_non_wav_or_empty_body_is_permanent(server: str, tmp_path: Path, path: str) -> None:
    dest = tmp_path / "x.wav"
    dest.write_bytes(b"previous content")
    with pytest.raises(DownloadError, match="did not return a WAV"):
        fetch(server + path, dest)
    assert dest.read_bytes() == b"previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["x.wav"]
