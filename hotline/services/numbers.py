"""Phone numbers as callers give them: Twilio's `From`, or digits typed on the keypad."""

from __future__ import annotations

import functools

import phonenumbers

# The digits of an E.164 number as the columns keep them (see hotline.models._types.e164_check).
_E164_DIGITS = (8, 15)
# Numbers we never call back: they cost the Anlaufstelle money or reach no person.
_NOT_CALLABLE = frozenset({
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.UNKNOWN,
})


# Twilio sends the caller's number with every webhook of a call; parsing it is the costly part.
@functools.lru_cache(maxsize=1024)
def callable_e164(raw: str | None, region: str | None = None) -> str | None:
    """Return the number in E.164 when it is a valid number we can call back, else None.

    Withheld numbers arrive as `anonymous`, `restricted` or fake numbers such as `+266696687`;
    all of them give None. `region` is for national input ("0211 ..." with region "DE").
    """
    number = _valid_number(raw, region)
    if number is None or phonenumbers.number_type(number) in _NOT_CALLABLE:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def typed_e164(digits: str) -> str | None:
    """Return digits typed in Germany ("02211234567") as E.164, or None when not a callable number."""
    return callable_e164(digits, "DE")


def any_e164(raw: str | None, region: str = "DE") -> str | None:
    """Return any valid number (also one we would not call back) in E.164, else None."""
    number = _valid_number(raw, region)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _valid_number(raw: str | None, region: str | None) -> phonenumbers.PhoneNumber | None:
    """The parsed number when `raw` is a valid phone number, else None."""
    if not raw or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException:
        return None
    return number if is_storable(number) else None


def written(e164: str | None) -> str:
    """A number as DIN 5008 writes it: "0211 5551234" in Germany, "+31 20 123 4567" abroad.

    The one way every page, card and export shows a number; "unbekannt" when there is none.
    phonenumbers knows each area code's length, so the space falls where the area code ends.
    Unparsable text comes back unchanged.
    """
    if not e164:
        return "unbekannt"
    try:
        number = phonenumbers.parse(e164, "DE")
    except phonenumbers.NumberParseException:
        return e164
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(number, style.NATIONAL if number.country_code == 49 else style.INTERNATIONAL)


def is_storable(number: phonenumbers.PhoneNumber) -> bool:
    """A valid number whose E.164 form has 8 to 15 digits, as the database keeps numbers.

    The metadata of some countries accepts shorter or longer numbers (German "1640", or 14
    national digits) than E.164 and our columns allow.
    """
    if not phonenumbers.is_valid_number(number):
        return False
    digits = len(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)) - 1
    return _E164_DIGITS[0] <= digits <= _E164_DIGITS[1]
