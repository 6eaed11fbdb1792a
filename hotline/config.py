"""Settings: every key declared once with its default, parsed strictly, validated at start."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
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


def parse_count(key: str, value: str) -> int:
    """Parse a whole number, zero or more."""
    try:
        number = int(value.strip())
    except ValueError:
        raise ConfigError(f"{key}: expected a whole number, got {value!r}") from None
    if number < 0:
        raise ConfigError(f"{key}: must not be negative, got {number}")
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


def parse_text(key: str, value: str) -> str:
    """Take a text value as given, without surrounding blanks."""
    return value.strip()


def parse_path(key: str, value: str) -> Path:
    """Take a file system path; `~` means the home directory."""
    return Path(value.strip()).expanduser()


@dataclass(frozen=True)
class Key:
    """One environment variable: the Settings field it fills, its parser, default and meaning.

    Keys naming the same field fill it together, as a tuple in the order they are declared.
    """

    env: str
    field: str
    parse: Callable[[str, str], object]
    meaning: str
    # The text parsed when the variable is unset or empty; None leaves the field None.
    default: str | None = None
    # What the README says the default is, when the default text alone would not tell.
    shown_default: str | None = None

    def read(self, raw: str | None) -> object:
        """Parse the raw value, or the default when it is unset or empty."""
        if raw is None or raw.strip() == "":
            return None if self.default is None else self.parse(self.env, self.default)
        return self.parse(self.env, raw)

    @property
    def readme_default(self) -> str:
        """The default as the README's table shows it."""
        if self.shown_default is not None:
            return self.shown_default
        return f"`{self.default}`" if self.default else "empty"


# The random secrets created in the data dir when their variable is unset (a backup keeps them).
LOCAL_AUTH_TOKEN_FILE = "twilio-auth-token"  # noqa: S105 - a file name, not a secret
LOCAL_SECRET_KEY_FILE = "secret-key"  # noqa: S105 - a file name, not a secret
LOCAL_SECRET_FILES = (LOCAL_AUTH_TOKEN_FILE, LOCAL_SECRET_KEY_FILE)

# Every environment variable the service reads, in the README's order. Nothing else is read.
KEYS: tuple[Key, ...] = (
    Key("TWILIO_ACCOUNT_SID", "twilio_account_sid", parse_text,
        "Twilio account, for REST calls and recording downloads", default=""),
    Key("TWILIO_AUTH_TOKEN", "twilio_auth_token", parse_text,
        "verifies `X-Twilio-Signature`; without it a random local token is created so local test calls are"
        " signed too", default="", shown_default="created in the data dir"),
    Key("PUBLIC_BASE_URL", "public_base_url", parse_public_url,
        "the URL Twilio uses (e.g. `https://hotline.example.org`), needed for signature checks behind a proxy;"
        " without it only loopback hosts are served and `hotline serve` listens on loopback only",
        shown_default="none"),
    Key("TRUSTED_PROXIES", "trusted_proxies", parse_count,
        "how many reverse proxies stand in front of the web; their `X-Forwarded-For` and"
        " `X-Forwarded-Proto` are believed (login throttling needs the visitor's own address)", default="0"),
    Key("DATABASE_URL", "database_url", parse_database_url,
        "`postgresql://user@host/db` for scale-out", shown_default="SQLite in the data dir"),
    Key("REDIS_URL", "redis_url", parse_redis_url,
        "when set, jobs go through Redis instead of the embedded SQLite queue", shown_default="none"),
    Key("HOTLINE_DATA_DIR", "data_dir", parse_path,
        "database, queue, recordings, speech models, local secrets", default="./instance"),
    Key("VOSK_MODEL_PATH", "vosk_model_path", parse_path,
        "an unpacked Vosk model to use instead", shown_default="model in the data dir"),
    Key("TWILIO_RECORDING_HOSTS", "twilio_recording_hosts", parse_hosts,
        "comma-separated hosts recordings may be downloaded from", default="api.twilio.com"),
    Key("SECRET_KEY", "secret_key", parse_text,
        "signs admin sessions; set it when several machines serve the admin",
        default="", shown_default="created in the data dir"),
    Key("HOTLINE_VOICE", "voice", parse_text, "German Twilio voice", default="Polly.Vicki-Neural"),
    Key("CLAIM_TIMEOUT_MINUTES", "claim_timeout_minutes", parse_positive_int,
        "a claimed callback returns to the queue after this time (after its planned retry, if any)",
        default="60"),
    Key("HOTLINE_WORKER_THREADS", "worker_threads", parse_positive_int,
        "threads of one `hotline worker` process", default="2"),
    Key("TWILIO_DELETE_RECORDINGS", "twilio_delete_recordings", parse_bool,
        "delete a recording at Twilio once our copy is downloaded and verified", default="true"),
    Key("SPEECH_STUCK_MINUTES", "speech_stuck_minutes", parse_positive_int,
        "the sweeper restarts a voicemail that has not moved for this long", default="30"),
    Key("MAX_CALLBACK_ATTEMPTS", "max_callback_attempts", parse_positive_int,
        "failed attempts after which a callback is flagged for the Begleitung", default="3"),
    Key("CALLBACK_HOURS_FROM", "callback_hours", parse_hour,
        "volunteers are asked not to call back before this hour", default="9"),
    Key("CALLBACK_HOURS_UNTIL", "callback_hours", parse_hour,
        "nor from this hour on (24 is midnight); later than `CALLBACK_HOURS_FROM`", default="19"),
    Key("CALLBACK_QUIET_SUNDAYS", "callback_quiet_sundays", parse_bool,
        "no callbacks on Sundays", default="true"),
    Key("CALLBACK_QUIET_HOLIDAYS", "callback_quiet_holidays", parse_bool,
        "no callbacks on NRW public holidays", default="true"),
    Key("SMTP_HOST", "smtp_host", parse_text,
        "SMTP server for e-mail about new and urgent requests (kept in the outbox, unsent, while empty)",
        default=""),
    Key("SMTP_PORT", "smtp_port", parse_port, "port of the SMTP server", default="587"),
    Key("SMTP_FROM", "smtp_from", parse_text,
        "sender address of that e-mail; required when `SMTP_HOST` is set", default=""),
    Key("SMTP_USER", "smtp_user", parse_text, "SMTP login (no login when empty)", default=""),
    Key("SMTP_PASSWORD", "smtp_password", parse_text, "password of the SMTP login", default=""),
    Key("SMTP_STARTTLS", "smtp_starttls", parse_bool,
        "switch the SMTP connection to TLS (STARTTLS) before the login", default="true"),
    Key("RETENTION_AUDIO_DAYS", "retention_audio_days", parse_positive_int,
        "recordings are deleted this many days after the callback is done", default="14"),
    Key("RETENTION_TRANSCRIPT_DAYS", "retention_transcript_days", parse_positive_int,
        "transcripts likewise", default="30"),
    Key("RETENTION_NUMBER_DAYS", "retention_number_days", parse_positive_int,
        "caller numbers likewise (calls without an open request: after the call)", default="30"),
    Key("RETENTION_CALL_LOG_DAYS", "retention_call_log_days", parse_positive_int,
        "calls leave the call log (menu paths, times)", default="180"),
    Key("RETENTION_TWILIO_CALL_LOG_DAYS", "retention_twilio_call_log_days", parse_positive_int,
        "Twilio's copy of a call log (numbers, times) is deleted at Twilio this many days after the call;"
        " at most `RETENTION_CALL_LOG_DAYS`", default="7"),
)


