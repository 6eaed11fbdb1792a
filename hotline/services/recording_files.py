"""Recording files on our disk: removed only inside the data dir, and only after the commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

logger = logging.getLogger(__name__)


def delete_recording_files(data_dir: Path, paths: Iterable[str]) -> int:
    """Remove recordings by the paths stored on their rows; return how many files were removed."""
    root = Path(data_dir).resolve()
    removed = 0
    for relative in paths:
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or path == root:
            logger.warning("refused to delete a recording outside the data directory")
            continue
        if path.is_file():
            path.unlink()
            removed += 1
    return removed
