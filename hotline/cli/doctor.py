"""`hotline doctor`: a preflight, one line per check (OK, WARNUNG, FEHLER), exit 1 on any FEHLER.

Each check is a small function of a `Context`, run in isolation: a check that raises becomes a
FEHLER of its own and the others still run, so a database that is down shows up once as itself
and again wherever a check needs it. Nothing here needs Flask, so the doctor also runs when the
settings are broken and the app cannot be built.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import click
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from hotline import jobs, mail
from hotline.config import ConfigError, Settings
from hotline.db import Database, utcnow
from hotline.models import PhoneNumber
from hotline.services import worker_health
from hotline.twilio.client import TwilioGateway
from hotline.twilio.errors import TWILIO_FAILURES, failure_reason
from hotline.twilio.numbers import incoming_numbers

OK, WARNING, ERROR = "OK", "WARNUNG", "FEHLER"
GIB, MIB = 1024**3, 1024**2
DISK_WARNING_BYTES = 2 * GIB
DISK_ERROR_BYTES = 200 * MIB
BACKUP_MAX_AGE_DAYS = 2
# `hotline backup`'s archives in <data_dir>/backups/.
BACKUP_NAME = re.compile(r"hotline-backup-(\d{8}-\d{6})\.tar\.gz")
NETWORK_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Finding:
    """The outcome of one check."""

    level: str
    text: str

    def line(self) -> str:
        """The finding as the doctor prints it."""
        return f"{self.level:<8} {self.text}"


@dataclass(frozen=True)
class Context:
    """What the checks look at."""

    settings: Settings
    database: Database
    twilio: TwilioGateway


Check = Callable[[Context], Finding]


def check_database(context: Context) -> Finding:
    """The database answers and is at the newest migration."""
    url = make_url(context.settings.database_url)
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        return Finding(ERROR, f"DATABASE_URL: keine Datenbankdatei unter {url.database}"
                              " (`hotline init-db` legt sie an)")
    try:
        current, head = context.database.schema_revisions()
    except SQLAlchemyError as error:
        return Finding(ERROR, f"DATABASE_URL: die Datenbank {shown} antwortet nicht ({type(error).__name__})")
    if current != head:
        return Finding(ERROR, f"Datenbank auf Stand {current or 'leer'}, dieser Code braucht {head}:"
                              " `hotline init-db` ausführen")
    return Finding(OK, f"Datenbank antwortet, Stand {current}")


def check_queue(context: Context) -> Finding:
    """The queue backend answers."""
    settings = context.settings
    where = "REDIS_URL" if settings.redis_url else f"Warteschlange {settings.queue_path}"
    try:
        waiting = jobs.queue_length(settings, timeout=NETWORK_TIMEOUT_SECONDS)
    except Exception as error:  # redis and sqlite3 fail with errors of their own
        return Finding(ERROR, f"{where}: antwortet nicht ({type(error).__name__})")
    return Finding(OK, f"{where} antwortet, {waiting} Aufträge warten")


def check_worker(context: Context) -> Finding:
    """A worker was seen recently."""
    with context.database.session_scope() as session:
        last_seen = worker_health.last_heartbeat(session)
        waiting = worker_health.waiting_work(session)
    if last_seen is None:
        return Finding(ERROR, "Worker: noch nie gesehen; läuft `hotline worker`?")
    minutes = int((utcnow() - last_seen).total_seconds() // 60)
    if worker_health.worker_gone(last_seen, utcnow()):
        return Finding(ERROR, f"Worker: zuletzt vor {minutes} Minuten gesehen; läuft `hotline worker`?")
    return Finding(OK, f"Worker: vor {minutes} Minuten gesehen; {waiting.voicemails} Nachrichten"
                       f" und {waiting.mails} E-Mails warten")


def check_speech_model(context: Context) -> Finding:
    """The speech model is installed and loads."""
    from speech.models import find_model
    from speech.recognizer import Transcriber

    path = find_model(context.settings.vosk_model_path, context.settings.data_dir)
    if path is None:
        return Finding(WARNING, "Sprachmodell: keines installiert, Nachrichten warten auf Abschrift"
                                " (`hotline speech install-model`)")
    try:
        Transcriber(path).load()
    except Exception as error:  # Vosk raises plain exceptions for a broken model
        return Finding(WARNING, f"Sprachmodell {path.name} lädt nicht ({error}); Nachrichten warten auf Abschrift")
    return Finding(OK, f"Sprachmodell {path.name} lädt")


def check_smtp(context: Context) -> Finding:
    """The SMTP server answers when one is configured."""
    settings = context.settings
    if not settings.smtp_host:
        return Finding(WARNING, "SMTP_HOST ist nicht gesetzt: E-Mails warten im Postausgang")
    try:
        mail.check_smtp(settings, timeout=NETWORK_TIMEOUT_SECONDS)
    except Exception as error:  # socket and smtplib errors alike
        return Finding(ERROR, f"SMTP_HOST: {settings.smtp_host}:{settings.smtp_port} antwortet nicht"
                              f" wie erwartet ({type(error).__name__})")
    return Finding(OK, f"SMTP-Server {settings.smtp_host}:{settings.smtp_port} antwortet")


def check_public_base_url(context: Context) -> Finding:
    """PUBLIC_BASE_URL is set and HTTPS."""
    url = context.settings.public_base_url
    if url is None:
        return Finding(WARNING, "PUBLIC_BASE_URL ist nicht gesetzt: nur lokale Testanrufe möglich")
    if urlsplit(url).scheme != "https":
        return Finding(ERROR, f"PUBLIC_BASE_URL muss mit https:// beginnen: {url}")
    return Finding(OK, f"PUBLIC_BASE_URL {url}")


def check_twilio(context: Context) -> Finding:
    """Twilio accepts the credentials and every network number is connected to this service."""
    if not context.twilio.configured:
        return Finding(WARNING, "TWILIO_ACCOUNT_SID ist nicht gesetzt: keine Anrufe über Twilio")
    try:
        account = {number.e164: number for number in incoming_numbers(context.twilio)}
    except TWILIO_FAILURES as error:
        return Finding(ERROR, f"TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN: Twilio antwortet nicht wie erwartet"
                              f" ({failure_reason(error)})")
    with context.database.session_scope() as session:
        ours = list(session.scalars(select(PhoneNumber.e164).order_by(PhoneNumber.e164)))
    base = context.settings.public_base_url
    missing = [e164 for e164 in ours if e164 not in account]
    if missing:
        return Finding(ERROR, "Twilio: nicht im Konto: " + ", ".join(missing))
    if base is None:
        return Finding(WARNING, "Twilio: Zugang gilt; ob die Nummern verbunden sind, ist ohne PUBLIC_BASE_URL"
                                " nicht prüfbar")
    unconnected = [e164 for e164 in ours
                   if not (account[e164].voice_connected(base) and account[e164].status_connected(base))]
    if unconnected:
        return Finding(ERROR, "Twilio: nicht verbunden: " + ", ".join(unconnected) + " (`hotline twilio connect`)")
    no_fallback = [e164 for e164 in ours if not account[e164].voice_fallback_url]
    if no_fallback:
        return Finding(WARNING, "Twilio: ohne Fallback-URL (englische Störungsansage): " + ", ".join(no_fallback))
    return Finding(OK, f"Twilio: Zugang gilt, {len(ours)} Nummern der Netzwerke verbunden")


def check_disk(context: Context) -> Finding:
    """Enough free disk space in the data dir."""
    free = shutil.disk_usage(context.settings.data_dir).free
    text = f"{free / GIB:.1f} GiB frei in {context.settings.data_dir}"
    if free < DISK_ERROR_BYTES:
        return Finding(ERROR, f"Speicherplatz: nur {text}")
    if free < DISK_WARNING_BYTES:
        return Finding(WARNING, f"Speicherplatz: nur {text}")
    return Finding(OK, f"Speicherplatz: {text}")


def check_backup(context: Context) -> Finding:
    """The newest backup archive is recent."""
    folder = context.settings.data_dir / "backups"
    stamps = sorted(match.group(1) for path in folder.glob("hotline-backup-*.tar.gz")
                    if (match := BACKUP_NAME.fullmatch(path.name)))
    if not stamps:
        return Finding(WARNING, f"Sicherung: keine in {folder} (`hotline backup`)")
    # The name's time is taken as UTC; an hour either way does not matter against days.
    newest = datetime.strptime(stamps[-1], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    days = (utcnow() - newest).total_seconds() / 86400
    if days > BACKUP_MAX_AGE_DAYS:
        return Finding(WARNING, f"Sicherung: die neueste ist {days:.0f} Tage alt ({folder})")
    return Finding(OK, f"Sicherung: die neueste ist von {newest:%d.%m.%Y %H:%M}")


CHECKS: tuple[tuple[str, Check], ...] = (
    ("Datenbank", check_database),
    ("Warteschlange", check_queue),
    ("Worker", check_worker),
    ("Sprachmodell", check_speech_model),
    ("SMTP", check_smtp),
    ("PUBLIC_BASE_URL", check_public_base_url),
    ("Twilio", check_twilio),
    ("Speicherplatz", check_disk),
    ("Sicherung", check_backup),
)


def diagnose(load_settings: Callable[[], Settings],
             gateway: Callable[[Settings], TwilioGateway] = TwilioGateway) -> list[Finding]:
    """Run every check; with settings that do not parse, report that alone."""
    try:
        settings = load_settings()
    except ConfigError as error:
        return [Finding(ERROR, f"Einstellungen: {error}")]
    findings = [Finding(OK, "Einstellungen gelesen")]
    database = Database(_with_connect_timeout(settings.database_url))
    context = Context(settings, database, gateway(settings))
    try:
        findings += [_isolated(label, check, context) for label, check in CHECKS]
    finally:
        database.dispose()
    return findings


def _isolated(label: str, check: Check, context: Context) -> Finding:
    """Run one check; whatever it raises becomes its FEHLER."""
    try:
        return check(context)
    except SQLAlchemyError as error:
        return Finding(ERROR, f"{label}: nicht prüfbar, die Datenbank antwortet nicht ({type(error).__name__})")
    except Exception as error:  # one broken check must not hide the others
        return Finding(ERROR, f"{label}: unerwarteter Fehler ({type(error).__name__}: {error})")


def _with_connect_timeout(database_url: str) -> str:
    # A PostgreSQL host that drops packets would otherwise hold the doctor for minutes.
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return database_url
    return url.update_query_dict({"connect_timeout": str(NETWORK_TIMEOUT_SECONDS)}).render_as_string(
        hide_password=False)


@click.command("doctor")
def doctor_command() -> None:
    """Check settings, database, queue, worker, speech, e-mail, Twilio, disk and backups."""
    findings = diagnose(Settings.from_env)
    for finding in findings:
        click.echo(finding.line())
    if any(finding.level == ERROR for finding in findings):
        raise SystemExit(1)
