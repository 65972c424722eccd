"""Speech: the synthesizer registry, voice checks, measured speaking speed, engine facts."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from briefing.errors import EngineError, VoiceNotFoundError
from briefing.models import Voice

if TYPE_CHECKING:
    from briefing.config import Config
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
    "piper": "briefing.tts.backends.piper:PiperSynthesizer",
    "kokoro": "briefing.tts.backends.kokoro:KokoroSynthesizer",
}
# The built-in engines that need an optional extra, and the modules that extra brings.
EXTRAS: dict[str, tuple[str, ...]] = {"piper": ("piper", "onnxruntime"),
                                      "kokoro": ("kokoro_onnx", "onnxruntime")}
ESPEAK_ENGINES = ("pyttsx3", "espeak-ng")
# espeak-ng's voices when the config names none: a US reader, an RP host
ESPEAK_DEFAULTS = {"reader": "en-us", "host": "en-gb-x-rp"}


def known_synthesizers() -> dict[str, str]:
    """Name -> "module:attribute" for every synthesizer: built-ins, then plugins."""
    from importlib import metadata  # ~20 ms to import: only when plugins are looked for

    known = dict(BUILTINS)
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        known.setdefault(ep.name, ep.value)
    return known


def installed_engines() -> list[str]:
    """The engines that can run here: built-ins whose extra is installed, and plugins."""
    import importlib.util

    return sorted(name for name in known_synthesizers()
                  if all(importlib.util.find_spec(m) for m in EXTRAS.get(name, ())))


def get_synthesizer(name: str = "pyttsx3", **kwargs: Any) -> Synthesizer:
    """Build the synthesizer registered under `name`, passing `kwargs` to its constructor."""
    # a built-in needs no scan of every installed package's entry points (~20 ms)
    target = BUILTINS.get(name)
    if target is None:
        known = known_synthesizers()
        target = known.get(name)
    if target is None:
        missing = [e for e in EXTRAS if e not in installed_engines()]
        more = (f"; pip install {' or '.join(repr(f'briefing[{e}]') for e in missing)} "
                "adds the others" if missing else "")
        raise EngineError(
            f"unknown speech engine {name!r}: choose one of the installed "
            f"{', '.join(installed_engines())}{more}"
        )
    module_name, _, attr = target.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise EngineError(f"speech engine {name!r} ({target}) could not be loaded: {exc}") from exc
    synth: Synthesizer = factory(**kwargs)
    return synth


def engine_synthesizer(name: str, config: Config | None = None) -> Synthesizer:
    """The engine `name` set up from `config` (where its voices are installed)."""
    import inspect

    kwargs: dict[str, Any] = {}
    if config is not None and config.voices_dir:
        target = BUILTINS.get(name) or known_synthesizers().get(name, "")
        module_name, _, attr = target.partition(":")
        try:
            factory = getattr(importlib.import_module(module_name), attr)
            if "voices_dir" in inspect.signature(factory).parameters:
                kwargs["voices_dir"] = config.voices_dir
        except (ImportError, AttributeError, ValueError, TypeError):
            pass  # get_synthesizer says what is wrong
    return get_synthesizer(name, **kwargs)


def for_config(config: Config) -> Synthesizer:
    """The synthesizer a run speaks with: each line goes to its voice's engine (the host's
    may differ from the reader's), the config's `engine` for voices that name none."""
    from briefing.tts.mixed import EngineRouter

    return EngineRouter(config)


def engine_for(synth: Synthesizer, voice: Voice) -> Synthesizer:
    """The engine that speaks `voice` (a mixed synthesizer's part, else `synth` itself)."""
    pick = getattr(synth, "engine_for", None)
    return pick(voice) if pick is not None else synth


def default_voice(config: Config, role: str) -> str:
    """The voice id for `role` ("reader" or "host") when the config names none: espeak-ng's
    en-us and en-gb-x-rp, or what the engine picks among its installed voices."""
    engine = config.hosts_engine if role == "host" else config.engine
    if engine in ESPEAK_ENGINES:
        return ESPEAK_DEFAULTS[role]
    synth = engine_synthesizer(engine, config)
    try:
        pick = getattr(synth, "default_voice", None)
        return str(pick(role, config.language)) if pick is not None else ESPEAK_DEFAULTS[role]
    finally:
        synth.close()


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
    by_language = getattr(synth, "voices_by_language", False)
    if match is None and by_language and 2 <= len(wanted.split("-")[0]) <= 3 and "_" not in wanted:
        # a story's language ("de") on an engine whose voices have names: one that speaks it
        from briefing.tts.library import language_matches

        match = next((v for v in voices
                      if any(language_matches(wanted, lang) for lang in v.languages)), None)
        resolved = match.id if match is not None else base
    if match is None:
        installed = getattr(synth, "installed", None)
        if installed is not None:
            installed(base)  # a neural engine says how to download a voice it lacks
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
    from briefing.tts import calibrate

    synth = engine_for(synth, voice)
    # A bad id must fail here with the list of voices that exist, not deep in an engine
    resolve_voice(synth, voice.id)
    # a backend that verifies against this very figure offers an unverified path
    synthesize = getattr(synth, "synthesize_unverified", synth.synthesize)
    return calibrate.measured_wpm(synth.name, voice_version(synth, voice), voice, synthesize,
                                  calibration_passage(synth, voice))


def voice_version(synth: Synthesizer, voice: Voice) -> str:
    """What goes into cache keys besides the voice: the engine's version, and for an engine
    with model files, the model's SHA-256."""
    synth = engine_for(synth, voice)
    per_voice = getattr(synth, "voice_version", None)
    return str(per_voice(voice)) if per_voice is not None else str(getattr(synth, "version", ""))


def calibration_passage(synth: Synthesizer, voice: Voice) -> str:
    """The passage a voice's rate is measured on: in its language, cut short for a slow engine."""
    from briefing.tts import calibrate

    language = calibrate.language_of(voice.id)
    if language not in calibrate.PASSAGES:
        info = next((v for v in synth.voices() if v.id == voice.id), None)
        if info is not None and info.languages:
            language = calibrate.language_of(info.languages[-1])
    return calibrate.passage(language, getattr(synth, "calibration_words", None))


def chars_per_minute(synth: Synthesizer, voice: Voice) -> float:
    """The measured speaking rate in characters of text per minute.

    Long words take longer to say: news prose runs at ~7 characters a word once numbers
    and acronyms are spelled out, the calibration passage at ~5.5, so characters predict a
    segment's length far better (within ~4% here) than words do (~30% short).
    """
    passage = calibration_passage(engine_for(synth, voice), voice)
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
