"""Find, check, describe and install Vosk models.

Layout inside the data directory:

    <data_dir>/models/<model dir>/  one unpacked model each (e.g. vosk-model-small-de-0.15)
    <data_dir>/models/current       symlink to the model in use, swapped atomically on install
    <data_dir>/models/.partial-*    work directories of installs in progress (never a model)

An explicit path (VOSK_MODEL_PATH) always wins over the data directory.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import requests

logger = logging.getLogger(__name__)

MODEL_BASE_URL = "https://alphacephei.com/vosk/models/"
# Short name -> (archive stem, pinned SHA-256). alphacephei publishes no checksums, so none is
# pinned; pass sha256= (CLI --sha256) to insist on one.
KNOWN_MODELS: dict[str, tuple[str, str | None]] = {
    "small-de": ("vosk-model-small-de-0.15", None),
    "de": ("vosk-model-de-0.21", None),
}
KALDI_DEFAULT_SAMPLE_RATE = 16000
REQUIRED_FILES = ("am/final.mdl", "conf/model.conf")
GRAPHS = (("graph/HCLG.fst",), ("graph/HCLr.fst", "graph/Gr.fst"))
_LANGUAGE_NAMES = {
    "german": "de",
    "english": "en",
    "korean": "ko",
    "french": "fr",
    "spanish": "es",
    "italian": "it",
    "russian": "ru",
    "turkish": "tr",
    "polish": "pl",
    "dutch": "nl",
}
_DIR_LANGUAGE = re.compile(r"^vosk-model-(?:small-)?([a-z]{2})(?:-[a-z]+)*-\d")
_CHUNK = 1 << 20

ProgressCallback = Callable[[int, int | None], None]
Downloader = Callable[[str, Path, ProgressCallback | None], None]


class ModelError(Exception):
    """A model is missing, incomplete, or could not be installed."""


@dataclass(frozen=True)
class ModelInfo:
    """What an operator wants to know about an installed model."""

    name: str
    path: Path
    sample_rate: int
    size_bytes: int
    language: str | None


def find_model(vosk_model_path: Path | None, data_dir: Path) -> Path | None:
    """The explicit model path if given, else `<data_dir>/models/current` resolved, else None."""
    if vosk_model_path is not None:
        return Path(vosk_model_path)
    current = Path(data_dir) / "models" / "current"
    if current.exists():
        return current.resolve()
    return None


def check_model(path: Path) -> None:
    """Raise ModelError unless `path` holds the acoustic model, its config and a decoding graph."""
    path = Path(path)
    if not path.is_dir():
        raise ModelError(f"model directory {path} does not exist")
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if not any(all((path / name).is_file() for name in graph) for graph in GRAPHS):
        missing.append("graph/HCLG.fst or graph/HCLr.fst + graph/Gr.fst")
    if missing:
        raise ModelError(f"model in {path} is incomplete, missing: {', '.join(missing)}")


def model_sample_rate(path: Path) -> int:
    """Sample rate the model expects: `--sample-frequency` in conf/mfcc.conf, else Kaldi's 16000."""
    conf = Path(path) / "conf" / "mfcc.conf"
    if not conf.is_file():
        return KALDI_DEFAULT_SAMPLE_RATE
    for line in conf.read_text(encoding="utf-8", errors="replace").splitlines():
        key, _, value = line.split("#", 1)[0].strip().partition("=")
        if key == "--sample-frequency":
            try:
                return int(float(value))
            except ValueError as exc:
                raise ModelError(f"{conf}: bad --sample-frequency {value!r}") from exc
    return KALDI_DEFAULT_SAMPLE_RATE


def model_info(path: Path) -> ModelInfo:
    """Describe a checked model: name, sample rate, size on disk and language when known."""
    path = Path(path).resolve()
    check_model(path)
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return ModelInfo(
        name=path.name,
        path=path,
        sample_rate=model_sample_rate(path),
        size_bytes=size,
        language=_language(path),
    )


def _language(path: Path) -> str | None:
    """Language code from a `vosk-model-[small-]<lang>-...` name or the README's first line."""
    match = _DIR_LANGUAGE.match(path.name)
    if match:
        return match.group(1)
    readme = path / "README"
    if readme.is_file():
        first = readme.read_text(encoding="utf-8", errors="replace").partition("\n")[0].lower()
        for word, code in _LANGUAGE_NAMES.items():
            if word in first:
                return code
    return None


