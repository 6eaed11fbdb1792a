"""Every German text the line speaks, keyed by name; networks may override any key."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# A new key also needs its place in ivr_flows/prompt_groups.py: when the call plays it (tested).
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
    "activity_contact": "Kontakt: {contact}.",
    "activity_updated": "Diese Angabe ist vom {date}.",
    "activity_cancelled": "{title} fällt am {date} aus.",
    "activity_cancelled_next": "Das nächste Mal ist es am {date}, um {time}. Ort: {place}.",
    "activity_last": "Das war das letzte Angebot.",
    "activity_next": "Für das nächste Angebot drücken Sie die 1.",
    "activity_restart": "Um alle Angebote noch einmal von vorn zu hören, drücken Sie die 1.",
    "activity_repeat": "Um dieses Angebot noch einmal zu hören, drücken Sie die 2.",
    "activity_callback": "Wenn Sie zu diesem Angebot zurückgerufen werden möchten, drücken Sie die 0.",
    # {day} is the ordinal as it follows "am" or "dem": "dritten".
    "date": "{weekday}, dem {day} {month}",
    "date_short": "{day} {month}",
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
    "newcomers_meeting_date": "Unser nächstes Treffen für neue Interessierte ist am {date}, um {time}.",
    "newcomers_meeting_cancelled": "Das Treffen für neue Interessierte am {date} fällt aus.",
    "newcomers_where": "Die Adresse der Anlaufstelle: {address}.",
    "info_offer": "Wenn Sie zurückgerufen werden möchten, drücken Sie die 1.",
    "info_more": "Mehr über unser Netzwerk hören Sie mit der 2.",
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
    "callback_intro_activity": "Gern ruft Sie jemand von uns zurück, zum Angebot {title}.",
    "number_known": "Wir rufen Sie unter der Nummer zurück, mit der Sie gerade anrufen. Sie endet auf {digits}.",
    "number_known_yes": "Wenn wir Sie unter dieser Nummer zurückrufen sollen, drücken Sie die 1.",
    "number_other": "Für eine andere Nummer drücken Sie die 2.",
    "number_enter": "Bitte tippen Sie Ihre Telefonnummer mit Vorwahl ein. Drücken Sie danach die Rautetaste.",
    "number_invalid": "Diese Nummer ist leider nicht vollständig.",
    "number_readback": "Sie haben eingegeben: {digits}.",
    "number_correct": "Wenn die Nummer stimmt, drücken Sie die 1.",
    "number_reenter": "Um die Nummer neu einzugeben, drücken Sie die 2.",
    "when_question": "Wann passt Ihnen ein Anruf am besten?",
    "when_morning": "Vormittags: Drücken Sie die 1.",
    "when_afternoon": "Nachmittags: Drücken Sie die 2.",
    "when_any": "Egal wann: Drücken Sie die 3.",
    "when_morning_label": "vormittags",
    "when_afternoon_label": "nachmittags",
    "when_any_label": "egal wann",
    "topic_callback": "Rückrufwunsch",
    "topic_message": "Nachricht",
    "topic_talk": "Möchte mit jemandem sprechen",
    "topic_newcomers": "Informationen für neue Interessierte",
    "topic_activity": "Angebot: {title}",
    # Goodbye
    "goodbye_callback": "Vielen Dank. Jemand von uns ruft Sie zurück.",
    # Said before goodbye_callback, so that the caller expects the call and picks up.
    "callback_when": "Wir rufen {days} zwischen {start} und {end} Uhr an, meist innerhalb von zwei Werktagen.",
    "callback_from": "Wir rufen von dieser Nummer an: {digits}.",
    "callback_days_all": "täglich",
    "callback_days_weekdays": "montags bis samstags",
    "callback_days_no_holidays": "täglich außer an Feiertagen",
    "callback_days_weekdays_no_holidays": "montags bis samstags, außer an Feiertagen,",
    "goodbye_bye": "Auf Wiederhören!",
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
    "closed_today": "Heute ist die Anlaufstelle geschlossen: {reason}.",
    "open_next_today": "Sie ist heute ab {time} wieder besetzt.",
    "open_next_tomorrow": "Sie ist morgen ab {time} wieder besetzt.",
    "open_next": "Sie ist am {date}, ab {time} wieder besetzt.",
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
