"""Phone numbers read back digit by digit, in groups, the way people say them on the phone."""

from __future__ import annotations

import phonenumbers

from ivr_flows.prompts import DIGIT_WORDS


def digit_groups(digits: str) -> list[str]:
    """Split a digit string into groups of three, ending with groups of two instead of a lone digit."""
    sizes = [3] * (len(digits) // 3)
    rest = len(digits) % 3
    if rest == 2 or (rest == 1 and not sizes):
        sizes.append(rest)
    elif rest == 1:
        sizes[-1:] = [2, 2]
    groups, pos = [], 0
    for size in sizes:
        groups.append(digits[pos:pos + size])
        pos += size
    return groups


def number_groups(number: str) -> list[str]:
    """Split a German number into the area code (with its 0, one group) and groups of two or three.

    "0211 1234567" -> ["0211", "123", "45", "67"]; "+49 211 ..." is read as the national number,
    the way a caller would dial it. phonenumbers knows how long each area code is.
    """
    digits = "".join(c for c in number if c.isdigit() or c == "+")
    try:
        parsed = phonenumbers.parse(digits, "DE")
    except phonenumbers.NumberParseException:
        return digit_groups(digits.lstrip("+"))
    national = phonenumbers.national_significant_number(parsed)
    area = phonenumbers.length_of_national_destination_code(parsed)
    if parsed.country_code != 49 or not 0 < area < len(national):
        return digit_groups(digits.lstrip("+"))
    return ["0" + national[:area], *digit_groups(national[area:])]


def spoken_groups(number: str) -> list[str]:
    """Return the groups of a number as German words, e.g. ["null zwo eins eins", "eins zwo drei", ...]."""
    return [" ".join(DIGIT_WORDS[d] for d in group) for group in number_groups(number)]


def spoken_number(number: str) -> str:
    """Return a number as German words in groups separated by commas (for text without pauses)."""
    return ", ".join(spoken_groups(number))


def spoken_tail(number: str, count: int = 4) -> str:
    """Return the last digits of a number as words, for "Ihre Nummer endet auf ..."."""
    digits = "".join(c for c in number if c.isdigit())
    return " ".join(DIGIT_WORDS[d] for d in digits[-count:])
