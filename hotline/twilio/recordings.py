"""Recordings at Twilio: download the WAV (Basic auth, only from allowed hosts), delete, list."""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests

from hotline.twilio.client import TwilioGateway
from hotline.twilio.errors import delete_at_twilio

logger = logging.getLogger(__name__)

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
PERMANENT_STATUSES = frozenset({401, 403, 404})
MAX_REDIRECTS = 3
_CHUNK = 64 * 1024
TWILIO_API = "https://api.twilio.com"


class DownloadError(Exception):
    """The recording cannot be downloaded and retrying will not help."""


class DownloadRefused(DownloadError):
    """The URL is not one recordings may be fetched from (host not allowed or not HTTPS)."""


class TransientDownloadError(Exception):
    """The download failed for a passing reason (network, timeout, 5xx, 429): retry later."""


def recording_wav_url(url: str) -> str:
    """Twilio's RecordingUrl with `.wav` appended when its last path segment has no extension."""
    parts = urlsplit(url)
    last = parts.path.rsplit("/", 1)[-1]
    if "." in last:
        return url
    return urlunsplit(parts._replace(path=parts.path + ".wav"))


def check_url(url: str, allowed_hosts: tuple[str, ...]) -> None:
    """Raise DownloadRefused unless the host is allowed and HTTPS is used (HTTP: loopback only)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    allowed = {h.strip().lower().strip("[]") for h in allowed_hosts}
    if parts.username is not None or parts.password is not None:
        raise DownloadRefused("recording URL must not carry credentials")
    if not host or host not in allowed:
        raise DownloadRefused(f"host {host or '(none)'!r} is not in the allowed recording hosts")
    if parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK_HOSTS):
        return
    raise DownloadRefused(f"scheme {parts.scheme!r} refused for {host}: HTTPS is required")


def download_recording(
    url: str,
    dest_path: Path,
    *,
    account_sid: str,
    auth_token: str,
    allowed_hosts: tuple[str, ...],
    timeout: tuple[float, float] = (5, 60),
    session: requests.Session | None = None,
) -> Path:
    """Fetch the WAV form of a recording into dest_path atomically and return dest_path."""
    dest_path = Path(dest_path)
    url = recording_wav_url(url)
    http = session or requests.Session()
    try:
        response = _get_following_redirects(
            http, url, (account_sid, auth_token), allowed_hosts, timeout
        )
        with response:
            _raise_for_status(response, response.url)
            return _store(response, dest_path, url)
    except requests.RequestException as exc:
        logger.warning("download of %s failed: %s", _without_query(url), type(exc).__name__)
        raise TransientDownloadError(f"download of {_without_query(url)} failed: {exc}") from exc
    finally:
        if session is None:
            http.close()


def _get_following_redirects(
    http: requests.Session,
    url: str,
    auth: tuple[str, str],
    allowed_hosts: tuple[str, ...],
    timeout: tuple[float, float],
) -> requests.Response:
    """GET, following redirects by hand so every hop passes check_url before it gets credentials."""
    for _ in range(MAX_REDIRECTS + 1):
        try:
            check_url(url, allowed_hosts)
        except DownloadRefused as exc:
            logger.warning("refused recording download from %s: %s", _without_query(url), exc)
            raise
        response = http.get(url, auth=auth, stream=True, timeout=timeout, allow_redirects=False)
        if not response.is_redirect:
            return response
        location = response.headers["Location"]
        response.close()
        url = urljoin(url, location)
    raise DownloadError(f"too many redirects fetching {_without_query(url)}")


def _raise_for_status(response: requests.Response, url: str) -> None:
    """Map HTTP errors: 401/403/404 and other 4xx are permanent, 429 and 5xx transient."""
    status = response.status_code
    if status < 400:
        return
    url = _without_query(url)
    logger.warning("recording download %s answered HTTP %d", url, status)
    if status == 429 or status >= 500:
        raise TransientDownloadError(f"HTTP {status} from {url}; try again later")
    if status in PERMANENT_STATUSES:
        raise DownloadError(f"HTTP {status} from {url} (wrong credentials or recording deleted)")
    raise DownloadError(f"HTTP {status} from {url}")


def _store(response: requests.Response, dest_path: Path, url: str) -> Path:
    """Stream the body to a temp file beside dest_path, check it is a WAV with data, rename it."""
    dest_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{dest_path.name}.", suffix=".part", dir=dest_path.parent
    )
    tmp = Path(tmp_name)
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            for chunk in response.iter_content(_CHUNK):
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        _check_wav(tmp, size, _without_query(url))
        os.replace(tmp, dest_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    logger.info("downloaded recording %s (%d bytes) to %s", _without_query(url), size, dest_path)
    return dest_path


def _check_wav(path: Path, size: int, url: str) -> None:
    """Raise DownloadError unless the file starts with a RIFF/WAVE header and has content."""
    with path.open("rb") as stream:
        head = stream.read(12)
    if size <= 44 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise DownloadError(f"{url} did not return a WAV recording ({size} bytes)")


def _without_query(url: str) -> str:
    """The URL without query or fragment (redirect targets may carry signed tokens)."""
    return urlunsplit(urlsplit(url)._replace(query="", fragment=""))


@dataclass(frozen=True)
class RecordingAtTwilio:
    """A finished recording as Twilio lists it."""

    sid: str
    call_sid: str
    url: str
    duration_seconds: int | None


def finished_recordings(twilio: TwilioGateway, *, created_after: datetime,
                        created_before: datetime) -> list[RecordingAtTwilio]:
    """The account's completed recordings created in the window (several pages, no transaction)."""
    return [
        RecordingAtTwilio(sid=recording.sid, call_sid=recording.call_sid,
                          url=recording.media_url or _recording_url(recording.uri),
                          duration_seconds=_seconds(recording.duration))
        for recording in twilio.client().recordings.list(date_created_after=created_after)
        if recording.status == "completed" and recording.sid and recording.call_sid
        and recording.date_created is not None and recording.date_created < created_before
    ]


def delete_recording(twilio: TwilioGateway, recording_sid: str) -> None:
    """Delete one recording at Twilio; already gone there counts as done."""
    delete_at_twilio(twilio.client().recordings(recording_sid).delete)


def _recording_url(uri: str | None) -> str:
    """Twilio's RecordingUrl from a recording resource's uri (`/2010-04-01/.../RE….json`)."""
    return TWILIO_API + (uri or "").removesuffix(".json")


def _seconds(duration: str | None) -> int | None:
    """Twilio's duration string as whole seconds (it is -1 while a recording is processed)."""
    try:
        seconds = int(duration) if duration is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and seconds >= 0 else None
