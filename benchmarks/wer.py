"""Word error rate of the pipeline on typical German voicemail sentences (needs a German model).

Usage: python benchmarks/wer.py [--model PATH] [--any-language]

The set: SENTENCES below, ten short messages of the kind seniors leave for an Anlaufstelle (a name,
a district, a date, a phone number, "bitte rufen Sie mich zurück", a distress message). Each is
synthesized with `espeak-ng -v de`, converted to 8 kHz 16-bit mono (what Twilio records) and run
through Transcriber.transcribe_file, so resampling and decoding are measured as in production.
Synthetic speech is cleaner than a telephone line: read the figure as a lower bound.

Method: reference and hypothesis are normalised (lowercase, ä/ö/ü/ß folded to ae/oe/ue/ss,
punctuation removed, whitespace collapsed). Numbers are compared as spoken words: references
write them out as a caller says them ("null zwei eins eins"), and any digits in a hypothesis are
expanded digit by digit into the same German words, so "0211" and "null zwei eins eins" agree.
WER = (substitutions + deletions + insertions) / reference words, by word-level Levenshtein
distance, summed over the whole set (per-sentence figures are printed too).

Model: --model or $VOSK_MODEL_PATH. Without a German model it says so and exits 0;
--any-language runs anyway (a smoke test of the script on e.g. the Korean test model).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(
    0, str(Path(__file__).resolve().parents[1])
)  # run from a checkout without installing

from transcribe import speak  # noqa: E402

from speech.models import ModelError, model_info  # noqa: E402
from speech.recognizer import Transcriber  # noqa: E402
from speech.urgency import fold  # noqa: E402

SENTENCES = (
    "Guten Tag, hier spricht Erika Müller aus Bilk.",
    "Bitte rufen Sie mich zurück.",
    "Meine Nummer ist null zwei eins eins, drei vier fünf sechs sieben acht.",
    "Ich möchte mich für das Treffen am Dienstag anmelden.",
    "Hier ist Heinz Schneider, ich komme am dritten Mai nicht zum Frühstück.",
    "Können Sie mir sagen, wann der nächste Spaziergang stattfindet?",
    "Ich bin neu in Gerresheim und würde gerne mitmachen.",
    "Mein Name ist Hildegard Becker, bitte rufen Sie mich morgen Vormittag an.",
    "Ich brauche Hilfe beim Einkaufen, ich bin gestürzt.",
    "Vielen Dank und auf Wiederhören.",
)
DIGIT_WORDS = ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")


def normalise(text: str) -> list[str]:
    """Words for comparison: digits spelled out one by one, folded, punctuation dropped."""
    spelled = re.sub(r"\d", lambda m: f" {DIGIT_WORDS[int(m.group())]} ", text)
    return re.sub(r"[^\w\s]|_", " ", fold(spelled)).split()


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Word-level Levenshtein distance (substitutions, deletions and insertions cost 1)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, start=1):
        current = [i]
        for j, hyp_word in enumerate(hypothesis, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word))
            )
        previous = current
    return previous[-1]


def main() -> int:
    """Synthesize the set, transcribe it, print per-sentence and overall WER."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument(
        "--any-language", action="store_true", help="run even on a non-German model"
    )
    args = parser.parse_args()
    env_model = os.environ.get("VOSK_MODEL_PATH")
    model_path = args.model or (Path(env_model) if env_model else None)
    if model_path is None:
        print("No German Vosk model given (--model PATH or VOSK_MODEL_PATH): WER not measured.")
        return 0
    try:
        info = model_info(model_path)
    except ModelError as exc:
        print(f"No usable model: {exc}. WER not measured.")
        return 0
    if info.language != "de" and not args.any_language:
        print(
            f"{info.name} is not a German model (language: {info.language or 'unknown'}); "
            "WER needs one, e.g. vosk-model-small-de-0.15. Not measured."
        )
        return 0
    transcriber = Transcriber(info.path)
    transcriber.load()
    errors = words = 0
    with tempfile.TemporaryDirectory() as tmp:
        for number, sentence in enumerate(SENTENCES, start=1):
            wav = speak(sentence, "de", Path(tmp) / f"s{number}.wav")
            result = transcriber.transcribe_file(wav)
            reference, hypothesis = normalise(sentence), normalise(result.text)
            distance = edit_distance(reference, hypothesis)
            errors, words = errors + distance, words + len(reference)
            print(f"{number:2d} WER {distance / len(reference):6.1%}  ref: {' '.join(reference)}")
            print(f"{'':11}hyp: {' '.join(hypothesis)}")
    print(
        f"model {info.name}: WER {errors / words:.1%} ({errors} errors / {words} reference words)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
