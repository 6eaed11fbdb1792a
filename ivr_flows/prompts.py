"""Every German text the line speaks, keyed by name; networks may override any key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

PROMPTS: Mapping[str, str] = MappingProxyType({
    # Greeting
    "greeting": "Guten Tag, hier ist die Anlaufstelle {network}.",
    "greeting_named": "Hier ist das Telefon der Anlaufstelle {network}.",
    "greeting_city": "Guten Tag, hier ist das Telefon der Netzwerke in Düsseldorf.",
    "greeting_zero": "Mit der Null bekommen Sie jederzeit einen Rückruf.",
    # Menus
    "menu_option": "Für {label} drücken Sie die {key}.",
    "menu_repeat": "Zum Wiederholen drücken Sie die Sterntaste.",
    "menu_back": "Zurück zum Hauptmenü: Drücken Sie die 9.",
    "menu_zero": "Wenn Sie lieber zurückgerufen werden möchten, drücken Sie die 0.",
    "no_input": "Ich habe leider keine Eingabe gehört.",
    "wrong_key": "Die {key} ist hier leider nicht belegt.",
    "options_again": "Sie hören die Möglichkeiten noch einmal.",
    "escalate": "Das hat jetzt dreimal nicht geklappt.",
    "key_digit": "Taste {digit}",
    "key_hash": "Rautetaste",
    "key_other": "Eingabe {digits}",
    "list_and": " und ",
    "label_activities": "Angebote und Treffen",
    "label_newcomers": "Informationen zum Mitmachen",
    "label_message": "eine Nachricht",
    "label_talk": "ein Gespräch mit uns",
    # Activities
    "activities_intro": "Hier sind unsere aktuellen Angebote und Treffen, eins nach dem anderen.",
    "activities_none": "Zurzeit sind keine Angebote eingetragen. Rufen Sie gern bald wieder an.",
    "activity": "{title}. Am {date}, um {time}. Ort: {place}.",
    "activity_updated": "Stand dieser Angabe: {date}.",
    "activity_last": "Das war das letzte Angebot.",
    "activity_next": "Für das nächste Angebot drücken Sie die 1.",
    "activity_restart": "Um alle Angebote noch einmal von vorn zu hören, drücken Sie die 1.",
    "activity_repeat": "Um dieses Angebot noch einmal zu hören, drücken Sie die 2.",
    "activity_callback": "Wenn Sie zu diesem Angebot zurückgerufen werden möchten, drücken Sie die 0.",
    "date": "{weekday}, {day}. {month}",
    "date_short": "{day}. {month}",
    "time_hour": "{hour} Uhr",
    "time_minutes": "{hour} Uhr {minute}",
    # Newcomer information
    "newcomers_intro": "Schön, dass Sie sich für unser Netzwerk interessieren.",
    "newcomers_default": (
        "Bei uns ist jeder willkommen. Sie brauchen keine Mitgliedschaft. "
        "Sie entscheiden selbst, was Sie tun und wie viel Zeit Sie sich dafür nehmen. "
        "Am besten lernen Sie uns bei einem Treffen kennen."
    ),
    "newcomers_meeting": "Unser nächstes Treffen für neue Interessierte: {meeting}",
    "info_offer": "Wenn Sie zurückgerufen werden möchten, drücken Sie die 1.",
    # Message and callback
    # Short sentences: what is recorded, who listens, what for. No "sie" beside "Sie".
    "consent": "Wir nehmen Ihre Nachricht auf, nur für den Rückruf durch die Anlaufstelle.",
    "consent_yes": "Einverstanden? Dann drücken Sie die 1.",
    "consent_no": "Rückruf ohne Aufnahme: Drücken Sie die 2.",
    "consent_declined": "Ohne Ihr Einverständnis nehmen wir nichts auf.",
    "record_start": (
        "Nennen Sie nach dem Ton Ihren Namen und Ihre Telefonnummer. "
        "Zum Beenden legen Sie einfach auf."
    ),
    "record_thanks": "Vielen Dank für Ihre Nachricht.",
    "record_empty": "Ich habe leider keine Nachricht gehört.",
    "callback_intro": "Gern ruft Sie jemand von uns zurück.",
    "number_known": "Wir rufen Sie unter der Nummer zurück, mit der Sie gerade anrufen. Sie endet auf {digits}.",
    "number_known_yes": "Wenn wir Sie unter dieser Nummer zurückrufen sollen, drücken Sie die 1.",
    "number_other": "Für eine andere Nummer drücken Sie die 2.",
    "number_enter": "Bitte tippen Sie Ihre Telefonnummer mit Vorwahl ein. Drücken Sie danach die Rautetaste.",
    "number_invalid": "Diese Nummer ist leider nicht vollständig.",
    "number_readback": "Sie haben eingegeben: {digits}.",
    "number_correct": "Wenn die Nummer stimmt, drücken Sie die 1.",
    "number_reenter": "Um die Nummer neu einzugeben, drücken Sie die 2.",
    "topic_callback": "Rückrufwunsch",
    "topic_message": "Nachricht",
    "topic_talk": "Möchte mit jemandem sprechen",
    "topic_newcomers": "Informationen für neue Interessierte",
    "topic_activity": "Angebot: {title}",
    # Goodbye
    "goodbye_callback": "Vielen Dank. Jemand von uns ruft Sie so bald wie möglich zurück. Auf Wiederhören!",
    "goodbye_no_number": (
        "Leider habe ich keine Telefonnummer bekommen. Wenn Sie Ihre Nummer in der Nachricht genannt haben, "
        "rufen wir Sie zurück. Sonst rufen Sie uns gern noch einmal an. Auf Wiederhören!"
    ),
    "goodbye_no_contact": (
        "Leider habe ich keine Telefonnummer bekommen. So können wir Sie nicht zurückrufen. "
        "Rufen Sie uns gern noch einmal an. Auf Wiederhören!"
    ),
    "goodbye_talked": "Vielen Dank für Ihren Anruf. Auf Wiederhören!",
    "goodbye_left": "Vielen Dank für Ihren Anruf. Auf Wiederhören!",
    # Office hours and forwarding
    "closed": "Die Anlaufstelle ist gerade nicht besetzt.",
    "hours_intro": "Persönlich erreichen Sie uns zu diesen Zeiten:",
    "hours_day": "{day} von {ranges}.",
    "hours_range": "{start} bis {end}",
    "hours_joiner": " und von ",
    "forward": "Einen Moment bitte, ich verbinde Sie.",
    "forward_no_answer": "Leider ist gerade niemand ans Telefon gegangen.",
    "forward_unavailable": "Verbinden kann ich Sie gerade leider nicht.",
    # Click-to-call: what the volunteer hears on their own phone before and after the caller is connected
    "bridge_intro": (
        "Hier ist die Hotline. Sie haben einen Rückruf gestartet. "
        "Drücken Sie jetzt die 1, dann verbinde ich Sie mit der anrufenden Person."
    ),
    "bridge_no_input": "Ich habe keine Eingabe gehört. Der Rückruf wird nicht verbunden. Auf Wiederhören.",
    "bridge_not_connected": "Der Rückruf wird nicht verbunden. Auf Wiederhören.",
    "bridge_not_reserved": "Dieser Rückruf ist nicht mehr für Sie reserviert. Auf Wiederhören.",
    "bridge_connecting": "Einen Moment, ich verbinde.",
    "bridge_ended": "Das Gespräch ist beendet. Bitte tragen Sie das Ergebnis in der Verwaltung ein. Vielen Dank.",
    "bridge_not_answered": (
        "Die angerufene Person hat nicht abgenommen. Bitte tragen Sie das Ergebnis in der Verwaltung ein."
    ),
    # City-wide line
    "city_code": "Bitte tippen Sie Ihre Postleitzahl ein.",
    "city_no_code": "Oder Ihren Stadtbezirk von 1 bis 10, dann die Rautetaste.",
    "city_neither": "Für einen Rückruf drücken Sie die 0 und die Rautetaste.",
    "city_unknown_code": "Zu dieser Postleitzahl kenne ich leider keine Anlaufstelle.",
    "city_unknown_stadtbezirk": "Im Stadtbezirk {number} kenne ich leider keine Anlaufstelle.",
    "city_choose_postal": "Zu dieser Postleitzahl gibt es mehrere Anlaufstellen. Bitte wählen Sie Ihren Stadtteil.",
    "city_choose_stadtbezirk": "Stadtbezirk {number}. Bitte wählen Sie Ihren Stadtteil.",
    "city_more": "weitere Stadtteile",
    "city_back": "Zurück zur Postleitzahl: Drücken Sie die 9.",
    "city_routed": "Sie sind jetzt bei der Anlaufstelle {network}.",
})


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
# Every key of PROMPTS belongs to exactly one group (tests/ivr_flows/test_prompt_groups.py): a new
# prompt needs an entry here, in the group where the call plays it, saying when in one sentence.
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
        "menu_back": "Am Ende der Angebote und der Informationen zum Mitmachen.",
    }), note="Welche Menüpunkte es gibt und in welcher Reihenfolge, stellen Sie unter „Menü“ ein."),
    PromptGroup("Angebote und Treffen", MappingProxyType({
        "activities_intro": "Wenn jemand die Angebote wählt, vor dem ersten Angebot.",
        "activities_none": "Wenn jemand die Angebote wählt, aber keins eingetragen ist; danach kommt das Hauptmenü.",
        "activity": "Für jedes Angebot ohne eigene Aufnahme, vor seiner Beschreibung.",
        "date": "Wo die Hotline das Datum eines Angebots nennt.",
        "time_hour": "Wo die Hotline eine volle Uhrzeit nennt, auch bei den Öffnungszeiten.",
        "time_minutes": "Wo die Hotline eine Uhrzeit mit Minuten nennt, auch bei den Öffnungszeiten.",
        "activity_updated": "Nach jedem Angebot.",
        "date_short": "Im Satz „Stand dieser Angabe“, für das Datum ohne Wochentag.",
        "activity_last": "Nach dem letzten Angebot.",
        "activity_next": "Nach jedem Angebot außer dem letzten.",
        "activity_restart": "Nach dem letzten Angebot, statt „Für das nächste Angebot …“.",
        "activity_repeat": "Nach jedem Angebot.",
        "activity_callback": "Nach jedem Angebot, als letzte Möglichkeit.",
    })),
    PromptGroup("Informationen zum Mitmachen", MappingProxyType({
        "newcomers_intro": "Wenn jemand die Informationen zum Mitmachen wählt.",
        "newcomers_default": "Danach, wenn die Anlaufstelle unter „Neu hier“ keinen eigenen Text eingetragen hat.",
        "newcomers_meeting": "Danach, wenn ein Treffen für neue Interessierte eingetragen ist.",
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
        "hours_intro": "Danach, wenn Öffnungszeiten eingetragen sind.",
        "hours_day": "Für jeden Wochentag mit Öffnungszeiten.",
        "hours_range": "Für jede Zeitspanne eines Tages.",
        "hours_joiner": "Zwischen zwei Zeitspannen desselben Tages.",
    })),
    PromptGroup("Rückruf", MappingProxyType({
        "callback_intro": "Wenn jemand einen Rückruf wünscht, zum Beispiel mit der 0.",
        "number_known": "Nach Nachricht oder Rückrufwunsch, wenn die Nummer der anrufenden Person übertragen wurde.",
        "number_known_yes": "Direkt nach den letzten Ziffern der Nummer.",
        "number_other": "Nach „Wenn wir Sie unter dieser Nummer …“, als zweite Möglichkeit.",
        "number_enter": "Wenn keine Nummer übertragen wurde oder jemand eine andere Nummer angeben möchte.",
        "number_invalid": "Wenn die eingetippte Nummer zu kurz ist oder nicht mit 0 beginnt.",
        "number_readback": "Nachdem jemand eine Nummer eingetippt hat.",
        "number_correct": "Direkt nach der vorgelesenen Nummer.",
        "number_reenter": "Nach „Wenn die Nummer stimmt …“, als zweite Möglichkeit.",
    })),
    PromptGroup("Verabschiedung", MappingProxyType({
        "goodbye_callback": "Am Ende, wenn ein Rückruf mit Telefonnummer eingetragen ist.",
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
        "menu_zero": "Ab dem zweiten fehlenden oder falschen Tastendruck, vor den Möglichkeiten.",
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
    "weekday": "Wochentag",
    "day": "Tag im Monat",
    "month": "Monat",
    "hour": "Stunde",
    "minute": "Minute",
    "meeting": "Termin des Treffens für neue Interessierte",
    "number": "Nummer des Stadtbezirks",
    "start": "Beginn",
    "end": "Ende",
    "ranges": "Zeitspannen des Tages",
})
# Where one prompt uses a placeholder name in another sense: (prompt key, placeholder) -> meaning.
PLACEHOLDER_MEANINGS_IN: Mapping[tuple[str, str], str] = MappingProxyType({
    ("wrong_key", "key"): "gedrückte Taste",
    ("activity_updated", "date"): "Datum der letzten Änderung",
    ("hours_day", "day"): "Wochentag, zum Beispiel „Montags“",
    ("number_known", "digits"): "letzte Ziffern der Nummer",
    ("number_readback", "digits"): "eingetippte Nummer",
})

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
WEEKDAYS_PLURAL = ("Montags", "Dienstags", "Mittwochs", "Donnerstags", "Freitags", "Samstags", "Sonntags")
MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)
# "zwo" instead of "zwei" is what Germans say on the phone: it cannot be confused with "drei".
DIGIT_WORDS = {
    "0": "null", "1": "eins", "2": "zwo", "3": "drei", "4": "vier",
    "5": "fünf", "6": "sechs", "7": "sieben", "8": "acht", "9": "neun", "+": "plus",
}
