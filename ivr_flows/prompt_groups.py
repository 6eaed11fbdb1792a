"""The prompts in the order a call plays them, when each plays, and what each placeholder means.

Pure data for the admin's "Ansagen" page, kept beside ivr_flows/prompts.py: every key of PROMPTS
belongs to exactly one group (tests/ivr_flows/test_prompt_groups.py names any that does not).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class PromptGroup:
    """One part of a call: its prompts in the order the call plays them, each with when it plays."""

    title: str
    plays: Mapping[str, str]  # prompt key -> when it plays: one short German sentence
    note: str = ""  # one sentence under the title, where the group needs it


# What the city-wide line speaks before a network's line takes over; a network cannot change these.
CITY_LINE_PROMPTS = PromptGroup("Stadtweite Nummer", MappingProxyType({
    "greeting_city": "Zu Beginn jedes Anrufs bei der stadtweiten Nummer.",
    "city_code": "Direkt nach der Begrüßung.",
    "city_no_code": "Nach der Frage nach der Postleitzahl.",
    "city_neither": "Nach der Frage nach dem Stadtbezirk.",
    "city_unknown_code": "Nach einer Postleitzahl, zu der keine Anlaufstelle eingetragen ist.",
    "city_unknown_stadtbezirk": "Nach einem Stadtbezirk, in dem keine Anlaufstelle eingetragen ist.",
    "city_choose_postal": "Wenn mehrere Anlaufstellen für die Postleitzahl da sind.",
    "city_choose_stadtbezirk": "Wenn im Stadtbezirk mehrere Anlaufstellen sind.",
    "list_and": "Zwischen den letzten beiden Stadtteilen einer Aufzählung.",
    "city_more": "Als letzter Menüpunkt, wenn mehr als vier Stadtteile zur Wahl stehen.",
    "city_back": "Am Ende der Wahl des Stadtteils.",
    "city_routed": "Sobald die Anlaufstelle gefunden ist, vor ihrem Hauptmenü.",
}), note=("Das hört, wer die stadtweite Nummer anruft, bevor der Anruf bei einer Anlaufstelle ankommt. "
          "Diese Sätze gelten für die ganze Stadt und lassen sich hier nicht ändern."))

# The admin shows the prompts in this order, so that a Begleitung can follow a call through them.
# A new prompt needs an entry here, in the group where the call plays it, saying when in one sentence.
PROMPT_GROUPS: tuple[PromptGroup, ...] = (
    PromptGroup("Begrüßung", MappingProxyType({
        "greeting": "Zu Beginn jedes Anrufs, wenn die Anlaufstelle keine eigene Begrüßung eingetragen hat.",
        "greeting_named": "Vor einer eigenen Begrüßung, die den Namen der Anlaufstelle nicht nennt.",
        "greeting_zero": "Direkt nach der Begrüßung.",
    })),
    PromptGroup("Hauptmenü", MappingProxyType({
        "menu_option": "Für jeden Menüpunkt einmal, mit seinem Namen und seiner Taste.",
        "label_activities": "Als Name des Menüpunkts, der zu den Angeboten führt.",
        "label_newcomers": "Als Name des Menüpunkts, der zu den Informationen zum Mitmachen führt.",
        "label_message": "Als Name des Menüpunkts, der zur Nachricht führt.",
        "label_talk": "Als Name des Menüpunkts, der zum Gespräch führt.",
        "menu_repeat": "Am Ende jedes Menüs.",
        "menu_back": "Am Ende der Angebote, der Informationen zum Mitmachen und jedes Untermenüs.",
    }), note="Welche Menüpunkte es gibt und in welcher Reihenfolge, stellen Sie unter „Menü“ ein."),
    PromptGroup("Angebote und Treffen", MappingProxyType({
        "activities_intro": "Wenn jemand die Angebote wählt, vor dem ersten Angebot.",
        "activities_none": "Wenn jemand die Angebote wählt, aber keins eingetragen ist; danach kommt das Hauptmenü.",
        "activity": "Für jedes Angebot ohne eigene Aufnahme, vor seiner Beschreibung.",
        "activity_cancelled": "Statt des Angebots, wenn sein nächster Termin ausfällt, bis zum Ende dieses Tages.",
        "activity_cancelled_next": "Direkt danach, wenn das Angebot später wieder stattfindet.",
        "activity_contact": "Nach der Beschreibung, wenn beim Angebot ein Kontakt eingetragen ist.",
        "date": "Wo die Hotline das Datum eines Angebots nennt.",
        "time_hour": "Wo die Hotline eine volle Uhrzeit nennt, auch bei den Öffnungszeiten.",
        "time_minutes": "Wo die Hotline eine Uhrzeit mit Minuten nennt, auch bei den Öffnungszeiten.",
        "activity_updated": "Nach einem Angebot, das vor mehr als einer Woche eingetragen wurde.",
        "date_short": "Im Satz „Diese Angabe ist vom …“, für das Datum ohne Wochentag.",
        "activity_last": "Nach dem letzten Angebot.",
        "activity_next": "Nach jedem Angebot außer dem letzten.",
        "activity_restart": "Nach dem letzten Angebot, statt „Für das nächste Angebot …“.",
        "activity_repeat": "Nach jedem Angebot.",
        "activity_callback": "Nach jedem Angebot, als letzte Möglichkeit.",
    })),
    PromptGroup("Informationen zum Mitmachen", MappingProxyType({
        "newcomers_intro": "Wenn jemand die Informationen zum Mitmachen wählt.",
        "newcomers_default": "Danach, wenn die Anlaufstelle unter „Neu hier“ keinen eigenen Text eingetragen hat.",
        "newcomers_meeting_cancelled": "Danach, wenn das nächste Treffen für neue Interessierte ausfällt.",
        "newcomers_meeting_date": "Danach, wenn das Treffen für neue Interessierte ein Datum hat; dann der Hinweis.",
        "newcomers_meeting": "Statt des Satzes davor, wenn kein Datum kommt, aber ein Hinweis eingetragen ist.",
        "newcomers_where": "Nach dem Text der Anlaufstelle, wenn ihre Adresse eingetragen ist.",
        "info_more": "Vor den Möglichkeiten, wenn der Text der Anlaufstelle länger ist als etwa 70 Wörter.",
        "info_offer": "Am Ende der Informationen zum Mitmachen.",
    })),
    PromptGroup("Nachricht", MappingProxyType({
        "consent": "Bevor eine Nachricht aufgenommen wird, als Erstes.",
        "consent_yes": "Direkt nach dem Hinweis zur Aufnahme.",
        "consent_no": "Nach „Einverstanden?“, als zweite Möglichkeit.",
        "record_start": "Nachdem jemand der Aufnahme zugestimmt hat, direkt vor dem Ton.",
        "record_thanks": "Nach der Aufnahme, wenn jemand etwas gesagt hat und noch in der Leitung ist.",
        "record_empty": "Nach der Aufnahme, wenn nichts zu hören war.",
        "consent_declined": "Nach dreimal keiner oder falscher Taste beim Einverständnis; danach kommt der Rückruf.",
    })),
    PromptGroup("Gespräch mit der Anlaufstelle", MappingProxyType({
        "forward": "Wenn jemand während der Öffnungszeiten ein Gespräch wählt, vor dem Verbinden.",
        "forward_no_answer": "Wenn beim Verbinden niemand abnimmt; danach kommt die Nachricht.",
        "forward_unavailable": "Wenn zur Öffnungszeit keine Nummer zum Weiterleiten da ist; dann kommt die Nachricht.",
        "closed": "Wenn jemand außerhalb der Öffnungszeiten ein Gespräch wählt; danach kommt die Nachricht.",
        "closed_today": "Statt des Satzes davor an einem Schließtag oder Feiertag, mit dem Grund.",
        "open_next_today": "Danach, wenn die Anlaufstelle heute noch besetzt sein wird.",
        "open_next_tomorrow": "Danach, wenn die Anlaufstelle morgen wieder besetzt ist.",
        "open_next": "Danach, wenn die Anlaufstelle erst an einem späteren Tag wieder besetzt ist.",
        "hours_intro": "Danach, wenn Öffnungszeiten eingetragen sind.",
        "hours_day": "Für jeden Wochentag mit Öffnungszeiten.",
        "hours_range": "Für jede Zeitspanne eines Tages.",
        "hours_joiner": "Zwischen zwei Zeitspannen desselben Tages.",
    })),
    PromptGroup("Rückruf", MappingProxyType({
        "callback_intro": "Wenn jemand einen Rückruf wünscht, zum Beispiel mit der 0.",
        "callback_intro_activity": "Statt des Satzes davor, wenn jemand bei einem Angebot einen Rückruf wünscht.",
        "number_known": "Nach Nachricht oder Rückrufwunsch, wenn die Nummer der anrufenden Person übertragen wurde.",
        "number_known_yes": "Direkt nach den letzten Ziffern der Nummer.",
        "number_other": "Nach „Wenn wir Sie unter dieser Nummer …“, als zweite Möglichkeit.",
        "number_enter": "Wenn keine Nummer übertragen wurde oder jemand eine andere Nummer angeben möchte.",
        "number_invalid": "Wenn die eingetippte Nummer zu kurz ist oder nicht mit 0 beginnt.",
        "number_readback": "Nachdem jemand eine Nummer eingetippt hat.",
        "number_correct": "Direkt nach der vorgelesenen Nummer.",
        "number_reenter": "Nach „Wenn die Nummer stimmt …“, als zweite Möglichkeit.",
        "when_question": "Nachdem der Rückruf eingetragen ist: die Frage nach der passenden Tageszeit.",
        "when_morning": "Direkt nach der Frage, als erste Möglichkeit.",
        "when_afternoon": "Direkt danach, als zweite Möglichkeit.",
        "when_any": "Direkt danach, als dritte Möglichkeit.",
        "when_morning_label": "In der Rückrufliste, wenn jemand vormittags gewählt hat.",
        "when_afternoon_label": "In der Rückrufliste, wenn jemand nachmittags gewählt hat.",
        "when_any_label": "In der Rückrufliste, wenn jemand „egal wann“ gewählt hat.",
    })),
    PromptGroup("Verabschiedung", MappingProxyType({
        "goodbye_callback": "Am Ende, wenn ein Rückruf mit Telefonnummer eingetragen ist.",
        "callback_when": "Direkt danach: an welchen Tagen und zu welchen Zeiten wir zurückrufen.",
        "callback_days_all": "Im Satz davor, wenn an allen Tagen zurückgerufen wird.",
        "callback_days_no_holidays": "Im Satz davor, wenn an allen Tagen außer Feiertagen zurückgerufen wird.",
        "callback_days_weekdays": "Im Satz davor, wenn sonntags nicht zurückgerufen wird.",
        "callback_days_weekdays_no_holidays":
            "Im Satz davor, wenn sonntags und an Feiertagen nicht zurückgerufen wird.",
        "callback_from": "Danach: die Nummer, von der wir anrufen.",
        "goodbye_bye": "Als letzter Satz nach dem Rückruf-Hinweis.",
        "goodbye_no_number": "Am Ende, wenn eine Nachricht aufgenommen, aber keine Nummer bekannt ist.",
        "goodbye_no_contact": "Am Ende, wenn weder eine Nachricht noch eine Nummer da ist.",
        "goodbye_talked": "Am Ende eines Gesprächs, zu dem die Hotline verbunden hat.",
        "goodbye_left": "Wenn jemand im Menü einen Punkt zum Beenden des Anrufs wählt.",
    })),
    PromptGroup("Wenn etwas nicht klappt", MappingProxyType({
        "no_input": "Wenn jemand einige Sekunden lang keine Taste drückt.",
        "wrong_key": "Nach einer Taste, die an dieser Stelle nichts bedeutet.",
        "key_digit": "Im Satz über die falsche Taste, wenn es eine Zifferntaste war.",
        "key_hash": "Im Satz über die falsche Taste, wenn es die Rautetaste war.",
        "key_other": "Im Satz über die falsche Taste, wenn es mehrere Tasten waren.",
        "options_again": "Nach einer fehlenden oder falschen Taste bei den Angeboten oder Informationen.",
        "menu_zero": "Ab dem zweiten fehlenden oder falschen Tastendruck in einem Menü, vor den Möglichkeiten.",
        "escalate": "Nach dem dritten fehlenden oder falschen Tastendruck; danach kommt der Rückruf.",
    })),
    PromptGroup("Anliegen in der Rückrufliste", MappingProxyType({
        "topic_callback": "Wenn jemand mit der 0 oder nach drei Fehlversuchen einen Rückruf wünscht.",
        "topic_message": "Wenn jemand eine Nachricht hinterlassen hat.",
        "topic_talk": "Wenn jemand ein Gespräch wollte und nicht verbunden wurde.",
        "topic_newcomers": "Wenn jemand nach den Informationen zum Mitmachen einen Rückruf wünscht.",
        "topic_activity": "Wenn jemand bei einem Angebot einen Rückruf wünscht.",
    }), note="Diese Texte sind nicht am Telefon zu hören: Sie stehen bei jedem Rückrufwunsch in der Liste."),
    PromptGroup("Beim Rückruf aus der Verwaltung", MappingProxyType({
        "bridge_intro": "Sobald das eigene Telefon abgenommen ist.",
        "bridge_not_reserved": "Stattdessen, wenn der Rückruf nicht mehr für diese Person reserviert ist.",
        "bridge_no_input": "Wenn danach keine Taste gedrückt wird.",
        "bridge_not_connected": "Wenn eine andere Taste als die 1 gedrückt wird.",
        "bridge_connecting": "Nach der 1, bevor es bei der anrufenden Person klingelt.",
        "bridge_ended": "Nach dem Gespräch mit der anrufenden Person.",
        "bridge_not_answered": "Wenn die anrufende Person nicht abnimmt.",
    }), note="Das hört am eigenen Telefon, wer in der Verwaltung einen Rückruf startet."),
    CITY_LINE_PROMPTS,
)

# What the line puts in place of each {placeholder}, in words for the admin.
PLACEHOLDER_MEANINGS: Mapping[str, str] = MappingProxyType({
    "network": "Name der Anlaufstelle",
    "label": "Name des Menüpunkts",
    "key": "Nummer der Taste",
    "digit": "Ziffer der Taste",
    "digits": "gedrückte Tasten",
    "title": "Titel des Angebots",
    "date": "Datum des Angebots",
    "time": "Uhrzeit des Angebots",
    "place": "Ort des Angebots",
    "contact": "Kontakt zum Angebot, zum Beispiel ein Name und eine Telefonnummer",
    "weekday": "Wochentag",
    "day": "Tag im Monat",
    "month": "Monat",
    "hour": "Stunde",
    "minute": "Minute",
    "meeting": "Hinweis zum Treffen für neue Interessierte",
    "number": "Nummer des Stadtbezirks",
    "start": "Beginn",
    "end": "Ende",
    "ranges": "Zeitspannen des Tages",
    "address": "Adresse der Anlaufstelle",
    "reason": "Grund für die Schließung, zum Beispiel „Heiligabend“",
    "days": "Tage, an denen wir zurückrufen",
})
# Where one prompt uses a placeholder name in another sense: (prompt key, placeholder) -> meaning.
PLACEHOLDER_MEANINGS_IN: Mapping[tuple[str, str], str] = MappingProxyType({
    ("wrong_key", "key"): "gedrückte Taste",
    ("activity_updated", "date"): "Datum der letzten Änderung",
    ("activity_cancelled", "date"): "Datum, an dem das Angebot ausfällt",
    ("activity_cancelled_next", "date"): "Datum, an dem das Angebot wieder stattfindet",
    ("newcomers_meeting_date", "date"): "Datum des nächsten Treffens für neue Interessierte",
    ("newcomers_meeting_date", "time"): "Uhrzeit des Treffens",
    ("newcomers_meeting_cancelled", "date"): "Datum des Treffens, das ausfällt",
    ("hours_day", "day"): "Wochentag, zum Beispiel „Montags“",
    ("number_known", "digits"): "letzte Ziffern der Nummer",
    ("number_readback", "digits"): "eingetippte Nummer",
    ("callback_from", "digits"): "Nummer der Anlaufstelle",
    ("callback_when", "start"): "Uhrzeit, ab der wir zurückrufen",
    ("callback_when", "end"): "Uhrzeit, bis zu der wir zurückrufen",
    ("open_next", "date"): "Tag, an dem die Anlaufstelle wieder besetzt ist",
    ("open_next", "time"): "Uhrzeit, ab der sie besetzt ist",
    ("open_next_today", "time"): "Uhrzeit, ab der sie besetzt ist",
    ("open_next_tomorrow", "time"): "Uhrzeit, ab der sie besetzt ist",
})
