"""How long a caller listens: every prompt heard in full, words at 150 a minute, plus the pauses."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ivr_flows.actions import Gather, Pause, Prompt, Say

WORDS_PER_MINUTE = 150
_WORD = re.compile(r"[^\W_]+")  # "Hamm-Volmerswerth-Flehe" is three spoken words


def prompts(actions: Iterable) -> Iterator[Prompt]:
    """The prompts of an answer in the order the caller hears them, those inside a Gather included."""
    for action in actions:
        yield from action.prompts if isinstance(action, Gather) else (action,)


def spoken_words(text: str) -> int:
    """How many words a voice says for `text`."""
    return len(_WORD.findall(text))


def speech_seconds(words: int) -> float:
    """How long `words` words take at 150 words a minute."""
    return words * 60 / WORDS_PER_MINUTE


def seconds_heard(actions: Iterable) -> float:
    """Seconds the caller listens to an answer's speech and pauses."""
    seconds = 0.0
    for prompt in prompts(actions):
        if isinstance(prompt, Say):
            seconds += speech_seconds(spoken_words(prompt.text))
        elif isinstance(prompt, Pause):
            seconds += prompt.seconds
    return seconds
