"""speech.models: finding, checking, describing and atomically installing Vosk models."""

from __future__ import annotations

import hashlib
import stat
import zipfile
from pathlib import Path

import pytest
import requests

from speech.models import (
    ModelError,
    check_model,
    find_model,
    install_model,
    model_info,
    model_sample_rate,
)

from tests.speech.speech_support import korean_model_path

SMALL_DE = "vosk-model-small-de-0.15"


def make_fake_model(root: Path, *, graph: str = "lookahead", mfcc: str | None = None) -> Path:
    """A directory with the files check_model requires (contents are placeholders)."""
    files = {"am/final.mdl": b"am", "conf/model.conf": b"--beam=10\n"}
    if graph == "lookahead":
        files |= {"graph/HCLr.fst": b"x", "graph/Gr.fst": b"y"}
    elif graph == "static":
        files["graph/HCLG.fst"] = b"z"
    if mfcc is not None:
        files["conf/mfcc.conf"] = mfcc.encode()
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    return root


def zip_dir(source: Path, archive: Path, prefix: str, *, compression: int = zipfile.ZIP_STORED) -> Path:
    """Zip a model directory under one top folder, the way alphacephei's archives are laid out."""
    with zipfile.ZipFile(archive, "w", compression) as zf:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                zf.write(path, f"{prefix}/{path.relative_to(source).as_posix()}")
    return archive


@pytest.fixture(scope="module")
def korean_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Korean model packed like a downloaded archive (stored, not deflated: large)."""
    return zip_dir(korean_model_path(), tmp_path_factory.mktemp("zip") / f"{SMALL_DE}.zip", SMALL_DE)


@pytest.fixture
def fake_zip(tmp_path: Path) -> Path:
    """A small archive with a valid model layout."""
    model = make_fake_model(tmp_path / "src")
    return zip_dir(model, tmp_path / "fake.zip", SMALL_DE, compression=zipfile.ZIP_DEFLATED)


def models_in(data_dir: Path) -> list[str]:
    """Names in <data_dir>/models, to show nothing half-unpacked is left behind."""
    return sorted(p.name for p in (data_dir / "models").iterdir())


# --- find / check / describe -------------------------------------------------------------------


def test_explicit_path_wins_over_data_dir(tmp_path: Path) -> None:
    install_dir = make_fake_model(tmp_path / "data" / "models" / "m")
    (tmp_path / "data" / "models" / "current").symlink_to(install_dir)
    assert find_model(tmp_path / "elsewhere", tmp_path / "data") == tmp_path / "elsewhere"


def test_current_symlink_is_found_and_resolved(tmp_path: Path) -> None:
    install_dir = make_fake_model(tmp_path / "models" / "m")
    (tmp_path / "models" / "current").symlink_to("m")
    assert find_model(None, tmp_path) == install_dir.resolve()


def test_no_model_gives_none(tmp_path: Path) -> None:
    assert find_model(None, tmp_path) is None
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "current").symlink_to("gone")
    assert find_model(None, tmp_path) is None


@pytest.mark.parametrize("graph", ["lookahead", "static"])
def test_complete_models_pass_the_check(tmp_path: Path, graph: str) -> None:
    check_model(make_fake_model(tmp_path, graph=graph))


@pytest.mark.speech
def test_real_korean_model_passes_the_check(model_dir: Path) -> None:
    check_model(model_dir)


@pytest.mark.parametrize(
    ("remove", "missing"),
    [
        ("am/final.mdl", "am/final.mdl"),
        ("conf/model.conf", "conf/model.conf"),
        ("graph/Gr.fst", "graph/HCLG.fst or graph/HCLr.fst"),
    ],
)
def test_incomplete_model_is_rejected(tmp_path: Path, remove: str, missing: str) -> None:
    model = make_fake_model(tmp_path)
    (model / remove).unlink()
    with pytest.raises(ModelError, match=missing):
        check_model(model)


def test_missing_directory_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        check_model(tmp_path / "nothing")


@pytest.mark.parametrize(
    ("mfcc", "rate"),
    [
        (None, 16000),
        ("--use-energy=false\n", 16000),
        ("--use-energy=false\n--sample-frequency=8000 # telephone\n", 8000),
        ("# --sample-frequency=8000\n--sample-frequency=16000\n", 16000),
    ],
)
def test_sample_rate_comes_from_mfcc_conf(tmp_path: Path, mfcc: str | None, rate: int) -> None:
    assert model_sample_rate(make_fake_model(tmp_path, mfcc=mfcc)) == rate


def test_bad_sample_rate_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="sample-frequency"):
        model_sample_rate(make_fake_model(tmp_path, mfcc="--sample-frequency=fast\n"))


@pytest.mark.speech
def test_info_of_the_korean_model(model_dir: Path) -> None:
    info = model_info(model_dir)
    assert (info.name, info.sample_rate, info.language) == ("ko-nodither", 16000, "ko")
    assert info.size_bytes > 1000


def test_info_reads_language_from_directory_name(tmp_path: Path) -> None:
    info = model_info(make_fake_model(tmp_path / SMALL_DE, mfcc="--sample-frequency=16000\n"))
    assert (info.name, info.language) == (SMALL_DE, "de")
    assert info.size_bytes == sum(f.stat().st_size for f in (tmp_path / SMALL_DE).rglob("*") if f.is_file())


# --- install -----------------------------------------------------------------------------


@pytest.mark.speech
def test_install_real_model_from_file(tmp_path: Path, korean_zip: Path) -> None:
    before = korean_zip.stat().st_mtime_ns
    target = install_model("small-de", tmp_path, from_file=korean_zip)
    assert target == tmp_path / "models" / SMALL_DE
    assert find_model(None, tmp_path) == target.resolve()
    check_model(target)
    assert (target / "graph" / "HCLr.fst").stat().st_size == (korean_model_path() / "graph" / "HCLr.fst").stat().st_size
    assert models_in(tmp_path) == ["current", SMALL_DE]
    assert korean_zip.stat().st_mtime_ns == before


def test_install_downloads_with_progress(tmp_path: Path, fake_zip: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    urls: list[str] = []

    def fake_get(url: str, dest: Path, progress) -> None:
        urls.append(url)
        data = fake_zip.read_bytes()
        dest.write_bytes(data)
        progress(len(data), len(data))

    target = install_model("de", tmp_path, http_get=fake_get, progress=lambda d, t: seen.append((d, t)))
    assert urls == ["https://alphacephei.com/vosk/models/vosk-model-de-0.21.zip"]
    assert seen == [(fake_zip.stat().st_size, fake_zip.stat().st_size)]
    assert target.name == SMALL_DE  # the directory is named after the archive's top folder
    assert models_in(tmp_path) == ["current", SMALL_DE]


def test_offline_download_explains_itself(tmp_path: Path) -> None:
    def offline(url: str, dest: Path, progress) -> None:
        raise requests.ConnectionError("Name or service not known")

    with pytest.raises(ModelError, match="keine Internetverbindung"):
        install_model("small-de", tmp_path, http_get=offline)
    assert models_in(tmp_path) == []


def test_matching_sha256_is_accepted(tmp_path: Path, fake_zip: Path) -> None:
    digest = hashlib.sha256(fake_zip.read_bytes()).hexdigest().upper()
    install_model("small-de", tmp_path, from_file=fake_zip, sha256=digest)
    assert find_model(None, tmp_path) is not None


def test_reinstall_swaps_current_and_removes_the_old_copy(tmp_path: Path, fake_zip: Path) -> None:
    first = install_model("small-de", tmp_path, from_file=fake_zip)
    second = install_model("small-de", tmp_path, from_file=fake_zip)
    assert second != first
    assert find_model(None, tmp_path) == second.resolve()
    assert models_in(tmp_path) == ["current", second.name]


def corrupt(archive: Path) -> None:
    """Flip bytes inside the first member's data so its CRC no longer matches."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start] ^= 0xFF
    archive.write_bytes(bytes(data))


