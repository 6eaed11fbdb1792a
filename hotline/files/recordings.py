"""Files named by paths stored on rows (recordings, prompts).

A path never leads outside its folder; recordings are removed only after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

logger = logging.getLogger(__name__)

RECORDINGS_DIR = "recordings"  # under the data dir; voicemail rows store paths relative to the data dir


def file_inside(root: Path, relative: str) -> Path | None:
    """The path a stored relative path names under `root`; None when it would lead outside."""
    base = Path(root).resolve()
    path = (base / relative).resolve()
    return path if path.is_relative_to(base) and path != base else None


def delete_recording_files(data_dir: Path, paths: Iterable[str]) -> int:
    """Remove recordings by the paths stored on their rows; return how many files were removed."""
    removed = 0
    for relative in paths:
        path = file_inside(data_dir, relative)
        if path is None:
            logger.warning("refused to delete a recording outside the data directory")
            continue
        if path.is_file():
            path.unlink()
            removed += 1
    return removed
