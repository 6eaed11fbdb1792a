"""Files named by paths stored on rows (recordings, prompts).

A path never leads outside its folder; recordings are removed only after the commit, and a
recording that a crash left behind after that commit goes with the nightly purge.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger(__name__)

RECORDINGS_DIR = "recordings"  # under the data dir; voicemail rows store paths relative to the data dir


def file_inside(root: Path, relative: str) -> Path | None:
    """The path a stored relative path names under `root`; None when it would lead outside."""
    base = Path(root).resolve()
    path = (base / relative).resolve()
    return path if path.is_relative_to(base) and path != base else None


def left_behind(data_dir: Path, named: Collection[str], waited_for: Collection[str], older_than: datetime) -> list[str]:
    """Recordings (and unfinished downloads) that no row names and no voicemail waits for, by relative path.

    `named` are the paths rows store, `waited_for` the RecordingSids of voicemails whose download
    may still come; files changed at or after `older_than` are left alone, as a download just done
    may not be on its row yet.
    """
    folder = data_dir / RECORDINGS_DIR
    found = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        relative = f"{RECORDINGS_DIR}/{path.name}"
        recording_sid = path.name.lstrip(".").split(".", 1)[0]  # RE….wav, or .RE….wav.*.part while downloading
        if (path.is_file() and relative not in named and recording_sid not in waited_for
                and datetime.fromtimestamp(path.stat().st_mtime, UTC) < older_than):
            found.append(relative)
    return found


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
