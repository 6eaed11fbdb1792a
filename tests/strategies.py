"""Hypothesis strategies for what a client can send.

Form fields, webhook parameters and URLs travel as UTF-8, so their text is drawn from characters
that encode as UTF-8 (a lone surrogate cannot, and no client could send one). Where invalid UTF-8
is the point, draw raw bytes with `st.binary()` instead.
"""

from __future__ import annotations

from hypothesis import strategies as st

client_characters = st.characters(codec="utf-8")


def client_text(*, min_size: int = 0, max_size: int | None = None) -> st.SearchStrategy[str]:
    """Text a browser, Twilio or a script can send."""
    return st.text(client_characters, min_size=min_size, max_size=max_size)
