"""Speech engines started ahead of need: a fresh engine process costs ~0.1 s to come up."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

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
def engines_started(engine: str | Config, voices: Sequence[Voice]) -> Iterator[None]:
    """Start speech engines for `voices` now, in the background, for the lines to come.

    Started before the sources are read, an engine is ready on another core by the time
    the script is written. Engines no line took are stopped when the block ends. A backend
    without `prepare` starts nothing.
    """
    from briefing import tts

    synth = tts.get_synthesizer(engine) if isinstance(engine, str) else tts.for_config(engine)
    try:
        prepare(synth, voices)
        yield
    finally:
        synth.close()


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
