"""Bar charts as plain numbers for server-side SVG (templates/admin/_charts.html draws them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value and geometry in SVG user units."""

    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    """A chart's bars and the size of its drawing area."""

    bars: list[Bar]
    width: int
    height: int
    maximum: int


def columns(pairs: list[tuple[str, int]], *, width: int = 520, height: int = 220,
            label_space: int = 40) -> Chart:
    """Vertical bars, evenly spaced, with room for labels under them and values above."""
    maximum = max((value for _, value in pairs), default=0) or 1
    slot = width / max(len(pairs), 1)
    plot = height - label_space - 24
    bars = []
    for index, (label, value) in enumerate(pairs):
        bar_height = plot * value / maximum
        bars.append(Bar(label, value, x=index * slot + slot * 0.15, y=24 + plot - bar_height,
                        width=slot * 0.7, height=bar_height))
    return Chart(bars, width, height, maximum)


def rows(pairs: list[tuple[str, int]], *, width: int = 480, row_height: int = 30,
         label_width: int = 190) -> Chart:
    """Horizontal bars, one per row, for long labels."""
    maximum = max((value for _, value in pairs), default=0) or 1
    plot = width - label_width - 60
    bars = [Bar(label, value, x=label_width, y=index * row_height + 6,
                width=plot * value / maximum, height=row_height - 12)
            for index, (label, value) in enumerate(pairs)]
    return Chart(bars, width, max(len(pairs), 1) * row_height, maximum)
