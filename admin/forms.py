"""Flask-WTF forms of the admin (CSRF-protected); labels and messages in German."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    FieldList,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; stubs: 3.2
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from admin.access import ROLE_LABELS
from hotline import stadtteile
from hotline.models import ROLES
from hotline.services import activity_drafts, content
from hotline.services.callbacks import OUTCOME_LABELS
from hotline.services.networks import LIST_SEPARATOR
from hotline.services.prompts import TEXT_MAX
from ivr_flows.model import MAX_OPTIONS
from ivr_flows.prompts import WEEKDAYS
from ivr_flows.recurrence import Frequency
from ivr_flows.schedule import BERLIN

REQUIRED = "Bitte ausfüllen."


def _at_most(characters: int) -> Length:
    return Length(max=characters, message=f"Höchstens {characters} Zeichen.")


# Control characters (other than tab and line breaks) cannot go into the phone line's TwiML (XML)
# nor into PostgreSQL (NUL); they come from pasted text and are never meant.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


# Fields whose text the line speaks: the admin shows beside them how the voice will say it.
SPEAKABLE = {"data-speakable": ""}


def _plain_text(form: FlaskForm, field: Field) -> None:
    if field.data and _CONTROL.search(field.data):
        raise ValidationError("Der Text enthält unsichtbare Steuerzeichen (etwa aus einer Kopie). "
                              "Bitte tippen Sie ihn neu ein.")


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels."""


