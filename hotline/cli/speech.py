"""`hotline speech ...`: install and check the Vosk model, try it, work off and reconcile voicemails.

The speech modules that pull in numpy and the recognizer are imported inside the commands, so the
web process that registers these commands never loads them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from hotline.config import Settings
from hotline.db import utcnow
from hotline.jobs import Jobs
from hotline.models import Voicemail
from hotline.twilio.client import TwilioGateway
from hotline.web import request_db
from speech.models import KNOWN_MODELS, ModelError, find_model, install_model, model_info

logger = logging.getLogger(__name__)

STATE_NAMES = {
    "reported": "gemeldet, noch nicht geladen",
    "downloaded": "geladen, noch nicht abgeschrieben",
    "transcribed": "abgeschrieben",
    "no_model": "wartet auf das Sprachmodell",
    "failed": "fehlgeschlagen",
    "absent": "ohne verwertbare Aufnahme",
}

speech_group = AppGroup("speech", help="Sprachmodell und Abschriften der Nachrichten (Vosk, offline).")


def _settings() -> Settings:
    return current_app.extensions["hotline.settings"]


def _twilio() -> TwilioGateway:
    return current_app.extensions["hotline.twilio"]


def _jobs() -> Jobs:
    return current_app.extensions["hotline.jobs"]


@speech_group.command("install-model")
@click.argument("name", type=click.Choice(sorted(KNOWN_MODELS)), default="small-de")
@click.option("--sha256", default=None, help="Erwartete SHA-256-Prüfsumme des Archivs.")
@click.option("--from-file", "from_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Ein von Hand kopiertes Modell-Archiv (Server ohne Internet).")
def install_model_command(name: str, sha256: str | None, from_file: Path | None) -> None:
    """Download (or take --from-file), verify and install a German Vosk model."""
    settings = _settings()
    with _progress() as progress:
        try:
            path = install_model(name, settings.data_dir, sha256=sha256, from_file=from_file,
                                 progress=progress)
            info = model_info(path)
        except ModelError as error:
            raise click.ClickException(f"Modell nicht installiert: {error}") from None
    click.echo(f"Installiert: {info.name} (Sprache {info.language or '?'}, {info.sample_rate} Hz) "
               f"in {info.path}")
    if settings.vosk_model_path is not None:
        click.echo(f"Hinweis: VOSK_MODEL_PATH={settings.vosk_model_path} ist gesetzt und hat Vorrang.")
    click.echo("Laufende Worker nehmen das neue Modell bei der nächsten Nachricht.")


@contextmanager
def _progress() -> Iterator:
    """A progress callback for downloads: a bar when the size is known, else a byte count."""
    bar = None
    reported = 0

    def update(done: int, total: int | None) -> None:
        nonlocal bar, reported
        if total is not None:
            if bar is None:
                bar = click.progressbar(length=total, label="Lade Modell")
                bar.__enter__()
            bar.update(done - reported)
        elif done - reported >= 10 << 20:
            click.echo(f"  {done >> 20} MB geladen")
        else:
            return
        reported = done

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@speech_group.command("status")
def status_command() -> None:
    """Which model is in use (language, sample rate), and how far the voicemails are."""
    settings = _settings()
    path = find_model(settings.vosk_model_path, settings.data_dir)
    if path is None:
        click.echo("Sprachmodell: kein Modell installiert. Nachrichten warten im Zustand "
                   "\"wartet auf das Sprachmodell\"; installieren mit `hotline speech install-model`.")
    else:
        try:
            info = model_info(path)
        except ModelError as error:
            raise click.ClickException(f"Sprachmodell unbrauchbar: {error}") from None
        click.echo(f"Sprachmodell: {info.name}\nPfad: {info.path}\nSprache: {info.language or 'unbekannt'}"
                   f"\nAbtastrate: {info.sample_rate} Hz\nGröße: {info.size_bytes / 1e6:.0f} MB")
    with request_db.database().session_scope() as session:
        counts = {state: count for state, count in session.execute(
            select(Voicemail.state, func.count()).group_by(Voicemail.state))}
    for state, label in STATE_NAMES.items():
        if counts.get(state):
            click.echo(f"Nachrichten {label}: {counts[state]}")


@speech_group.command("transcribe")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
def transcribe_command(files: tuple[Path, ...]) -> None:
    """Transcribe WAV files with the installed model and print text and confidence."""
    from speech.audio import AudioError
    from speech.worker import shared_transcriber

    settings = _settings()
    path = find_model(settings.vosk_model_path, settings.data_dir)
    if path is None:
        raise click.ClickException("Kein Sprachmodell installiert (`hotline speech install-model`).")
    transcriber = shared_transcriber(path)
    failed = 0
    with click.progressbar(files, label="Abschrift", show_pos=True,
                           hidden=len(files) == 1, item_show_func=lambda f: f.name if f else None) as bar:
        lines = []
        for file in bar:
            try:
                result = transcriber.transcribe_file(file)
            except (AudioError, ModelError) as error:
                failed += 1
                lines.append(f"{file}: Fehler: {error}")
                continue
            confidence = "-" if result.confidence is None else f"{result.confidence:.2f}"
            lines.append(f"{file}: {result.text or '(keine Sprache erkannt)'} "
                         f"[Konfidenz {confidence}, {result.duration_seconds:.1f} s]")
    click.echo("\n".join(lines))
    if failed:
        raise click.ClickException(f"{failed} von {len(files)} Dateien nicht abgeschrieben.")


@speech_group.command("backlog")
def backlog_command() -> None:
    """Work off every pending voicemail now, in this process (download, transcribe)."""
    from hotline.twilio.recordings import TransientDownloadError
    from hotline.voicemail.pipeline import process_voicemail
    from hotline.voicemail.upkeep import pending_voicemails

    settings, database, jobs = _settings(), request_db.database(), _jobs()
    with database.session_scope() as session:
        voicemail_ids = pending_voicemails(session)
    if not voicemail_ids:
        click.echo("Keine Nachricht wartet.")
        return
    for voicemail_id in voicemail_ids:
        try:
            urgent_request_id = process_voicemail(database, settings, voicemail_id,
                                                  twilio=_twilio())
        except TransientDownloadError as error:
            click.echo(f"Nachricht {voicemail_id}: vorübergehender Fehler, später erneut: {error}")
            continue
        if urgent_request_id is not None:
            jobs.send_outbox()  # the urgent notice went into the outbox with the flag
        with database.session_scope() as session:
            voicemail = session.get(Voicemail, voicemail_id)
            assert voicemail is not None  # a pending voicemail just processed; nothing deletes it
            state = voicemail.state
        click.echo(f"Nachricht {voicemail_id}: {STATE_NAMES.get(state, state)}")


@speech_group.command("reconcile")
@click.option("--hours", type=click.IntRange(min=1), default=48, show_default=True,
              help="So weit zurück bei Twilio nachsehen.")
def reconcile_command(hours: int) -> None:
    """Ask Twilio for recordings we never heard of, store them and enqueue their processing."""
    from hotline.twilio.errors import TWILIO_FAILURES
    from hotline.voicemail.upkeep import reconcile

    settings, jobs = _settings(), _jobs()
    if not settings.twilio_account_sid:
        raise click.ClickException("TWILIO_ACCOUNT_SID ist nicht gesetzt; nichts abzugleichen.")
    try:
        found = reconcile(request_db.database(), settings, _twilio(), utcnow(), hours)
    except TWILIO_FAILURES as error:
        raise click.ClickException(f"Twilio nicht erreichbar oder Zugang falsch: {error}") from None
    for voicemail_id in found.voicemail_ids:
        jobs.process_voicemail(voicemail_id)
    if found.mails:
        jobs.send_outbox()
    click.echo(f"Abgeglichen: {len(found.voicemail_ids)} neue Aufnahmen der letzten {hours} Stunden.")
