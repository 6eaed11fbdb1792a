"""Phone numbers read back digit by digit, in groups, the way people say them on the phone."""

from __future__ import annotations

import re

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


def spoken_number(number: str) -> str:
    """Return a number as German words in groups, e.g. "0211 12" -> "null zwo, eins eins, eins zwo"."""
    groups = []
    for part in re.findall(r"\+|\d+", number):
        if part == "+":
            groups.append(DIGIT_WORDS["+"])
            continue
        groups.extend(" ".join(DIGIT_WORDS[d] for d in group) for group in digit_groups(part))
    return ", ".join(groups)


def spoken_tail(number: str, count: int = 4) -> str:
    """Return the last digits of a number as words, for "Ihre Nummer endet auf ..."."""
    digits = "".join(c for c in number if c.isdigit())
    return " ".join(DIGIT_WORDS[d] for d in digits[-count:])
