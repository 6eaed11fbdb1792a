"""speech.urgency: distress words in German transcripts (Vosk writes lowercase, no punctuation)."""

from __future__ import annotations

import pytest

from speech.urgency import DEFAULT_URGENT_TERMS, find_urgent_terms, fold


@pytest.mark.parametrize(
    ("transcript", "expected"),
    [
        ("guten tag hier ist frau schmitz ich wollte fragen wann das nächste treffen ist", ()),
        ("ich bin gestern gestürzt und komme nicht hoch", ("gestürzt", "komme nicht hoch")),
        ("ich bin gestuerzt", ("gestürzt",)),
        ("ICH BIN GESTÜRZT", ("gestürzt",)),
        ("ich bin in der küche hingefallen", ("hingefallen",)),
        ("ich habe keine medikamente mehr", ("keine Medikamente",)),
        ("ich habe keine\n  medikamente, bitte", ("keine Medikamente",)),
        ("keine ahnung wo die medikamente sind", ()),
        ("ich habe solche kopfschmerzen", ("schmerz",)),
        ("die schmerzen werden schlimmer", ("schmerz",)),
        ("mein hausarzt hat zu", ("arzt",)),
        ("ich war beim notarzt", ("Notarzt", "arzt")),
        ("hilfe bitte", ("Hilfe",)),
        ("das war sehr hilfreich danke", ()),
        ("ich bin so allein seit mein mann tot ist", ("allein",)),
        ("alleinerziehend", ()),
        ("ich komme aus dem krankenhaus und bin allein", ("Krankenhaus", "allein")),
        ("es ist ein notfall bitte rufen sie dringend zurück", ("Notfall", "dringend")),
        ("notfallnummer", ()),
        ("", ()),
    ],
    ids=lambda value: value if isinstance(value, str) and value else None,
)
def test_default_terms_on_transcripts(transcript: str, expected: tuple[str, ...]) -> None:
    assert find_urgent_terms(transcript) == expected


@pytest.mark.parametrize(
    ("text", "terms", "expected"),
    [
        ("Frau Müller braucht Hilfe", ("müller",), ("müller",)),
        ("frau mueller", ("Müller",), ("Müller",)),
        ("fuß gebrochen", ("Fuss",), ("Fuss",)),
        ("der Fuss", ("fuß",), ("fuß",)),
        ("bitte rufen sie mich zurück", ("rufen Sie mich zurück",), ("rufen Sie mich zurück",)),
        ("hilfe hilfe", ("Hilfe", "hilfe"), ("Hilfe", "hilfe")),
        ("a.b (c+d)", ("c+d", "a.b"), ("c+d", "a.b")),
    ],
    ids=[
        "umlaut",
        "transliteration",
        "eszett",
        "eszett-reverse",
        "phrase",
        "each-term-once",
        "regex-chars",
    ],
)
def test_custom_terms(text: str, terms: tuple[str, ...], expected: tuple[str, ...]) -> None:
    assert find_urgent_terms(text, terms) == expected


def test_results_follow_the_order_of_the_terms() -> None:
    assert find_urgent_terms("allein und gestürzt") == tuple(
        t for t in DEFAULT_URGENT_TERMS if t in ("gestürzt", "allein")
    )


def test_a_single_string_is_not_mistaken_for_terms() -> None:
    with pytest.raises(TypeError, match="collection"):
        find_urgent_terms("hilfe", "hilfe")


def test_empty_term_is_rejected() -> None:
    with pytest.raises(ValueError, match="empty"):
        find_urgent_terms("text", ("  ",))


def test_fold() -> None:
    assert fold("Gestürzt ÄÖÜ ß") == "gestuerzt aeoeue ss"