def traversal_zip(path: Path, name: str) -> None:
    """An otherwise valid model archive with one extra, unsafe entry."""
    src = make_fake_model(path.parent / "tsrc")
    zip_dir(src, path, SMALL_DE)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(name, b"owned")


def symlink_zip(path: Path) -> None:
    """A model archive containing a symlink entry."""
    zip_dir(make_fake_model(path.parent / "lsrc"), path, SMALL_DE)
    info = zipfile.ZipInfo(f"{SMALL_DE}/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(info, "/etc/passwd")


def incomplete_zip(path: Path) -> None:
    """An archive whose model lacks the acoustic model."""
    src = make_fake_model(path.parent / "isrc")
    (src / "am" / "final.mdl").unlink()
    zip_dir(src, path, SMALL_DE)


@pytest.mark.parametrize(
    ("build", "kwargs", "message"),
    [
        (lambda p: p.write_bytes(b"<html>404</html>"), {}, "not a readable zip"),
        (
            lambda p: (
                zip_dir(make_fake_model(p.parent / "c"), p, SMALL_DE, compression=zipfile.ZIP_DEFLATED),
                corrupt(p),
            ),
            {},
            "CRC error",
        ),
        (
            lambda p: zip_dir(make_fake_model(p.parent / "s"), p, SMALL_DE),
            {"sha256": "0" * 64},
            "SHA-256 mismatch",
        ),
        (lambda p: traversal_zip(p, "../../evil.txt"), {}, "unsafe path"),
        (lambda p: traversal_zip(p, "/etc/evil.txt"), {}, "unsafe path"),
        (lambda p: traversal_zip(p, "C:/evil.txt"), {}, "unsafe path"),
        (symlink_zip, {}, "symlink in archive"),
        (incomplete_zip, {}, "missing: am/final.mdl"),
        (lambda p: None, {}, "does not exist"),
    ],
    ids=[
        "not-zip",
        "crc",
        "sha256",
        "dotdot",
        "absolute",
        "drive",
        "symlink",
        "incomplete",
        "no-file",
    ],
)
def test_failed_install_keeps_the_previous_model(tmp_path: Path, fake_zip: Path, build, kwargs, message) -> None:
    data_dir = tmp_path / "data"
    previous = install_model("small-de", data_dir, from_file=fake_zip)
    bad = tmp_path / "bad" / "bad.zip"
    bad.parent.mkdir()
    build(bad)
    with pytest.raises(ModelError, match=message):
        install_model("small-de", data_dir, from_file=bad, **kwargs)
    assert find_model(None, data_dir) == previous.resolve()
    check_model(previous)
    assert models_in(data_dir) == ["current", previous.name]
    assert not (tmp_path / "evil.txt").exists()
    assert not (data_dir / "evil.txt").exists()


def test_unknown_model_name_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="unknown model 'en'"):
        install_model("en", tmp_path)


def test_current_as_plain_directory_is_left_alone(tmp_path: Path, fake_zip: Path) -> None:
    make_fake_model(tmp_path / "models" / "current")
    with pytest.raises(ModelError, match="not a symlink"):
        install_model("small-de", tmp_path, from_file=fake_zip)
    assert models_in(tmp_path) == ["current"]
