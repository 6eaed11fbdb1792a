"""`hotline twilio numbers|connect`: the account's numbers, who answers them, and their webhooks."""

from __future__ import annotations

from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from hotline.config import Settings
from hotline.models import Network, PhoneNumber
from hotline.services.numbers import any_e164
from hotline.twilio.client import TwilioGateway
from hotline.twilio.errors import TWILIO_FAILURES, failure_reason
from hotline.twilio.numbers import IncomingNumber, connect_number, incoming_numbers, wanted_webhooks
from hotline.web import request_db

CITYWIDE = "Stadtweite Linie"
# How `connect` names what it changed, by Twilio's parameter name.
_CHANGED = {
    "VoiceUrl": "Sprach-URL", "VoiceMethod": "Sprach-Methode POST", "StatusCallback": "Status-Callback",
    "StatusCallbackMethod": "Status-Methode POST", "VoiceApplicationSid": "TwiML-App entfernt",
    "VoiceFallbackUrl": "Fallback-URL", "VoiceFallbackMethod": "Fallback-Methode POST",
}


@click.group("twilio", cls=AppGroup)
def twilio_group() -> None:
    """The Twilio account's phone numbers and their webhooks."""


@twilio_group.command("numbers")
def numbers_command() -> None:
    """List the account's numbers, the network answering each, and whether its webhooks are ours."""
    settings: Settings = current_app.extensions["hotline.settings"]
    numbers = _account_numbers(current_app.extensions["hotline.twilio"])
    owners = _owners()
    base = settings.public_base_url
    if base is None:
        click.echo("PUBLIC_BASE_URL ist nicht gesetzt: ob die Webhooks stimmen, ist nicht prüfbar.")
    for number in numbers:
        webhooks = _webhook_state(number, base) if base is not None else f"Sprach-URL {number.voice_url or 'leer'}"
        click.echo(f"{number.e164}\t{owners.get(number.e164, CITYWIDE)}\t{webhooks}")
    missing = sorted(set(owners) - {number.e164 for number in numbers})
    if missing:
        click.echo("In der Datenbank, aber nicht im Twilio-Konto: " + ", ".join(missing))


@twilio_group.command("connect")
@click.argument("given", nargs=-1, metavar="[NUMMER]...")
@click.option("--all", "all_numbers", is_flag=True, help="Every number of the account.")
@click.option("--fallback-url", default=None, help="URL of the TwiML Bin with the German apology.")
def connect_command(given: tuple[str, ...], all_numbers: bool, fallback_url: str | None) -> None:
    """Point the numbers' voice URL and status callback (and fallback URL) at this service."""
    settings: Settings = current_app.extensions["hotline.settings"]
    base = _https_base_url(settings)
    if fallback_url is not None and urlsplit(fallback_url).scheme != "https":
        raise click.ClickException(f"--fallback-url muss mit https:// beginnen: {fallback_url}")
    if bool(given) == all_numbers:
        raise click.UsageError("Bitte Rufnummern angeben oder --all, nicht beides.")
    wanted = [_e164(raw) for raw in given]
    twilio: TwilioGateway = current_app.extensions["hotline.twilio"]
    numbers = _account_numbers(twilio)
    if not all_numbers:
        by_e164 = {number.e164: number for number in numbers}
        unknown = [e164 for e164 in wanted if e164 not in by_e164]
        if unknown:
            raise click.ClickException("Nicht im Twilio-Konto: " + ", ".join(unknown))
        numbers = [by_e164[e164] for e164 in dict.fromkeys(wanted)]
    for number in numbers:
        changes = wanted_webhooks(number, base, fallback_url)
        if not changes:
            click.echo(f"{number.e164}: unverändert")
            continue
        try:
            connect_number(twilio, number, changes)
        except TWILIO_FAILURES as error:
            raise click.ClickException(
                f"{number.e164}: Twilio lehnt die Änderung ab ({failure_reason(error)})") from None
        click.echo(f"{number.e164}: geändert: " + ", ".join(_CHANGED[name] for name in changes))
    if fallback_url is None and any(not number.voice_fallback_url for number in numbers):
        click.echo("Hinweis: ohne Fallback-URL sagt Twilio bei einer Störung eine englische Ansage"
                   " (--fallback-url, siehe README).")


def _https_base_url(settings: Settings) -> str:
    """PUBLIC_BASE_URL, refusing to go on without it or over plain HTTP."""
    if settings.public_base_url is None:
        raise click.ClickException("PUBLIC_BASE_URL ist nicht gesetzt: Twilio braucht die öffentliche"
                                   " https-Adresse dieses Dienstes.")
    if urlsplit(settings.public_base_url).scheme != "https":
        raise click.ClickException(f"PUBLIC_BASE_URL muss mit https:// beginnen: {settings.public_base_url}")
    return settings.public_base_url


def _e164(raw: str) -> str:
    """A number given on the command line, in E.164 (German national form accepted)."""
    e164 = any_e164(raw)
    if e164 is None:
        raise click.ClickException(f"Keine gültige Rufnummer: {raw}")
    return e164


def _account_numbers(twilio: TwilioGateway) -> list[IncomingNumber]:
    """The account's numbers, or a German error naming what to fix."""
    if not twilio.configured:
        raise click.ClickException("TWILIO_ACCOUNT_SID ist nicht gesetzt.")
    try:
        return incoming_numbers(twilio)
    except TWILIO_FAILURES as error:
        raise click.ClickException(f"Twilio antwortet nicht wie erwartet ({failure_reason(error)}):"
                                   " TWILIO_ACCOUNT_SID und TWILIO_AUTH_TOKEN prüfen.") from None


def _owners() -> dict[str, str]:
    """Each number in the database with the network answering it, as the listing names it."""
    with request_db.database().session_scope() as session:
        rows = session.execute(
            select(PhoneNumber.e164, Network.name, Network.slug, Network.active).join(PhoneNumber.network)
        ).all()
    return {e164: f"{name} ({slug})" + ("" if active else f", deaktiviert: {CITYWIDE}")
            for e164, name, slug, active in rows}


def _webhook_state(number: IncomingNumber, base: str) -> str:
    """Whether the number's voice URL, status callback and fallback URL are as this service needs them."""
    voice = "ok" if number.voice_connected(base) else f"falsch ({number.voice_url or 'leer'})"
    if number.voice_application_sid:
        voice = f"falsch (TwiML-App {number.voice_application_sid})"
    status = "ok" if number.status_connected(base) else f"falsch ({number.status_callback or 'leer'})"
    if not number.voice_fallback_url:
        fallback = "fehlt"
    elif number.voice_fallback_url.startswith(base):
        fallback = "zeigt auf diesen Dienst (hilft nicht, wenn er ausfällt)"
    else:
        fallback = "gesetzt"
    connected = number.voice_connected(base) and number.status_connected(base)
    state = "verbunden" if connected else "nicht verbunden"
    return f"{state}: Sprach-URL {voice}, Status-Callback {status}, Fallback-URL {fallback}"
