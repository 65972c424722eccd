"""Which voice says which line: the host's and the reader's, a story's own language, and checks."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from briefing.errors import NoVoiceError, VoiceNotFoundError
from briefing.models import Article, Line, Script, Voice

if TYPE_CHECKING:
    from briefing.config import Config
    from briefing.tts.base import Synthesizer, VoiceInfo

log = logging.getLogger(__name__)


def script_voices(config: Config) -> tuple[Voice, Voice]:
    """The host's voice and the reader's voice."""
    from briefing import tts

    # each voice names its engine: a Markdown script keeps it (`piper:en_US-joe-medium`)
    host = Voice(config.host_voice or tts.default_voice(config, "host"), config.host_rate,
                 config.host_pitch, config.hosts_engine)
    reader = Voice(config.voice or tts.default_voice(config, "reader"), config.rate,
                   config.pitch, config.engine)
    return host, reader


def voice_for(line: Line, script: Script) -> Voice:
    """The host speaks the briefing's language; a story in another language gets its own voice."""
    voice = script.host if line.role == "host" else script.reader
    base = _base_language(voice.id)
    # the briefing's own language is the reader's, whatever its voice is named (af_heart)
    if line.language and line.language not in (base, script.language) and line.role == "reader":
        return replace(voice, id=line.language)
    return voice


def first_voices(config: Config) -> list[Voice]:
    """The engines a briefing's lanes first ask for: the reader's (on each of two lanes,
    it has most of the lines), then the host's."""
    from briefing.tts.lanes import default_jobs

    host, reader = script_voices(config)
    return [reader, host, reader][: max(2, default_jobs() + 1)]


def language_voice(language: str, voices: Sequence[VoiceInfo]) -> str | None:
    """The id of the engine's voice for `language`, looked up in every voice's languages
    (espeak-ng's `sit/cmn` lists `zh`), or None when no voice speaks it."""
    wanted = language.strip().lower()
    if not wanted:
        return None
    named = [v for v in voices if v.id.lower().rsplit("/", 1)[-1] == wanted]
    listing = named or [v for v in voices if wanted in (lang.lower() for lang in v.languages)]
    # a voice reading the language's own script before one reading a romanisation
    # (sit/cmn before sit/cmn-Latn-pinyin); otherwise the engine's order
    listing.sort(key=lambda v: "-latn" in v.id.lower())
    return listing[0].id.rsplit("/", 1)[-1] if listing else None


def latin_letters(text: str, sample: int = 2000) -> float:
    """The share of the letters in `text` that are Latin script (1.0 for no letters)."""
    letters = [c for c in text[:sample] if c.isalpha()]
    if not letters:
        return 1.0
    return sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN")) / len(letters)


# Below this share of Latin letters the reader's voice cannot read a story: an English
# voice spelled a line of Chinese out character by character for 219 s.
READABLE_LATIN = 0.5


def no_voice_message(language: str, engine: str, title: str) -> str:
    about = f" ({title!r})" if title else ""
    return (f"no {engine} voice speaks {language!r}, the language of a story{about}: "
            f"leave that source out, or install a voice for it (`briefing voices` lists them)")


def speakable(articles: Sequence[Article], config: Config) -> list[Article]:
    """The articles some voice can read: in the reader's language, in a language the engine
    has a voice for, or in Latin script (the reader reads it); one warning line for each
    article left out. NoVoiceError when none is left."""
    from briefing import tts

    _, reader = script_voices(config)
    base = _base_language(reader.id)
    foreign = {a.language for a in articles if a.language and a.language != base}
    if not foreign:
        return list(articles)
    synth = tts.engine_synthesizer(reader.engine or config.engine, config)
    try:
        voices = synth.voices()
        name = synth.name
    finally:
        synth.close()
    kept: list[Article] = []
    for article in articles:
        lang = article.language
        if (lang in (base, "") or language_voice(lang, voices) is not None
                or latin_letters(article.text) >= READABLE_LATIN):
            kept.append(article)
            continue
        log.warning("skipping %s: %s", article.source or article.title or "a story",
                    no_voice_message(lang, name, article.title))
    if not kept:
        first = next(a for a in articles if a.language in foreign)
        raise NoVoiceError(no_voice_message(first.language, name, first.title))
    return kept


def _base_language(voice_id: str) -> str:
    return voice_id.split("+")[0].split("/")[-1].split("-")[0].lower()


def usable(
    items: Sequence[tuple[str, Voice]], script: Script, synth: Synthesizer
) -> list[tuple[str, Voice]]:
    """`items` with every voice checked: a story's language is found among every voice's
    languages; with no voice for it, a story in Latin script is read by the reader and any
    other is an error (NoVoiceError, one line); a voice the user chose that does not exist
    is an error too."""
    from briefing import tts

    _say_unused_pitch(script, synth)
    checked: dict[Voice, Voice] = {}
    for voice in {voice for _, voice in items}:
        try:
            tts.resolve_voice(tts.engine_for(synth, voice), voice.id)
            checked[voice] = voice
        except VoiceNotFoundError:
            if voice in (script.host, script.reader):
                raise  # the user chose it: say so
            found = language_voice(voice.id, synth.voices())
            if found is not None:
                checked[voice] = replace(voice, id=found)
                continue
            texts = " ".join(text for text, v in items if v == voice)
            if latin_letters(texts) < READABLE_LATIN:
                title = next((s.title for s in script.sections for ln in s.lines
                              if ln.role == "reader" and ln.language == voice.id), "")
                raise NoVoiceError(no_voice_message(voice.id, synth.name, title)) from None
            log.warning("no %r voice for a story; the reader's voice reads it", voice.id)
            checked[voice] = script.reader
    return [(text, checked[voice]) for text, voice in items]


def _say_unused_pitch(script: Script, synth: Synthesizer) -> None:
    """One warning when a pitch other than the default was asked of an engine without one."""
    from briefing import tts
    from briefing.config import Config

    defaults = Config()
    for role, voice, default in (("reader", script.reader, defaults.pitch),
                                 ("host", script.host, defaults.host_pitch)):
        engine = tts.engine_for(synth, voice)
        if voice.pitch != default and not getattr(engine, "honours_pitch", True):
            key = "pitch" if role == "reader" else "host_pitch"
            log.warning("%s = %d is not used: %s voices have no pitch setting (espeak-ng "
                        "and pyttsx3 have)", key, voice.pitch, engine.name)

