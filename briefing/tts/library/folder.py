"""The user's voice folder: one sub-folder per voice (Piper) or voice pack (Kokoro)."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from briefing.tts.library import InstalledVoice, recorded

# Piper names its voices <lang>_<REGION>-<name>-<quality>; older configs lack the fields
_PIPER_NAME = re.compile(r"^(?P<lang>[a-z]{2,3})_(?P<region>[A-Za-z0-9]+)-(?P<name>.+)"
                         r"-(?P<quality>x_low|low|medium|high)$")
KOKORO_RATE = 24000  # every Kokoro-82M voice
LESSAC_NOTE = ("fine-tuned from lessac, whose dataset licence is research-only "
               "(fine for trying; check before publishing)")


def scan(root: Path) -> Iterator[InstalledVoice]:
    """Every complete voice under `root` (a folder missing its model or config is skipped)."""
    try:
        folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return
    for folder in folders:
        yield from piper_voices(folder, f"folder {folder}")
        yield from kokoro_voices(folder, f"folder {folder}")


def card_licence(folder: Path) -> tuple[str, str]:
    """(licence line, note) from a Piper MODEL_CARD: shown verbatim, never classified."""
    try:
        card = (folder / "MODEL_CARD").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "unknown: no MODEL_CARD in the voice's folder", ""
    licence = next((ln.split(":", 1)[1].strip() for ln in card.splitlines()
                    if ln.strip().lstrip("*- ").lower().startswith("license:")), "see MODEL_CARD")
    note = ""
    tuned = next((ln.strip().lstrip("*- ") for ln in card.splitlines()
                  if "finetuned from" in ln.lower() or "fine-tuned from" in ln.lower()), "")
    if "lessac" in tuned.lower():
        note = LESSAC_NOTE
    elif tuned:
        note = tuned
    return licence, note


def piper_voices(folder: Path, source: str, *, licence: str = "", sha256: str = "",
                 note: str = "") -> Iterator[InstalledVoice]:
    files = recorded(folder)
    for model in sorted(folder.glob("*.onnx")):
        config = model.with_name(model.name + ".json")
        if not config.is_file() or model.name.startswith("kokoro"):
            continue
        try:
            data = json.loads(config.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not a Piper config: doctor and --voice say so when it is asked for
        if not isinstance(data, dict) or "phoneme_id_map" not in data:
            continue
        audio = data.get("audio") or {}
        match = _PIPER_NAME.match(model.stem)
        named = f"{match['lang']}_{match['region']}" if match else ""
        code = (data.get("language") or {}).get("code") or named or (
            data.get("espeak", {}).get("voice", ""))
        quality = audio.get("quality") or (match["quality"] if match else "")
        card, card_note = card_licence(folder)
        entry = files.get(model.name) or {}
        yield InstalledVoice(
            id=model.stem, engine="piper", language=str(code).lower().replace("_", "-"),
            quality=str(quality), sample_rate=int(audio.get("sample_rate") or 22050),
            model=model, data=config, licence=licence or card, source=source,
            sha256=sha256 or str(entry.get("sha256") or ""), note=note or card_note,
        )


def style_names(voices_file: Path) -> list[str]:
    """The voice names in a Kokoro voices file (an npz, a zip of NAME.npy), without numpy."""
    try:
        with zipfile.ZipFile(voices_file) as z:
            return sorted(n.removesuffix(".npy") for n in z.namelist() if n.endswith(".npy"))
    except (OSError, zipfile.BadZipFile):
        return []


def kokoro_language(name: str) -> str:
    """Kokoro's first letter is the language: a American, b British English, j Japanese..."""
    return {"a": "en-us", "b": "en-gb", "e": "es", "f": "fr-fr", "h": "hi", "i": "it",
            "p": "pt-br", "j": "ja", "z": "zh"}.get(name[:1], "en-us")


def kokoro_voices(folder: Path, source: str, *, model: Path | None = None,
                  licence: str = "", sha256: str = "") -> Iterator[InstalledVoice]:
    """A Kokoro pack: `kokoro*.onnx` and `voices*.bin`/`*.npz`; the model may come from
    the packaged one (same Kokoro-82M v1.0) when the folder holds only voices."""
    from briefing.tts.library import packages

    styles = sorted([*folder.glob("voices*.bin"), *folder.glob("*.npz")])
    if not styles:
        return
    files = recorded(folder)
    models = sorted(folder.glob("kokoro*.onnx"))
    if model is None and models:
        model = models[0]
        sha256 = sha256 or str((files.get(model.name) or {}).get("sha256") or "")
    if model is None:
        packaged = packages.kokoro_model()
        if packaged is None:
            return
        model, sha256 = packaged
    quality = "int8" if "int8" in model.name else "fp16" if "fp16" in model.name else "fp32"
    licence = licence or _folder_licence(folder) or "Apache-2.0 (Kokoro-82M weights and voices)"
    for voices_file in styles:
        for name in style_names(voices_file):
            yield InstalledVoice(
                id=name, engine="kokoro", language=kokoro_language(name), quality=quality,
                sample_rate=KOKORO_RATE, model=model, data=voices_file, licence=licence,
                source=source, sha256=sha256,
                note="a Japanese voice: reads English through espeak-ng's English phonemes"
                if name.startswith("j") else "",
            )


def _folder_licence(folder: Path) -> str:
    for name in ("LICENSE", "LICENCE", "MODEL_CARD"):
        try:
            first = (folder / name).read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            continue
        return first.splitlines()[0][:80] if first else ""
    return ""
