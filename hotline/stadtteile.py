"""Düsseldorf's 10 Stadtbezirke and 50 Stadtteile, spelt as the city spells them.

The list ships with the package (`hotline/data/duesseldorf-stadtteile.csv`, the city's own table),
so every form, import and prompt offers the same names. Stadtbezirke are numbered 1 to 10; Bilk or
Gerresheim are Stadtteile, never Stadtbezirke.
"""

from __future__ import annotations

import csv
import functools
from importlib.resources import files


@functools.cache
def stadtteile() -> dict[str, int]:
    """Every Stadtteil by its official name, with the number of its Stadtbezirk, in the city's order."""
    text = files("hotline").joinpath("data/duesseldorf-stadtteile.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter=";")
    return {row["stadtteil"]: int(row["stadtbezirk"]) for row in rows}


def official_name(name: str) -> str | None:
    """The city's spelling of a Stadtteil typed in any case or spacing; None when there is none."""
    wanted = " ".join(name.split()).casefold()
    return next((official for official in stadtteile() if official.casefold() == wanted), None)


def stadtbezirk(name: str) -> int:
    """The number of the Stadtbezirk a Stadtteil (official name) belongs to."""
    return stadtteile()[name]
