"""Speech: the synthesizer registry, voice checks, measured speaking speed, engine facts."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from briefing.errors import EngineError, VoiceNotFoundError

if TYPE_CHECKING:
    from briefing.models import Voice
    from briefing.tts.base import Synthesizer, VoiceInfo

# Nothing heavy is imported here: every speech worker process imports this package first.

__all__ = [
    "Synthesizer",
    "VoiceInfo",
    "engine_info",
    "get_synthesizer",
    "known_synthesizers",
    "resolve_voice",
    "words_per_minute",
]

ENTRY_POINT_GROUP = "briefing.synthesizers"

# Registered here as well as in pyproject's entry points, so the built-ins work from
# a source checkout without installed metadata.
BUILTINS: dict[str, str] = {
    "pyttsx3": "briefing.tts.backends.pyttsx3:Pyttsx3Synthesizer",
    "espeak-ng": "briefing.tts.backends.espeak:EspeakSynthesizer",
}


def known_synthesizers() -> dict[str, str]:
    """Name -> "module:attribute" for every synthesizer: built-ins, then plugins."""
    from importlib import metadata  # ~20 ms to import: only when plugins are looked for

    known = dict(BUILTINS)
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        known.setdefault(ep.name, ep.value)
    return known


def get_synthesizer(name: str = "pyttsx3", **kwargs: Any) -> Synthesizer:
    """Build the synthesizer registered under `name`, passing `kwargs` to its constructor."""
    # a built-in needs no scan of every installed package's entry points (~20 ms)
    target = BUILTINS.get(name)
    if target is None:
        known = known_synthesizers()
        target = known.get(name)
    if target is None:
        raise EngineError(
            f"unknown speech engine {name!r}: choose one of {', '.join(sorted(known))}"
        )
    module_name, _, attr = target.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise EngineError(f"speech engine {name!r} ({target}) could not be loaded: {exc}") from exc
    synth: Synthesizer = factory(**kwargs)
    return synth


def _suggest(wanted: str, voices: list[VoiceInfo], limit: int = 8) -> list[str]:
    import difflib

    from briefing.tts import calibrate

    names = [v.id.rsplit("/", 1)[-1] for v in voices]
    by_lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(
        wanted.lower(), [n.lower() for n in names], n=limit, cutoff=0.5
    )
    lang = calibrate.language_of(wanted)
    same_language = [n for n in names if n.lower().split("-", 1)[0] == lang]
    out: list[str] = []
    for n in [*(by_lower[c] for c in close), *same_language, *names]:
        if n not in out:
            out.append(n)
    return out[:limit]


def resolve_voice(synth: Synthesizer, voice_id: str) -> str:
    """Check `voice_id` exists in `synth` and return the id to ask the engine for.

    Accepts an id (`gmw/en-US`), its last part (`en-us`) or a voice name, plus an
    optional `+variant` (`en-us+f3`). pyttsx3 silently keeps its old voice on a bad id,
    so this check is ours: VoiceNotFoundError lists some voices that do exist.
    """
    voices = synth.voices()
    if not voices:
        raise EngineError(
            f"{synth.name} offers no voices at all: its voice data is missing; reinstall it "
            "(apt-get install espeak-ng-data, or pip install --force-reinstall espeakng-loader) "
            "and run `briefing doctor`"
        )
    base, plus, variant = voice_id.strip().partition("+")
    wanted = base.lower()
    match = None
    for v in voices:
        if wanted in (v.id.lower(), v.id.lower().rsplit("/", 1)[-1]):
            match, resolved = v, base
            break
        if wanted == v.name.lower():
            match, resolved = v, v.id.rsplit("/", 1)[-1]
            break
    if match is None:
        raise VoiceNotFoundError(
            f"{synth.name} has no voice {voice_id!r}; some that exist: "
            f"{', '.join(_suggest(base, voices))} (all: `briefing voices`)"
        )
    if plus:
        list_variants = getattr(synth, "variants", None)
        known = list(list_variants()) if list_variants is not None else []
        if known and variant.lower() not in {k.lower() for k in known}:
            female = [k for k in known if k.lower() in {"f1", "f2", "f3", "f4", "f5"}]
            raise VoiceNotFoundError(
                f"{synth.name} has no voice variant {variant!r} (in {voice_id!r}); "
                f"variants include {', '.join(female + [k for k in known if k not in female][:6])}"
            )
        return f"{resolved}+{variant}"
    return resolved


def words_per_minute(synth: Synthesizer, voice: Voice) -> float:
    """MEASURED words per minute of `voice` (rate and pitch included) on `synth`.

    Synthesizes a fixed ~150-word passage (in the voice's language when we have one)
    and divides by the WAV's length; cached per engine, version, voice, rate and pitch
    under the cache folder, so each machine measures once.
    """
    # A bad id must fail here with the list of voices that exist, not deep in an engine
    resolve_voice(synth, voice.id)
    version = str(getattr(synth, "version", ""))
    # a backend that verifies against this very figure offers an unverified path
    synthesize = getattr(synth, "synthesize_unverified", synth.synthesize)
    from briefing.tts import calibrate

    return calibrate.measured_wpm(synth.name, version, voice, synthesize)


def chars_per_minute(synth: Synthesizer, voice: Voice) -> float:
    """The measured speaking rate in characters of text per minute.

    Long words take longer to say: news prose runs at ~7 characters a word once numbers
    and acronyms are spelled out, the calibration passage at ~5.5, so characters predict a
    segment's length far better (within ~4% here) than words do (~30% short).
    """
    from briefing.tts import calibrate

    passage = calibrate.passage_for(voice.id)
    return words_per_minute(synth, voice) * len(passage) / len(passage.split())


def engine_info() -> dict[str, str]:
    """Which libespeak-ng is in use (system or espeakng-loader), where, and its version."""
    from importlib import metadata

    from briefing.tts.backends import espeak_lib

    info = espeak_lib.info()
    try:
        info["pyttsx3"] = metadata.version("pyttsx3")
    except metadata.PackageNotFoundError:
        info["pyttsx3"] = "not installed"
    return info


def __getattr__(name: str) -> Any:
    """`Synthesizer` and `VoiceInfo`, imported when first asked for."""
    if name in ("Synthesizer", "VoiceInfo"):
        from briefing.tts import base

        return getattr(base, name)
    raise AttributeError(f"module 'briefing.tts' has no attribute {name!r}")
