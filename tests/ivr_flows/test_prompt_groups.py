"""Every prompt has its place in the call's order, with when it plays and its placeholders in words."""

from __future__ import annotations

import string
from collections import Counter

from ivr_flows.prompt_groups import PLACEHOLDER_MEANINGS, PLACEHOLDER_MEANINGS_IN, PROMPT_GROUPS
from ivr_flows.prompts import PROMPTS


def _placeholders() -> set[tuple[str, str]]:
    return {(key, name) for key, text in PROMPTS.items() for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_prompt_has_exactly_one_place_in_the_calls_order():
    # A prompt missing here never appears on the admin's "Ansagen" page. Fix: add its key to the
    # PromptGroup in ivr_flows/prompt_groups.py where the call plays it, with one short German sentence
    # saying when ("Nach dem dritten falschen Tastendruck."). Remove the keys of prompts that are gone.
    grouped = Counter(key for group in PROMPT_GROUPS for key in group.plays)
    assert sorted(set(PROMPTS) - set(grouped)) == [], "prompts without a group in PROMPT_GROUPS"
    assert sorted(set(grouped) - set(PROMPTS)) == [], "PROMPT_GROUPS names keys that PROMPTS lacks"
    assert sorted(key for key, count in grouped.items() if count > 1) == [], "prompts in more than one group"


def test_each_situation_is_one_short_sentence():
    situations = {key: text for group in PROMPT_GROUPS for key, text in group.plays.items()}
    not_one_sentence = [key for key, text in situations.items()
                        if not text[0].isupper() or not text.endswith(".") or ". " in text]
    assert not_one_sentence == []
    assert [key for key, text in situations.items() if len(text) > 100] == []


def test_every_placeholder_of_every_prompt_is_explained_in_words():
    # A new {name} in a prompt needs its meaning in PLACEHOLDER_MEANINGS (or, where one prompt uses
    # the name in another sense, in PLACEHOLDER_MEANINGS_IN).
    unexplained = sorted((key, name) for key, name in _placeholders()
                         if name not in PLACEHOLDER_MEANINGS and (key, name) not in PLACEHOLDER_MEANINGS_IN)
    assert unexplained == []
    assert set(PLACEHOLDER_MEANINGS_IN) <= _placeholders(), "PLACEHOLDER_MEANINGS_IN names a placeholder no prompt has"