def install_model(
    name: str,
    data_dir: Path,
    *,
    sha256: str | None = None,
    from_file: Path | None = None,
    progress: ProgressCallback | None = None,
    http_get: Downloader | None = None,
) -> Path:
    """Download (or take `from_file`), verify and unpack a known model, then make it `current`."""
    if name not in KNOWN_MODELS:
        raise ModelError(f"unknown model {name!r}; known: {', '.join(sorted(KNOWN_MODELS))}")
    stem, pinned = KNOWN_MODELS[name]
    expected = (sha256 or pinned or "").lower() or None
    models_dir = Path(data_dir) / "models"
    models_dir.mkdir(parents=True, exist_ok=True)
    current = models_dir / "current"
    if current.exists() and not current.is_symlink():
        raise ModelError(
            f"{current} is not a symlink; move it away so installs can swap it atomically"
        )
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=models_dir))
    try:
        archive = Path(from_file) if from_file is not None else work / f"{stem}.zip"
        if from_file is None:
            url = MODEL_BASE_URL + f"{stem}.zip"
            logger.info("downloading %s", url)
            try:
                (http_get or http_download)(url, archive, progress)
            except OSError as exc:
                raise ModelError(
                    f"download of {url} failed (keine Internetverbindung? no internet "
                    f"connection?): {exc}. Copy the archive in by hand and use --from-file."
                ) from exc
        _verify_archive(archive, expected)
        root = _extract(archive, work / "unpacked")
        check_model(root)
        target = _unique_dir(models_dir, root.name if root.name != "unpacked" else stem)
        os.replace(root, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _activate(models_dir, target)
    logger.info("installed model %s into %s", name, target)
    return target


def http_download(url: str, dest: Path, progress: ProgressCallback | None) -> None:
    """Stream `url` into `dest`, reporting (bytes done, total or None); failures raise OSError."""
    with requests.get(url, stream=True, timeout=(10, 60)) as response:
        response.raise_for_status()
        total = (
            int(response.headers["Content-Length"])
            if "Content-Length" in response.headers
            else None
        )
        done = 0
        with dest.open("wb") as out:
            for chunk in response.iter_content(_CHUNK):
                out.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
    if total is not None and done != total:
        raise requests.ConnectionError(f"download ended after {done} of {total} bytes")


def _verify_archive(archive: Path, expected_sha256: str | None) -> None:
    """Check the pinned or given SHA-256 if any, else the zip's own CRCs."""
    if not archive.is_file():
        raise ModelError(f"archive {archive} does not exist")
    if expected_sha256 is not None:
        digest = hashlib.sha256()
        with archive.open("rb") as stream:
            for block in iter(lambda: stream.read(_CHUNK), b""):
                digest.update(block)
        if digest.hexdigest() != expected_sha256:
            raise ModelError(
                f"SHA-256 mismatch for {archive.name}: expected {expected_sha256}, "
                f"got {digest.hexdigest()}"
            )
        return
    try:
        with zipfile.ZipFile(archive) as zf:
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelError(f"{archive.name} is not a readable zip archive: {exc}") from exc
    if bad is not None:
        raise ModelError(f"{archive.name} is corrupt: CRC error in {bad}")


def _extract(archive: Path, dest: Path) -> Path:
    """Unpack after rejecting unsafe entries; return the model root (single top dir or dest)."""
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                _check_member(info)
            zf.extractall(dest)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelError(f"cannot unpack {archive.name}: {exc}") from exc
    entries = [p for p in dest.iterdir() if not p.name.startswith("__MACOSX")]
    if len(entries) == 1 and entries[0].is_dir() and not (dest / "am").exists():
        return entries[0]
    return dest


def _check_member(info: zipfile.ZipInfo) -> None:
    """Reject absolute paths, `..` components, drive letters and symlinks in an archive."""
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
        raise ModelError(f"unsafe path in archive: {info.filename!r}")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ModelError(f"symlink in archive: {info.filename!r}")


def _unique_dir(models_dir: Path, name: str) -> Path:
    """A directory name under models_dir not yet taken (reinstalls get a numbered suffix)."""
    candidate = models_dir / name
    counter = 1
    while candidate.exists() or candidate.is_symlink():
        candidate = models_dir / f"{name}.{counter}"
        counter += 1
    return candidate


def _activate(models_dir: Path, target: Path) -> None:
    """Point `current` at target with an atomic symlink swap, then remove the model it replaced."""
    current = models_dir / "current"
    previous = current.resolve() if current.is_symlink() else None
    link = models_dir / f".current-{os.getpid()}"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(target.name, target_is_directory=True)
    os.replace(link, current)
    if (
        previous is not None
        and previous != target.resolve()
        and previous.parent == models_dir.resolve()
    ):
        logger.info("removing replaced model %s", previous)
        shutil.rmtree(previous, ignore_errors=True)