class LoginForm(FlaskForm):
    """E-mail and password; the field names are part of the contract (POST /admin/login)."""

    email = EmailField("E-Mail-Adresse", validators=[DataRequired(REQUIRED), Length(max=254), _plain_text],
                       render_kw={"autofocus": True, "autocomplete": "username"})
    password = PasswordField("Passwort", validators=[DataRequired(REQUIRED), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class PasswordChangeForm(FlaskForm):
    """Change one's own password."""

    current = PasswordField("Bisheriges Passwort", validators=[DataRequired(REQUIRED)])
    new = PasswordField("Neues Passwort (mindestens 10 Zeichen)",
                        validators=[DataRequired(REQUIRED), Length(max=200)])
    repeated = PasswordField("Neues Passwort wiederholen", validators=[DataRequired(REQUIRED)])


class ProfileForm(FlaskForm):
    """One's own name, phone (for calling through the hotline) and notifications."""

    display_name = StringField("Name", validators=[_at_most(120), _plain_text])
    phone = StringField("Meine Telefonnummer (für „Über die Hotline anrufen“)",
                        validators=[_at_most(40)])
    notify_new_requests = BooleanField("E-Mail an mich, wenn ein neuer Rückrufwunsch kommt")


class AttemptForm(FlaskForm):
    """How a try to call back went."""

    outcome = RadioField("Wie ist der Anruf ausgegangen?",
                         choices=[SelectChoice(v, label) for v, label in OUTCOME_LABELS.items()],
                         validators=[DataRequired("Bitte wählen Sie ein Ergebnis.")])
    note = TextAreaField("Notiz (optional)", validators=[Length(max=2000), _plain_text])
    retry_day = DateField("Nochmal versuchen am", validators=[Optional()],
                          render_kw={"aria-describedby": "retry-hint"})
    retry_time = TimeField("um", validators=[Optional()], render_kw={"aria-describedby": "retry-hint"})

    def retry_at(self) -> datetime | None:
        """The chosen retry moment (Düsseldorf time) in UTC, or None when a part is missing."""
        if self.retry_day.data is None or self.retry_time.data is None:
            return None
        return datetime.combine(self.retry_day.data, self.retry_time.data, tzinfo=BERLIN).astimezone(UTC)

    def suggest_retry(self, moment: datetime) -> None:
        """Fill in a suggested retry moment (UTC) as Düsseldorf reads it."""
        local = moment.astimezone(BERLIN)
        self.retry_day.data = local.date()
        self.retry_time.data = local.time().replace(second=0, microsecond=0, tzinfo=None)


class _CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form: FlaskForm) -> None:
        allowed = {choice.value for choice in self.choices}  # type: ignore[union-attr]  # a list of SelectChoice here
        if any(value not in allowed for value in self.data or []):
            raise ValidationError("Diese Auswahl ist für Ihr Konto nicht möglich.")


class AccountForm(FlaskForm):
    """An account as the Begleitung or an admin edits it."""

    display_name = StringField("Name", validators=[DataRequired(REQUIRED), Length(max=120), _plain_text])
    phone = StringField("Telefonnummer (optional)", validators=[Length(max=40)])
    role = SelectField("Rolle", choices=[SelectChoice(role, ROLE_LABELS[role]) for role in ROLES])
    networks = _CheckboxList("Netzwerke", coerce=int)


class NewAccountForm(AccountForm):
    """A new account; without a password one is generated and shown once."""

    email = EmailField("E-Mail-Adresse", validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField("Anfangspasswort (leer lassen: wird erzeugt und einmal angezeigt)",
                             validators=[Optional(), Length(min=10, max=200,
                                         message="Mindestens 10 Zeichen.")])


class PasswordResetForm(FlaskForm):
    """A new password for someone else; empty means generate one."""

    password = PasswordField("Neues Passwort (leer lassen: wird erzeugt und einmal angezeigt)",
                             validators=[Optional(), Length(min=10, max=200,
                                         message="Mindestens 10 Zeichen.")])


FREQUENCY_LABELS = {
    Frequency.ONCE: "einmalig",
    Frequency.WEEKLY: "jede Woche",
    Frequency.BIWEEKLY: "alle zwei Wochen",
    Frequency.MONTHLY_WEEKDAY: "jeden Monat am gleichen Wochentag (z. B. jeden ersten Dienstag)",
    Frequency.MONTHLY_DATE: "jeden Monat am gleichen Datum (z. B. jeden 15.)",
}
_DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]  # the browser's date picker, or typed the German way
_BAD_DATE = "Bitte ein Datum wählen oder so eintippen: 24.12.2026."
_BAD_TIME = "Bitte eine Uhrzeit wählen oder so eintippen: 15:00."


def _date(label: str, *validators: object) -> DateField:
    return DateField(label, validators=list(validators) or [Optional()], format=_DATE_FORMATS,
                     invalid_value_message=_BAD_DATE)  # type: ignore[call-arg]  # new in WTForms 3.3; stubs: 3.2


def _frequency_known(form: FlaskForm, field: Field) -> None:
    if field.data not in {frequency.value for frequency in Frequency}:
        raise ValidationError("Bitte wählen Sie, wie oft es stattfindet.")


def _frequency(label: str) -> RadioField:
    # validate_choice off: the check above says what is wrong in German.
    return RadioField(label, choices=[SelectChoice(f.value, text) for f, text in FREQUENCY_LABELS.items()],
                      default=Frequency.ONCE.value, validate_choice=False, validators=[_frequency_known])


def _cancelled_dates() -> FieldList:
    return FieldList(_date("Fällt aus am"), min_entries=0)


class ActivityForm(FlaskForm):
    """An activity of the phone line, once or recurring; dates and times are Düsseldorf time."""

    title = StringField("Titel (wird zuerst angesagt)", render_kw=SPEAKABLE,
                        validators=[DataRequired(REQUIRED), _at_most(content.ACTIVITY_TITLE_MAX), _plain_text])
    description = TextAreaField("Beschreibung (optional, kurz)", render_kw=SPEAKABLE,
                                validators=[_at_most(content.ACTIVITY_DESCRIPTION_MAX), _plain_text])
    day = _date("Datum (bei Wiederholung: der erste Termin)", DataRequired(_BAD_DATE))
    at = TimeField("Uhrzeit", validators=[DataRequired(_BAD_TIME)],
                   invalid_value_message=_BAD_TIME)  # type: ignore[call-arg]  # as in _date
    frequency = _frequency("Wie oft findet es statt?")
    repeat_until = _date("Letzter Termin (optional; leer lassen: ohne Ende)")
    cancelled = _cancelled_dates()
    place = StringField("Ort", render_kw=SPEAKABLE,
                        validators=[DataRequired(REQUIRED), _at_most(content.PLACE_MAX), _plain_text])
    valid_from = _date("Am Telefon ansagen ab", DataRequired(_BAD_DATE))
    valid_until = _date("Am Telefon ansagen bis (optional; danach fällt es von selbst heraus, "
                        "ebenso nach dem letzten Termin)")
    contact = StringField("Kontakt (optional; wird nach der Beschreibung angesagt, z. B. Name und Telefonnummer)",
                          render_kw=SPEAKABLE, validators=[_at_most(content.CONTACT_MAX), _plain_text])


class GiveBackForm(FlaskForm):
    """The Begleitung gives a proposal back; the note tells the volunteer what to change."""

    note = TextAreaField("Notiz für die Person, die das Angebot vorgeschlagen hat",
                         validators=[DataRequired(REQUIRED), _at_most(activity_drafts.NOTE_MAX), _plain_text])


class NewcomerForm(FlaskForm):
    """What newcomers hear; paragraphs are separated by an empty line."""

    text = TextAreaField(f"Text für neue Interessierte (höchstens {content.NEWCOMER_TEXT_MAX} Zeichen; "
                         "leer lassen für den Standardtext)", render_kw=SPEAKABLE,
                         validators=[_at_most(content.NEWCOMER_TEXT_MAX), _plain_text])
    welcome_day = _date("Begrüßungstreffen: Datum (bei Wiederholung: der erste Termin; leer lassen: kein Termin)")
    welcome_at = TimeField("Uhrzeit", validators=[Optional()],
                           invalid_value_message=_BAD_TIME)  # type: ignore[call-arg]  # as in _date
    welcome_frequency = _frequency("Wie oft findet das Begrüßungstreffen statt?")
    welcome_until = _date("Letzter Termin (optional; leer lassen: ohne Ende)")
    welcome_cancelled = _cancelled_dates()
    welcome_meeting = TextAreaField("Hinweis zum Begrüßungstreffen (optional, z. B. der Ort; wird nach dem "
                                    "Datum angesagt, ohne Termin allein)",
                                    render_kw=SPEAKABLE,
                                    validators=[_at_most(content.WELCOME_MEETING_MAX), _plain_text])

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """The fields' own checks, then: a date needs a time and a time a date."""
        valid = super().validate(extra_validators)
        if self.welcome_day.data and not self.welcome_at.data and not self.welcome_at.errors:
            self.welcome_at.errors = ["Bitte auch eine Uhrzeit wählen."]
            valid = False
        if self.welcome_at.data and not self.welcome_day.data and not self.welcome_day.errors:
            self.welcome_day.errors = ["Bitte auch ein Datum wählen, oder die Uhrzeit leeren."]
            valid = False
        return valid


class LineSettingsForm(FlaskForm):
    """Greeting and forwarding number."""

    greeting = TextAreaField("Eigene Begrüßung (optional; leer lassen für die Standardbegrüßung)",
                             render_kw=SPEAKABLE, validators=[_at_most(content.GREETING_MAX), _plain_text])
    forwarding_number = StringField("Weiterleitung „Gespräch“ an diese Nummer (Telefon der Anlaufstelle)",
                                    validators=[_at_most(40)])


class OfficeHoursForm(FlaskForm):
    """One weekly opening interval."""

    weekday = SelectField("Wochentag", coerce=int,
                          choices=[SelectChoice(index, name) for index, name in enumerate(WEEKDAYS)])
    opens = TimeField("von", validators=[DataRequired("Bitte eine Uhrzeit wählen.")])
    closes = TimeField("bis", validators=[DataRequired("Bitte eine Uhrzeit wählen.")])


class ClosureDayForm(FlaskForm):
    """A day the Anlaufstelle is closed."""

    day = DateField("Datum", validators=[DataRequired("Bitte ein Datum wählen.")])
    reason = StringField("Grund (optional)", validators=[_at_most(content.REASON_MAX), _plain_text])


class _StadtteilCheckboxes(SelectMultipleField):
    """Checkboxes of the official Stadtteile; hotline.services.networks checks what comes back."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form: FlaskForm) -> None:
        """Leave the check to the service, which names an unknown Stadtteil in German."""


class NetworkForm(FlaskForm):
    """A network as the admin enters it; list fields take one item a line."""

    name = StringField("Name (so heißt das Netzwerk in der Verwaltung)", validators=[_plain_text])
    slug = StringField("Kurzname (Kleinbuchstaben, Ziffern, Bindestriche; z. B. „bilk-nord“)",
                       validators=[_plain_text])
    stadtteile = _StadtteilCheckboxes("Stadtteile, für die das Netzwerk da ist",
                                      choices=[SelectChoice(name, name) for name in stadtteile.stadtteile()])
    address = StringField("Adresse der Anlaufstelle, wie Anrufende sie hören (z. B. „Bilker Allee 12“)",
                          render_kw=SPEAKABLE, validators=[_plain_text])
    phone_numbers = TextAreaField("Telefonnummern der Hotline für dieses Netzwerk (eine pro Zeile)",
                                  validators=[_plain_text])
    forwarding_number = StringField("Weiterleitung „Gespräch“ an diese Nummer (Telefon der Anlaufstelle, "
                                    "optional)", validators=[_plain_text])
    postal_codes = StringField("Postleitzahlen (durch Leerzeichen oder Komma getrennt)", validators=[_plain_text])
    office_hours = TextAreaField("Öffnungszeiten (eine pro Zeile, z. B. „Mo 10:00-12:00“; "
                                 "Wochentage Mo Di Mi Do Fr Sa So)", validators=[_plain_text])
    begleitung = _CheckboxList("Begleitung (Konten, die dieses Netzwerk betreuen)", coerce=int)

    def stadtteil_groups(self) -> list[tuple[int, list[Field]]]:
        """The Stadtteil checkboxes grouped by the number of their Stadtbezirk (1 to 10)."""
        groups: dict[int, list[Field]] = {}
        for option in self.stadtteile:
            groups.setdefault(stadtteile.stadtbezirk(option.data), []).append(option)
        return sorted(groups.items())

    def service_fields(self) -> dict[str, str]:
        """The fields as hotline.services.networks reads them (list items joined by `|`)."""
        join = f" {LIST_SEPARATOR} ".join
        return {
            "slug": self.slug.data or "",
            "name": self.name.data or "",
            "stadtteile": join(self.stadtteile.data or []),
            "address": self.address.data or "",
            "phone_numbers": join((self.phone_numbers.data or "").splitlines()),
            "forwarding_number": self.forwarding_number.data or "",
            "postal_codes": join(re.split(r"[\s,;]+", self.postal_codes.data or "")),
            "office_hours": join((self.office_hours.data or "").splitlines()),
        }

    def fill(self, fields: dict[str, str]) -> None:
        """Show a network's fields (as hotline.services.networks writes them) one item a line."""
        def items(name: str) -> list[str]:
            return [item.strip() for item in fields[name].split(LIST_SEPARATOR) if item.strip()]

        self.slug.data, self.name.data = fields["slug"], fields["name"]
        self.address.data, self.forwarding_number.data = fields["address"], fields["forwarding_number"]
        self.stadtteile.data = items("stadtteile")
        self.phone_numbers.data = "\n".join(items("phone_numbers"))
        self.postal_codes.data = " ".join(items("postal_codes"))
        self.office_hours.data = "\n".join(items("office_hours"))


class AddressForm(FlaskForm):
    """The Anlaufstelle's address, as callers hear it."""

    address = StringField("Adresse der Anlaufstelle, wie Anrufende sie hören (z. B. „Bilker Allee 12“)",
                          render_kw=SPEAKABLE, validators=[_plain_text])


class PromptTextForm(FlaskForm):
    """A network's own wording for one prompt; empty means the standard text."""

    text = TextAreaField("Eigener Text (leer lassen für den Standardtext)", render_kw=SPEAKABLE,
                         validators=[_at_most(TEXT_MAX), _plain_text])


class AudioForm(FlaskForm):
    """A recorded prompt: WAV or MP3, at most 5 MB and 60 seconds."""

    audio = FileField("Aufnahme (WAV oder MP3, höchstens 60 Sekunden und 5 MB)",
                      validators=[FileRequired("Bitte wählen Sie eine Datei aus.")])


class MenuFormBase(FlaskForm):
    """The main menu; `menu_form` adds three fields per standard option."""


def menu_form(label_keys: list[str], labels: dict[str, str]) -> MenuFormBase:
    """A form with, per option, "anbieten", its position and its label text."""
    fields: dict[str, Field] = {}
    positions = [SelectChoice(n, f"Taste {n}") for n in range(1, MAX_OPTIONS + 1)]
    for key in label_keys:
        fields[f"offered_{key}"] = BooleanField(f"„{labels[key]}“ anbieten")
        fields[f"position_{key}"] = SelectField("Stelle im Menü", coerce=int, choices=positions)
        fields[f"label_{key}"] = StringField("So wird es angesagt: „Für … drücken Sie die …“",
                                             validators=[_at_most(100), _plain_text])
    return type("MenuForm", (MenuFormBase,), fields)()


ALL_NETWORKS = 0  # the choice "Alle Netzwerke" of UrgentTermForm.network


class UrgentTermForm(FlaskForm):
    """A word or phrase that marks a message as urgent, for all networks (admins) or one."""

    term = StringField("Neues Wort oder neue Wendung", validators=[DataRequired(REQUIRED), _at_most(100)])
    # The service checks the choice against the account's networks and says why in German.
    network = SelectField("Gilt für", coerce=int, validate_choice=False)


class NumberForm(FlaskForm):
    """A caller's phone number for a data request (sent by POST only, never in a URL)."""

    number = StringField("Telefonnummer", validators=[DataRequired(REQUIRED), _at_most(40)])


class EraseForm(NumberForm):
    """Erasing needs an explicit confirmation."""

    confirm = BooleanField("Ja, alle angezeigten Daten zu dieser Nummer endgültig löschen.")
