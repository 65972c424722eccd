"""The one module that knows the order: sources -> clean -> summarize -> script -> speech -> MP3.

`make_episode` runs every stage; the CLI's `make`, the Python API and `daily` call it.
`render` is the back half alone (speech -> audio -> files), for a script edited by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from briefing.config import Config, load_config
from briefing.errors import EmptyArticleError
from briefing.models import Article, Episode, Script, Segment, Story, Voice
from briefing.script import Pauses
from briefing.tts.base import Synthesizer
from briefing.tts.cache import SegmentCache

T = TypeVar("T")
Progress = Callable[[Iterable[T], int, str], Iterable[T]]


def _no_progress(items: Iterable[T], length: int, label: str) -> Iterable[T]:
    return items


@dataclass(frozen=True)
class Plan:
    """What `script` and `make` share: the cleaned articles and the script to speak."""

    articles: tuple[Article, ...]
    script: Script


@dataclass(frozen=True)
class Made:
    """A finished run: the plan that was spoken and the episode on disk."""

    plan: Plan
    episode: Episode


# --- the front half: sources -> clean -> summarize -> script ----------------------------------


def read_articles(
    sources: Sequence[str], config: Config, *, stdin: Any = None
) -> tuple[Article, ...]:
    """Load every source (stories in order) and repair the scraped text."""
    from briefing.clean import clean
    from briefing.sources import load

    articles: list[Article] = []
    for source in sources:
        for article in load(
            source, max_stories=config.max_stories, offline=config.offline, stdin=stdin
        ):
            cleaned = clean(article)
            if cleaned.text.strip():
                articles.append(cleaned)
    if not articles:
        raise EmptyArticleError("no article text found in the sources given")
    return tuple(articles)


def script_pauses(config: Config) -> Pauses:
    return Pauses(config.pause_sentence_ms, config.pause_paragraph_ms, config.pause_story_ms)


def plan(
    articles: Sequence[Article],
    config: Config,
    *,
    date: dt.date | None = None,
    chars_per_minute: Callable[[Voice], float] | None = None,
) -> Plan:
    """Choose the sentences that fit the time asked for, and write the script around them."""
    from briefing.script import paragraph_breaks, write_script
    from briefing.script.budget import story_word_budget
    from briefing.summarize import summarize_articles
    from briefing.tts.calibrate import rate_meter
    from briefing.tts.voices import script_voices

    date = date or dt.date.today()
    host, reader = script_voices(config)
    rate = chars_per_minute or rate_meter(config)
    pauses = script_pauses(config)

    def script_for(chosen: Sequence[Sequence[str]]) -> Script:
        stories = [
            Story(a, tuple(s), paragraph_breaks(a.text, s))
            for a, s in zip(articles, chosen, strict=True)
            if s
        ]
        return write_script(stories, show=config.title, date=date, language=config.language,
                            host=host, reader=reader, pauses=pauses)

    # the host's lines do not depend on which sentences are chosen: measure them once
    lead_only = [[a.text.split(".")[0]] for a in articles]
    host_lines = [ln.text for ln in script_for(lead_only).lines if ln.role == "host"]
    budget = story_word_budget(config, host_lines, [a.text for a in articles], rate,
                               languages=[a.language for a in articles])
    chosen = summarize_articles(
        [a.text for a in articles], budget,
        titles=[a.title for a in articles], languages=[a.language for a in articles],
        fill=True,  # the listener asked for this many minutes
    )
    return Plan(tuple(articles), script_for(chosen))


# --- the back half: speech -> audio -> files ----------------------------------------------------


def speech_items(script: Script, config: Config) -> list[tuple[str, Voice]]:
    """Each line as it will be spoken (for the ear, lexicon applied) and the voice for it."""
    from briefing.speech import for_ear, user_lexicon
    from briefing.tts.voices import voice_for

    lexicon = user_lexicon(config.lexicon_file, config.lexicon)
    return [(for_ear(ln.text, ln.language, lexicon), voice_for(ln, script)) for ln in script.lines]


def _spoken(
    script: Script,
    items: Sequence[tuple[str, Voice]],
    workdir: Path,
    config: Config,
    synth: Synthesizer,
    cache: SegmentCache | None,
    progress: Progress[Any],
) -> Iterator[Segment]:
    from briefing import tts
    from briefing.tts.lanes import default_jobs, synthesize_lines
    from briefing.tts.wavfile import duration_s

    wavs: Iterator[Path] = synthesize_lines(
        items, workdir, synth, cache=cache, jobs=default_jobs(),
        new_synth=lambda: tts.for_config(config),
    )
    for line, wav in zip(script.lines, progress(wavs, len(items), "Speaking"), strict=True):
        yield Segment(line, wav, duration_s(wav) * 1000)


def speak_lines(
    script: Script,
    workdir: Path,
    config: Config,
    *,
    progress: Progress[Any] = _no_progress,
    use_cache: bool = True,
) -> Iterator[Segment]:
    """Segments in order, as they are spoken: cached ones at once, the rest on every core."""
    from briefing import tts
    from briefing.tts.cache import segment_cache
    from briefing.tts.voices import usable

    synth = tts.for_config(config)
    try:
        items = usable(speech_items(script, config), script, synth)
        yield from _spoken(script, items, workdir, config, synth, segment_cache(use_cache),
                           progress)
    finally:
        synth.close()


def render(
    script: Script,
    config: Config,
    *,
    output: Path | None = None,
    sources: Sequence[str] = (),
    progress: Progress[Any] = _no_progress,
    use_cache: bool = True,
) -> Episode:
    """Speak the script and write the finished episode and its sidecars, atomically.

    `use_cache=False` (or BRIEFING_NO_CACHE=1) speaks and encodes every line afresh.
    """
    from briefing import tts
    from briefing.audio import ffmpeg, layout
    from briefing.audio.episode import make_audio
    from briefing.publish import episode as published
    from briefing.publish import files
    from briefing.tts.cache import segment_cache
    from briefing.tts.lanes import default_jobs
    from briefing.tts.voices import usable
    from briefing.tts.warm import prepare, start_for_uncached

    synth = tts.for_config(config)
    try:
        # Most lines, so most edits, are the reader's: its engine starts before the lines
        # are even looked up (if none is new, it is stopped unused at the end).
        prepare(synth, [script.reader])
        items = speech_items(script, config)
        cache = segment_cache(use_cache)
        # the engines come up while the rest gets ready (voices checked, folders, imports)
        new_lines = start_for_uncached(items, synth, cache)
        items = usable(items, script, synth)
        ffmpeg.find_ffmpeg()  # missing ffmpeg should fail now, not after all the speaking
        dest = output or published.destination(script, config.output_dir)
        published.check_destination(dest)
        files.sweep_staging(dest.parent)
        with files.staging(dest.parent) as tmp:
            mp3 = tmp / "episode.mp3"
            spoken = _spoken(script, items, tmp / "segments", config, synth, cache, progress)
            timeline, loudness, segments = make_audio(
                spoken, script, mp3, tmp, config, cache=cache, jobs=default_jobs(),
                expect_new=new_lines)
            return published.write_episode(
                tmp, mp3, dest, script, chapters=layout.chapters(script, timeline),
                cues=layout.cues(script, timeline), duration_ms=timeline.duration_ms,
                segments=segments, loudness=loudness, sources=sources, config=config)
    finally:
        synth.close()


# --- the whole run ------------------------------------------------------------------------------


def make_episode(
    config: Config,
    *,
    sources: Sequence[str] = (),
    articles: Sequence[Article] | None = None,
    date: dt.date | None = None,
    output: Path | None = None,
    stdin: Any = None,
    published_sources: Sequence[str] | None = None,
    progress: Progress[Any] = _no_progress,
    use_cache: bool = True,
) -> Made:
    """Every stage in order: read `sources` (or take `articles` already read), plan, render.

    Speech engines start first, in the background, so they are up by the time the script
    is written. `published_sources` names the sources in the episode's files when they are
    not `sources` (a daily run names its configured feeds).
    """
    from briefing.tts.voices import first_voices
    from briefing.tts.warm import engines_started

    with engines_started(config, first_voices(config), date=date, use_cache=use_cache):
        found = tuple(articles) if articles is not None else read_articles(
            sources, config, stdin=stdin)
        the_plan = plan(found, config, date=date)
        episode = render(the_plan.script, config, output=output,
                         sources=sources if published_sources is None else published_sources,
                         progress=progress, use_cache=use_cache)
    return Made(the_plan, episode)


def make_briefing(
    sources: Sequence[str],
    *,
    output: Path | str | None = None,
    config: Config | None = None,
    date: dt.date | None = None,
    stdin: Any = None,
    progress: Progress[Any] = _no_progress,
    **overrides: Any,
) -> Episode:
    """Make a briefing MP3 from sources (paths, URLs, feeds, "-"), as `briefing make` does.

    `overrides` are Config fields (minutes=3, voice="en-gb"), applied over `config`
    (or over the layered config from files and BRIEFING_* variables when None).
    Returns the Episode: the MP3's path, duration, chapters, cues and sidecars.
    """
    config = config or load_config()
    if overrides:
        config = replace(config, **overrides)
    return make_episode(config, sources=sources, date=date, stdin=stdin,
                        output=Path(output) if output else None, progress=progress).episode
