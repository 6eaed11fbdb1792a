"""Settings: every key declared once with its default, parsed strictly, validated at start."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

logger = logging.getLogger(__name__)


class ConfigError(ValueError):
    """A setting is missing or has a value we cannot use; the message names the key."""


def parse_bool(key: str, value: str) -> bool:
    """Parse a boolean strictly: a typo like "flase" is an error, not False."""
    normalized = value.strip().lower()
    if normalized in {"1", "true", "yes", "on"}:
        return True
    if normalized in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{key}: expected true or false, got {value!r}")


def parse_positive_int(key: str, value: str) -> int:
    """Parse a whole number greater than zero."""
    try:
        number = int(value.strip())
    except ValueError:
        raise ConfigError(f"{key}: expected a whole number, got {value!r}") from None
    if number <= 0:
        raise ConfigError(f"{key}: must be greater than 0, got {number}")
    return number


def parse_database_url(key: str, value: str) -> str:
    """Check that a database URL is one SQLAlchemy understands and we support."""
    try:
        url = make_url(value.strip())
    except ArgumentError:
        raise ConfigError(f"{key}: not a database URL: {value!r}") from None
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigError(
            f"{key}: only sqlite and postgresql are supported, got {url.drivername!r}"
        )
    if url.get_backend_name() == "postgresql":
        # psycopg (3) is the driver we install; SQLAlchemy 2.0 would default to psycopg2.
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def parse_redis_url(key: str, value: str) -> str:
    """Check that a Redis URL has a scheme redis-py accepts."""
    scheme = urlsplit(value.strip()).scheme
    if scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(f"{key}: expected redis://, rediss:// or unix://, got {value!r}")
    return value.strip()


def parse_public_url(key: str, value: str) -> str:
    """Check an absolute http(s) base URL and drop a trailing slash."""
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(f"{key}: expected an absolute http(s) URL, got {value!r}")
    if parts.query or parts.fragment:
        raise ConfigError(f"{key}: must not contain a query or fragment, got {value!r}")
    return value.strip().rstrip("/")


def parse_hosts(key: str, value: str) -> tuple[str, ...]:
    """Parse a comma-separated list of host names (no schemes, no paths)."""
    hosts = tuple(host.strip().lower() for host in value.split(",") if host.strip())
    if not hosts:
        raise ConfigError(f"{key}: expected at least one host name")
    for host in hosts:
        if "/" in host or " " in host:
            raise ConfigError(f"{key}: expected host names without scheme or path, got {host!r}")
    return hosts


def parse_hour(key: str, value: str) -> int:
    """Parse an hour of the day, 0 to 24 (24 means midnight at the end of the day)."""
    try:
        hour = int(value.strip())
    except ValueError:
        raise ConfigError(f"{key}: expected an hour from 0 to 24, got {value!r}") from None
    if not 0 <= hour <= 24:
        raise ConfigError(f"{key}: expected an hour from 0 to 24, got {hour}")
    return hour


def parse_port(key: str, value: str) -> int:
    """Parse a TCP port number."""
    port = parse_positive_int(key, value)
    if port > 65535:
        raise ConfigError(f"{key}: expected a port from 1 to 65535, got {port}")
    return port


def _text(key: str, value: str) -> str:
    return value.strip()


@dataclass(frozen=True)
class _Key:
    parse: Callable[[str, str], object]
    default: str | None = None


# Every environment variable the service reads, with its parser and default. Nothing else is read.
KEYS: dict[str, _Key] = {
    "TWILIO_ACCOUNT_SID": _Key(_text, ""),
    "TWILIO_AUTH_TOKEN": _Key(_text),
    "PUBLIC_BASE_URL": _Key(parse_public_url),
    "DATABASE_URL": _Key(parse_database_url),
    "REDIS_URL": _Key(parse_redis_url),
    "HOTLINE_DATA_DIR": _Key(_text, "instance"),
    "VOSK_MODEL_PATH": _Key(_text),
    "TWILIO_RECORDING_HOSTS": _Key(parse_hosts, "api.twilio.com"),
    "SECRET_KEY": _Key(_text),
    "HOTLINE_VOICE": _Key(_text, "Polly.Vicki-Neural"),
    "CLAIM_TIMEOUT_MINUTES": _Key(parse_positive_int, "60"),
    "HOTLINE_WORKER_THREADS": _Key(parse_positive_int, "2"),
    "MAX_CALLBACK_ATTEMPTS": _Key(parse_positive_int, "3"),
    "CALLBACK_HOURS_FROM": _Key(parse_hour, "9"),
    "CALLBACK_HOURS_UNTIL": _Key(parse_hour, "19"),
    "CALLBACK_QUIET_SUNDAYS": _Key(parse_bool, "true"),
    "CALLBACK_QUIET_HOLIDAYS": _Key(parse_bool, "true"),
    "SMTP_HOST": _Key(_text, ""),
    "SMTP_PORT": _Key(parse_port, "587"),
    "SMTP_FROM": _Key(_text, ""),
    "SMTP_USER": _Key(_text, ""),
    "SMTP_PASSWORD": _Key(_text, ""),
    "SMTP_STARTTLS": _Key(parse_bool, "true"),
    "TWILIO_DELETE_RECORDINGS": _Key(parse_bool, "true"),
    "SPEECH_STUCK_MINUTES": _Key(parse_positive_int, "30"),
    "RETENTION_AUDIO_DAYS": _Key(parse_positive_int, "14"),
    "RETENTION_TRANSCRIPT_DAYS": _Key(parse_positive_int, "30"),
    "RETENTION_NUMBER_DAYS": _Key(parse_positive_int, "30"),
    "RETENTION_CALL_LOG_DAYS": _Key(parse_positive_int, "180"),
    "RETENTION_TWILIO_CALL_LOG_DAYS": _Key(parse_positive_int, "7"),
}


@dataclass(frozen=True)
class Settings:
    """The validated configuration of one process."""

    data_dir: Path
    database_url: str
    twilio_account_sid: str
    twilio_auth_token: str
    secret_key: str
    public_base_url: str | None = None
    redis_url: str | None = None
    vosk_model_path: Path | None = None
    twilio_recording_hosts: tuple[str, ...] = ("api.twilio.com",)
    voice: str = "Polly.Vicki-Neural"
    claim_timeout_minutes: int = 60
    worker_threads: int = 2
    max_callback_attempts: int = 3
    callback_hours: tuple[int, int] = (9, 19)
    callback_quiet_sundays: bool = True
    callback_quiet_holidays: bool = True
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_from: str = ""
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    twilio_delete_recordings: bool = True
    speech_stuck_minutes: int = 30
    # Days kept after the callback is done (audio, transcript, numbers) or after the call (call log).
    retention_audio_days: int = 14
    retention_transcript_days: int = 30
    retention_number_days: int = 30
    retention_call_log_days: int = 180
    # Days after the call's end until Twilio's copy of the call log is deleted. Twilio (a processor
    # in the US) needs none of it once the call is over; a week leaves time to look into a failed
    # call reported after a weekend or a long holiday in Twilio's console.
    retention_twilio_call_log_days: int = 7
    testing: bool = False
    queue_name: str = "hotline"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, read_dotenv: bool = True,
                 testing: bool = False) -> Settings:
        """Build settings from the environment (and `.env` in the working directory).

        Real environment variables win over `.env`. Missing secrets are created in the data
        directory so that a fresh checkout runs, and local test calls are signed, too.
        """
        values = _collect(environ if environ is not None else os.environ, read_dotenv)
        parsed: dict[str, object] = {}
        errors = []
        for key, spec in KEYS.items():
            raw = values.get(key)
            if raw is None or raw.strip() == "":
                parsed[key] = spec.parse(key, spec.default) if spec.default is not None else None
                continue
            try:
                parsed[key] = spec.parse(key, raw)
            except ConfigError as error:
                errors.append(str(error))
        hours = (parsed["CALLBACK_HOURS_FROM"], parsed["CALLBACK_HOURS_UNTIL"])
        if not errors and hours[0] >= hours[1]:  # type: ignore[operator]
            errors.append("CALLBACK_HOURS_FROM: must be earlier than CALLBACK_HOURS_UNTIL")
        if not errors and parsed["SMTP_HOST"] and not parsed["SMTP_FROM"]:
            errors.append("SMTP_FROM: required when SMTP_HOST is set")
        if not errors and parsed["RETENTION_TWILIO_CALL_LOG_DAYS"] > parsed["RETENTION_CALL_LOG_DAYS"]:  # type: ignore[operator]
            # Once our row is gone we no longer know the CallSid to delete at Twilio.
            errors.append("RETENTION_TWILIO_CALL_LOG_DAYS: must not be longer than RETENTION_CALL_LOG_DAYS")
        if errors:
            raise ConfigError("Invalid configuration:\n  " + "\n  ".join(errors))

        data_dir = Path(str(parsed["HOTLINE_DATA_DIR"])).expanduser().resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        database_url = parsed["DATABASE_URL"] or f"sqlite:///{data_dir / 'hotline.sqlite3'}"
        model_path = parsed["VOSK_MODEL_PATH"]
        return cls(
            data_dir=data_dir,
            database_url=str(database_url),
            twilio_account_sid=str(parsed["TWILIO_ACCOUNT_SID"]),
            twilio_auth_token=str(
                parsed["TWILIO_AUTH_TOKEN"] or _local_secret(data_dir, "twilio-auth-token")
            ),
            secret_key=str(parsed["SECRET_KEY"] or _local_secret(data_dir, "secret-key")),
            public_base_url=parsed["PUBLIC_BASE_URL"],  # type: ignore[arg-type]
            redis_url=parsed["REDIS_URL"],  # type: ignore[arg-type]
            vosk_model_path=Path(str(model_path)).expanduser() if model_path else None,
            twilio_recording_hosts=parsed["TWILIO_RECORDING_HOSTS"],  # type: ignore[arg-type]
            voice=str(parsed["HOTLINE_VOICE"]),
            claim_timeout_minutes=int(parsed["CLAIM_TIMEOUT_MINUTES"]),  # type: ignore[arg-type]
            worker_threads=int(parsed["HOTLINE_WORKER_THREADS"]),  # type: ignore[arg-type]
            max_callback_attempts=int(parsed["MAX_CALLBACK_ATTEMPTS"]),  # type: ignore[arg-type]
            callback_hours=(
                int(parsed["CALLBACK_HOURS_FROM"]),  # type: ignore[arg-type]
                int(parsed["CALLBACK_HOURS_UNTIL"]),  # type: ignore[arg-type]
            ),
            callback_quiet_sundays=bool(parsed["CALLBACK_QUIET_SUNDAYS"]),
            callback_quiet_holidays=bool(parsed["CALLBACK_QUIET_HOLIDAYS"]),
            smtp_host=str(parsed["SMTP_HOST"]),
            smtp_port=int(parsed["SMTP_PORT"]),  # type: ignore[arg-type]
            smtp_from=str(parsed["SMTP_FROM"]),
            smtp_user=str(parsed["SMTP_USER"]),
            smtp_password=str(parsed["SMTP_PASSWORD"]),
            smtp_starttls=bool(parsed["SMTP_STARTTLS"]),
            twilio_delete_recordings=bool(parsed["TWILIO_DELETE_RECORDINGS"]),
            speech_stuck_minutes=int(parsed["SPEECH_STUCK_MINUTES"]),  # type: ignore[arg-type]
            retention_audio_days=int(parsed["RETENTION_AUDIO_DAYS"]),  # type: ignore[arg-type]
            retention_transcript_days=int(parsed["RETENTION_TRANSCRIPT_DAYS"]),  # type: ignore[arg-type]
            retention_number_days=int(parsed["RETENTION_NUMBER_DAYS"]),  # type: ignore[arg-type]
            retention_call_log_days=int(parsed["RETENTION_CALL_LOG_DAYS"]),  # type: ignore[arg-type]
            retention_twilio_call_log_days=int(parsed["RETENTION_TWILIO_CALL_LOG_DAYS"]),  # type: ignore[arg-type]
            testing=testing,
        )

    @property
    def queue_path(self) -> Path:
        """Where the embedded job queue keeps its SQLite file."""
        return self.data_dir / "queue.sqlite3"


def _collect(environ: Mapping[str, str], read_dotenv: bool) -> dict[str, str]:
    values: dict[str, str] = {}
    if read_dotenv:
        from dotenv import dotenv_values

        values.update({k: v for k, v in dotenv_values(".env").items() if v is not None})
    values.update({key: environ[key] for key in KEYS if key in environ})
    return values


def _local_secret(data_dir: Path, name: str) -> str:
    """Read a random secret kept in the data dir, creating it (mode 0600) on first use."""
    path = data_dir / name
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    secret = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another process created it first (web and worker start together): use theirs.
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(secret)
    logger.warning("%s was not set; created a local one in the data directory", name)
    return secret