@dataclass(frozen=True)
class Settings:
    """The validated configuration of one process."""

    data_dir: Path
    database_url: str
    twilio_account_sid: str
    twilio_auth_token: str
    secret_key: str
    public_base_url: str | None = None
    trusted_proxies: int = 0
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
        parts: dict[str, list[object]] = {}
        errors = []
        for key in KEYS:
            try:
                parts.setdefault(key.field, []).append(key.read(values.get(key.env)))
            except ConfigError as error:
                errors.append(str(error))
        _raise_if(errors)
        # Any: the declaration mixes value types; tests/test_config.py checks each field gets its own.
        fields: dict[str, Any] = {
            field: found[0] if len(found) == 1 else tuple(found) for field, found in parts.items()
        }
        data_dir = fields["data_dir"].resolve()
        fields["data_dir"] = data_dir
        fields["database_url"] = fields["database_url"] or f"sqlite:///{data_dir / 'hotline.sqlite3'}"
        settings = cls(**fields, testing=testing)
        _raise_if(_conflicts(settings))

        data_dir.mkdir(parents=True, exist_ok=True)
        return replace(
            settings,
            twilio_auth_token=settings.twilio_auth_token or _local_secret(data_dir, LOCAL_AUTH_TOKEN_FILE),
            secret_key=settings.secret_key or _local_secret(data_dir, LOCAL_SECRET_KEY_FILE),
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
    values.update({key.env: environ[key.env] for key in KEYS if key.env in environ})
    return values


def _conflicts(settings: Settings) -> list[str]:
    """Errors in how values fit together, each naming the key to change."""
    errors = []
    if settings.callback_hours[0] >= settings.callback_hours[1]:
        errors.append("CALLBACK_HOURS_FROM: must be earlier than CALLBACK_HOURS_UNTIL")
    if settings.smtp_host and not settings.smtp_from:
        errors.append("SMTP_FROM: required when SMTP_HOST is set")
    if settings.retention_twilio_call_log_days > settings.retention_call_log_days:
        # Once our row is gone we no longer know the CallSid to delete at Twilio.
        errors.append("RETENTION_TWILIO_CALL_LOG_DAYS: must not be longer than RETENTION_CALL_LOG_DAYS")
    return errors


def _raise_if(errors: list[str]) -> None:
    if errors:
        raise ConfigError("Invalid configuration:\n  " + "\n  ".join(errors))


def configuration_table() -> str:
    """The README's table of environment variables, as Markdown, from `KEYS`."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    rows += [f"| `{key.env}` | {key.readme_default} | {key.meaning} |" for key in KEYS]
    return "\n".join(rows) + "\n"


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


if __name__ == "__main__":
    # `python -m hotline.config` prints the table that goes into the README.
    print(configuration_table(), end="")
