"""Speech engines started ahead of need: a fresh engine process costs ~0.1 s to come up."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from briefing.errors import BriefingError
from briefing.models import Voice
from briefing.tts.base import Synthesizer
from briefing.tts.cache import SegmentCache

if TYPE_CHECKING:
    from briefing.config import Config


def prepare(synth: Synthesizer, voices: Sequence[Voice]) -> None:
    """Ask a backend to start engines for `voices` ahead of need, if it offers that."""
    start = getattr(synth, "prepare", None)
    if start is not None and voices:
        start(voices)


@contextmanager
def engines_started(engine: str | Config, voices: Sequence[Voice], *,
                    date: dt.date | None = None, use_cache: bool = True) -> Iterator[None]:
    """Start speech engines for `voices` now, in the background, for the lines to come.

    Started before the sources are read, an engine is ready on another core by the time
    the script is written. Engines no line took are stopped when the block ends. A backend
    without `prepare` starts nothing. Given a config, an engine that can (`speak_ahead`)
    also speaks the script's first line, known before any article is read, into the cache.
    """
    from briefing import tts

    synth = tts.get_synthesizer(engine) if isinstance(engine, str) else tts.for_config(engine)
    ahead: threading.Thread | None = None
    try:
        prepare(synth, voices)
        if not isinstance(engine, str) and use_cache:
            ahead = _speak_first_line(synth, engine, date or dt.date.today())
        yield
    finally:
        synth.close()  # a first line still being spoken is abandoned with its engine
        if ahead is not None:
            ahead.join(timeout=5)


def first_line(config: Config, date: dt.date) -> tuple[str, Voice]:
    """The host's welcome, for the ear, as the script will have it: it depends only on the
    show, the date and the language."""
    from briefing.script.write import spoken_date, words_for
    from briefing.speech.lexicon import user_lexicon
    from briefing.speech.memo import for_ear_lines
    from briefing.tts.voices import script_voices

    host, _ = script_voices(config)
    text = words_for(config.language).welcome.format(
        show=config.title, date=spoken_date(date, config.language))
    language = config.language.split("-")[0].lower()
    lexicon = user_lexicon(config.lexicon_file, config.lexicon)
    return for_ear_lines([(text, language)], lexicon)[0], host


def _speak_first_line(synth: Synthesizer, config: Config,
                      date: dt.date) -> threading.Thread | None:
    """Speak the first line into the segment cache on an engine started ahead, while the
    articles are read: a neural engine's first sentence costs 0.3-3 CPU-s."""
    from briefing import tts
    from briefing.tts.cache import segment_cache
    from briefing.tts.lanes import segment_key

    cache = segment_cache()
    try:
        text, voice = first_line(config, date)
        engine = tts.engine_for(synth, voice)
        speak = getattr(engine, "speak_ahead", None)
        if cache is None or speak is None:
            return None
        key = segment_key(text, voice, synth)
    except BriefingError:
        return None  # a voice that is missing is said when the script is spoken
    if cache.path(key, ".wav").exists():
        return None
    thread = threading.Thread(target=speak, args=(text, voice, cache, key), daemon=True,
                              name="speak-ahead")
    thread.start()
    return thread


def start_for_uncached(
    items: Sequence[tuple[str, Voice]], synth: Synthesizer, cache: SegmentCache | None
) -> int:
    """Start, in the background, the engines the lanes will first need for lines not in the
    cache; return how many lines are not in the cache."""
    from briefing.tts.lanes import default_jobs, segment_key

    missing: dict[Voice, int] = {}
    for text, voice in items:
        if cache is None or not cache.path(segment_key(text, voice, synth), ".wav").exists():
            missing[voice] = missing.get(voice, 0) + 1
    lanes = min(default_jobs(), sum(missing.values()))
    by_need = sorted(missing, key=lambda v: -missing[v])
    wanted = by_need[:lanes]
    if by_need and missing[by_need[0]] > 1:
        wanted += [by_need[0]] * (lanes - len(wanted))  # spare lanes share the busiest voice
    prepare(synth, wanted)
    return sum(missing.values())
