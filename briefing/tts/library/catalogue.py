"""The engines' official voice catalogues, and the SHA-256s briefing pins for their files.

Piper publishes `voices.json` (md5 and size per file, no SHA-256); Kokoro publishes its
files as release assets with no checksum at all. So briefing pins the SHA-256 of the files
it knows, and checks md5 and size from the catalogue for the rest (recording the SHA-256
of what it installed, for the segment cache's keys).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.tts.library import packages

# The moving branch, as piper-tts's own downloader uses: voices added after a tag are
# there, and each file's md5 in the same catalogue keeps a moved file honest.
PIPER_CATALOGUE = "https://huggingface.co/rhasspy/piper-voices/resolve/main/voices.json"
KOKORO_FILES = "https://github.com/thewh1teagle/kokoro-onnx/releases/download/model-files-v1.0/"
KOKORO_FOLDER = "kokoro-v1.0"

_PIPER_KEY = re.compile(r"^(?P<family>[a-z]{2,3})_(?P<region>[A-Za-z0-9]+)-(?P<name>[^-]+)"
                        r"-(?P<quality>x_low|low|medium|high)$")


@dataclass(frozen=True)
class RemoteFile:
    """One file to download: its name in the voice's folder, where it is, what it must be."""

    name: str
    url: str
    size: int
    md5: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class Offer:
    """A voice an engine's catalogue offers."""

    id: str
    engine: str
    language: str
    quality: str
    folder: str  # the sub-folder of the voice folder it is installed into
    files: tuple[RemoteFile, ...]
    licence: str = "see its MODEL_CARD"
    note: str = ""

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


# SHA-256s computed here, keyed by the catalogue path and size they belong to: a file
# the catalogue lists at another size was changed upstream, and md5 checks it then.
PIPER_SHA256: dict[tuple[str, int], str] = {
    ("en/en_US/joe/medium/en_US-joe-medium.onnx", 63_201_294):
        "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
    ("en/en_US/joe/medium/en_US-joe-medium.onnx.json", 4_794):
        "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
    ("en/en_US/joe/medium/MODEL_CARD", 280):
        "d38223ba9381592ee7aeee49da1b61047121db1ad1761973ce0b88ff3e14041b",
}

# Entries listed even before the catalogue was fetched (sizes and md5s as voices.json has
# them), so `briefing voices` offline shows where to start.
PIPER_BUILTIN: dict[str, Any] = {
    "en_US-joe-medium": {
        "key": "en_US-joe-medium", "language": {"code": "en_US"}, "quality": "medium",
        "files": {
            "en/en_US/joe/medium/en_US-joe-medium.onnx":
                {"size_bytes": 63201294, "md5_digest": "74fd6a4dc39e0aa9dce145d7f5acd4f6"},
            "en/en_US/joe/medium/en_US-joe-medium.onnx.json":
                {"size_bytes": 4794, "md5_digest": "811036b9c1451545f9495fdc1baa0754"},
            "en/en_US/joe/medium/MODEL_CARD":
                {"size_bytes": 280, "md5_digest": "7d25cb111aa9699518764a1cb3943af1"},
        },
    },
    "en_US-lessac-medium": {
        "key": "en_US-lessac-medium", "language": {"code": "en_US"}, "quality": "medium",
        "files": {
            "en/en_US/lessac/medium/en_US-lessac-medium.onnx":
                {"size_bytes": 63201294, "md5_digest": "2fc642b535197b6305c7c8f92dc8b24f"},
            "en/en_US/lessac/medium/en_US-lessac-medium.onnx.json":
                {"size_bytes": 7010, "md5_digest": "46e565a656f76b42b588d822025ed439"},
            "en/en_US/lessac/medium/MODEL_CARD":
                {"size_bytes": 351, "md5_digest": "42f2dd4a98149e12fc70b301d9579dfd"},
        },
    },
}

# Kokoro's release files (no published checksum): sizes and SHA-256s pinned here. The
# int8 model is the packaged one's bytes, verified; the voices file agrees with several
# independent pins.
KOKORO_RELEASE: dict[str, tuple[int, str]] = {
    packages.KOKORO_MODEL_NAME: (packages.KOKORO_MODEL_SIZE, packages.KOKORO_MODEL_SHA256),
    "voices-v1.0.bin": (28_214_398,
                        "bca610b8308e8d99f32e6fe4197e7ec01679264efed0cac9140fe9c29f1fbf7d"),
}
KOKORO_VOICES_FILE = "voices-v1.0.bin"
# The styles in voices-v1.0.bin (hexgrad's list). Japanese and Chinese ones need a G2P
# briefing does not have for their own languages; they read English well enough.
KOKORO_VOICES = (
    "af_heart", "af_alloy", "af_aoede", "af_bella", "af_jessica", "af_kore", "af_nicole",
    "af_nova", "af_river", "af_sarah", "af_sky", "am_adam", "am_echo", "am_eric", "am_fenrir",
    "am_liam", "am_michael", "am_onyx", "am_puck", "am_santa", "bf_alice", "bf_emma",
    "bf_isabella", "bf_lily", "bm_daniel", "bm_fable", "bm_george", "bm_lewis", "jf_alpha",
    "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo", "zf_xiaobei", "zf_xiaoni",
    "zf_xiaoxiao", "zf_xiaoyi", "zm_yunjian", "zm_yunxi", "zm_yunxia", "zm_yunyang", "ef_dora",
    "em_alex", "em_santa", "ff_siwis", "hf_alpha", "hf_beta", "hm_omega", "hm_psi", "if_sara",
    "im_nicola", "pf_dora", "pm_alex", "pm_santa",
)


def cached_catalogue_path() -> Path:
    from briefing import paths

    return paths.cache_dir() / "catalogues" / "piper-voices.json"


def piper_catalogue(fetched: dict[str, Any] | None = None) -> dict[str, Any]:
    """The catalogue given, else the last one fetched, else the few entries built in."""
    if fetched is not None:
        return fetched
    try:
        data = json.loads(cached_catalogue_path().read_text(encoding="utf-8"))
        if isinstance(data, dict) and data:
            return data
    except (OSError, ValueError):
        pass
    return PIPER_BUILTIN


def piper_offers(catalogue: dict[str, Any], catalogue_url: str = "") -> list[Offer]:
    """Offers from a voices.json: its files are beside it (`resolve/main/<path>`)."""
    from briefing.tts.library.folder import LESSAC_NOTE

    base = (catalogue_url or PIPER_CATALOGUE).rsplit("/", 1)[0] + "/"
    offers = []
    for key, entry in sorted(catalogue.items()):
        if not isinstance(entry, dict) or not isinstance(entry.get("files"), dict):
            continue
        files = []
        for path, meta in entry["files"].items():
            size = int(meta.get("size_bytes") or 0)
            files.append(RemoteFile(
                name=path.rsplit("/", 1)[-1], url=base + path, size=size,
                md5=str(meta.get("md5_digest") or ""), sha256=PIPER_SHA256.get((path, size), ""),
            ))
        code = str((entry.get("language") or {}).get("code") or key.split("-")[0])
        note = {"en_US-joe-medium": LESSAC_NOTE,
                "en_US-lessac-medium": "its dataset licence is research-only"}.get(key, "")
        offers.append(Offer(id=key, engine="piper", language=code.lower().replace("_", "-"),
                            quality=str(entry.get("quality", "")), folder=key,
                            files=tuple(files), note=note))
    return offers


def kokoro_offers(files_url: str = "", *, need_model: bool | None = None) -> list[Offer]:
    """Each Kokoro voice comes with the voices file, and the model when none is installed."""
    from briefing.tts.library.folder import kokoro_language

    base = (files_url or KOKORO_FILES).rstrip("/") + "/"
    if need_model is None:
        need_model = packages.kokoro_model() is None
    wanted = [KOKORO_VOICES_FILE, *([packages.KOKORO_MODEL_NAME] if need_model else [])]
    files = tuple(RemoteFile(name, base + name, KOKORO_RELEASE[name][0],
                             sha256=KOKORO_RELEASE[name][1]) for name in wanted)
    note = f"one {files[0].size / 1e6:.0f} MB file brings all {len(KOKORO_VOICES)} Kokoro voices"
    return [Offer(id=name, engine="kokoro", language=kokoro_language(name), quality="int8",
                  folder=KOKORO_FOLDER, files=files, licence=packages.KOKORO_LICENCE, note=note)
            for name in KOKORO_VOICES]


def known(engine: str, voice_id: str) -> bool:
    """Whether `voice_id` names a voice the engine's catalogue offers (or could)."""
    if engine == "kokoro":
        return voice_id in KOKORO_VOICES
    if engine == "piper":
        return voice_id in piper_catalogue() or bool(_PIPER_KEY.match(voice_id))
    return False


def piper_files_for(key: str, catalogue_url: str = "") -> str:
    """Where a voice's files are in the catalogue's tree, from its name (as piper does)."""
    base = (catalogue_url or PIPER_CATALOGUE).rsplit("/", 1)[0]
    match = _PIPER_KEY.match(key)
    if not match:
        return base
    lang = f"{match['family']}_{match['region']}"
    return f"{base}/{match['family']}/{lang}/{match['name']}/{match['quality']}/"
