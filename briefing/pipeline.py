"""The one module that knows the order: sources -> clean -> summarize -> script -> speech -> MP3."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from briefing.config import Config, load_config
from briefing.errors import EmptyArticleError, OutputError, VoiceNotFoundError
from briefing.models import Article, Episode, Line, Script, Segment, Story, Voice
from briefing.script import Pauses

T = TypeVar("T")
log = logging.getLogger(__name__)
Progress = Callable[[Iterable[T], int, str], Iterable[T]]

STINGER_AND_CHIME_S = 2.5  # intro + outro chimes and their gaps, in seconds, for the budget
AVERAGE_SENTENCE_WORDS = 22  # news prose; spreads each sentence's pause over its words
SEGMENT_OVERHEAD_S = 0.35  # measured: espeak's lead-in and trailing silence per segment


def _no_progress(items: Iterable[T], length: int, label: str) -> Iterable[T]:
    return items


@dataclass(frozen=True)
class Plan:
    """What `script` and `make` share: the cleaned articles and the script to speak."""

    articles: tuple[Article, ...]
    script: Script


def read_articles(
    sources: Sequence[str], config: Config, *, stdin: Any = None
) -> tuple[Article, ...]:
    """Load every source (stories in order) and repair the scraped text."""
    from briefing.clean import clean
    from briefing.sources import load

    articles: list[Article] = []
    for source in sources:
        for article in load(
            source, max_stories=config.max_stories, offline=config.offline, stdin=stdin,
            allow_private_links=config.allow_private_feed_links,
        ):
            cleaned = clean(article)
            if cleaned.text.strip():
                articles.append(cleaned)
    if not articles:
        raise EmptyArticleError("no article text found in the sources given")
    return tuple(articles)


def voices(config: Config) -> tuple[Voice, Voice]:
    """The host's voice and the reader's voice."""
    host = Voice(config.host_voice, config.host_rate, config.host_pitch)
    reader = Voice(config.voice, config.rate, config.pitch)
    return host, reader


def story_word_budget(
    config: Config,
    host_lines: Sequence[str],
    texts: Sequence[str],
    rate: Callable[[Voice], float],
) -> int:
    """How many words of story fit in the requested minutes, from measured speaking rates.

    `rate` gives a voice's measured characters per minute; lengths are predicted from the
    text as it will be spoken (numbers and acronyms spelled out).
    """
    from briefing.speech import for_ear

    host, reader = voices(config)
    seconds = config.minutes * 60 - STINGER_AND_CHIME_S
    seconds -= sum(len(for_ear(t)) * 60 / rate(host) + SEGMENT_OVERHEAD_S for t in host_lines)
    seconds -= len(texts) * config.pause_story_ms / 1000
    words = sum(len(t.split()) for t in texts) or 1
    spoken_chars_per_word = sum(len(for_ear(t)) for t in texts) / words
    per_word = (
        spoken_chars_per_word * 60 / rate(reader)
        + (config.pause_sentence_ms / 1000 + SEGMENT_OVERHEAD_S) / AVERAGE_SENTENCE_WORDS
    )
    return max(20, int(seconds / per_word))


def plan(
    articles: Sequence[Article],
    config: Config,
    *,
    date: dt.date | None = None,
    chars_per_minute: Callable[[Voice], float] | None = None,
) -> Plan:
    """Choose the sentences that fit the time asked for, and write the script around them."""
    from briefing.script import paragraph_breaks, write_script
    from briefing.summarize import summarize_articles

    date = date or dt.date.today()
    host, reader = voices(config)
    rate = chars_per_minute or measured_rate(config)
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
    budget = story_word_budget(config, host_lines, [a.text for a in articles], rate)
    chosen = summarize_articles(
        [a.text for a in articles], budget,
        titles=[a.title for a in articles], languages=[a.language for a in articles],
        fill=True,  # the listener asked for this many minutes
    )
    return Plan(tuple(articles), script_for(chosen))


def script_pauses(config: Config) -> Pauses:
    from briefing.script import Pauses

    return Pauses(config.pause_sentence_ms, config.pause_paragraph_ms, config.pause_story_ms)


def measured_rate(config: Config) -> Callable[[Voice], float]:
    """Characters per minute for a voice, measured once per machine (see tts.chars_per_minute).

    The engine starts only when a rate is not cached yet, and stops right after.
    """
    from briefing import tts

    known: dict[Voice, float] = {}

    def rate(voice: Voice) -> float:
        if voice not in known:
            synth = tts.get_synthesizer(config.synthesizer)
            try:
                known[voice] = tts.chars_per_minute(synth, voice)
            finally:
                synth.close()
        return known[voice]

    return rate


def voice_for(line: Line, script: Script) -> Voice:
    """The host speaks the briefing's language; a story in another language gets its own voice."""
    voice = script.host if line.role == "host" else script.reader
    base = voice.id.split("+")[0].split("/")[-1].split("-")[0].lower()
    if line.language and line.language != base and line.role == "reader":
        return replace(voice, id=line.language)
    return voice


@contextmanager
def speech_started(config: Config, voices: Sequence[Voice]) -> Iterator[None]:
    """Start speech engines for `voices` now, in the background, for the lines to come.

    An engine is a fresh process (~0.1 s of CPU to come up): started before the sources are
    read, it is ready on another core by the time the script is written. Engines no line
    took are stopped when the block ends. A backend without `prepare` starts nothing.
    """
    from briefing import tts

    synth = tts.get_synthesizer(config.synthesizer)
    try:
        _prepare(synth, voices)
        yield
    finally:
        synth.close()


def _prepare(synth: Any, voices: Sequence[Voice]) -> None:
    """Ask a backend to start engines for `voices` ahead of need, if it offers that."""
    prepare = getattr(synth, "prepare", None)
    if prepare is not None and voices:
        prepare(voices)


def first_voices(config: Config) -> list[Voice]:
    """The engines a briefing's lanes first ask for: the reader's (on each of two lanes,
    it has most of the lines), then the host's."""
    from briefing.tts.render import default_jobs

    host, reader = voices(config)
    return [reader, host, reader][: max(2, default_jobs() + 1)]


def _speech_items(script: Script, config: Config) -> list[tuple[str, Voice]]:
    """Each line as it will be spoken (for the ear, lexicon applied) and the voice for it."""
    from briefing.speech import for_ear, load_lexicon

    lexicon = load_lexicon(Path(config.lexicon_file) if config.lexicon_file else None)
    lexicon.update(config.lexicon)
    return [(for_ear(ln.text, ln.language, lexicon), voice_for(ln, script)) for ln in script.lines]


def _usable(
    items: Sequence[tuple[str, Voice]], script: Script, synth: Any
) -> list[tuple[str, Voice]]:
    """`items` with every voice checked: a story's language the engine cannot speak is read
    by the reader; a voice the user chose that does not exist is an error."""
    from briefing import tts

    usable: dict[Voice, Voice] = {}
    for voice in {voice for _, voice in items}:
        try:
            tts.resolve_voice(synth, voice.id)
            usable[voice] = voice
        except VoiceNotFoundError:
            if voice in (script.host, script.reader):
                raise  # the user chose it: say so
            log.warning("no %r voice for a story; the reader's voice reads it", voice.id)
            usable[voice] = script.reader
    return [(text, usable[voice]) for text, voice in items]


def _start_engines(items: Sequence[tuple[str, Voice]], synth: Any, cache: Any) -> int:
    """Start, in the background, the engines the lanes will first need for uncached lines;
    return how many lines are not in the cache."""
    from briefing.tts.render import default_jobs, segment_key

    missing: dict[Voice, int] = {}
    for text, voice in items:
        if cache is None or not cache.path(segment_key(text, voice, synth), ".wav").exists():
            missing[voice] = missing.get(voice, 0) + 1
    lanes = min(default_jobs(), sum(missing.values()))
    by_need = sorted(missing, key=lambda v: -missing[v])
    wanted = by_need[:lanes]
    if by_need and missing[by_need[0]] > 1:
        wanted += [by_need[0]] * (lanes - len(wanted))  # spare lanes share the busiest voice
    _prepare(synth, wanted)
    return sum(missing.values())


def _cache(use_cache: bool) -> Any:
    """The segment cache, unless the caller or BRIEFING_NO_CACHE turned it off."""
    from briefing.tts.cache import SegmentCache, cache_disabled

    return SegmentCache() if use_cache and not cache_disabled() else None


def _spoken(
    script: Script,
    items: Sequence[tuple[str, Voice]],
    workdir: Path,
    config: Config,
    synth: Any,
    cache: Any,
    progress: Progress[Any],
) -> Iterator[Segment]:
    from briefing import tts
    from briefing.tts.render import default_jobs, synthesize_lines
    from briefing.tts.wavfile import duration_s

    wavs: Iterator[Path] = synthesize_lines(
        items, workdir, synth, cache=cache, jobs=default_jobs(),
        new_synth=lambda: tts.get_synthesizer(config.synthesizer),
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

    synth = tts.get_synthesizer(config.synthesizer)
    try:
        items = _usable(_speech_items(script, config), script, synth)
        cache = _cache(use_cache)
        yield from _spoken(script, items, workdir, config, synth, cache, progress)
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

    synth = tts.get_synthesizer(config.synthesizer)
    try:
        # Most lines, so most edits, are the reader's: its engine starts before the lines
        # are even looked up (if none is new, it is stopped unused at the end).
        _prepare(synth, [script.reader])
        items = _speech_items(script, config)
        cache = _cache(use_cache)
        # the engines come up while the rest gets ready (voices checked, folders, imports)
        new = _start_engines(items, synth, cache)
        items = _usable(items, script, synth)
        return _render(script, config, items, synth, cache, output=output, sources=sources,
                       progress=progress, new_lines=new)
    finally:
        synth.close()


def _render(
    script: Script,
    config: Config,
    items: Sequence[tuple[str, Voice]],
    synth: Any,
    cache: Any,
    *,
    output: Path | None,
    sources: Sequence[str],
    progress: Progress[Any],
    new_lines: int,
) -> Episode:
    from briefing import audio, ffmpeg, master
    from briefing.publish import files, tags, transcript

    ffmpeg.find_ffmpeg()  # missing ffmpeg should fail now, not after all the speaking
    dest = output or default_destination(script, config)
    if dest.suffix.lower() != ".mp3":
        raise OutputError(f"the output must end in .mp3: {dest}")
    if dest.is_dir():
        raise OutputError(f"{dest} is a directory: give a file name ending in .mp3")
    files.sweep_staging(dest.parent)
    with files.staging(dest.parent) as tmp:
        mp3 = tmp / "episode.mp3"
        spoken = _spoken(script, items, tmp / "segments", config, synth, cache, progress)
        intro, outro = _optional_path(config.intro_audio), _optional_path(config.outro_audio)
        if config.music_bed:
            # the bed runs under everything, so this episode is mastered whole, not in chunks
            segments = list(spoken)
            wav = tmp / "episode.wav"
            timeline = audio.assemble(segments, script, wav, chimes=config.chimes,
                                      intro=intro, outro=outro)
            master.mix_music_bed(wav, Path(config.music_bed), tmp / "mixed.wav",
                                level_db=config.music_level)
            loudness = master.master(tmp / "mixed.wav", mp3, loudness=config.loudness,
                                    true_peak=config.true_peak, bitrate=config.bitrate,
                                    stereo=config.stereo)
        else:
            from briefing.encode import Settings
            from briefing.tts.render import default_jobs

            settings = Settings(config.loudness, config.true_peak, config.bitrate, config.stereo)
            timeline, loudness, segments = audio.encode_episode(
                spoken, script, mp3, tmp / "chunks", settings, chimes=config.chimes,
                intro=intro, outro=outro, cache=cache, jobs=default_jobs(),
                expect_new=new_lines)
        chapters = audio.chapters(script, timeline)
        cues = audio.cues(script, timeline)
        source_lines = [s.url or s.source for s in script.sections if s.url or s.source]
        tags.write_tags(mp3, title=script.title, show=script.show, date=script.date,
                        comment="Sources: " + "; ".join(source_lines) if source_lines else "",
                        language=script.language, chapters=chapters,
                        cover=_cover(script, config))
        stem = dest.with_suffix("")
        sidecars = {
            ".txt": transcript.transcript(script),
            ".vtt": transcript.vtt(cues),
            ".srt": transcript.srt(cues),
            ".chapters.json": transcript.chapters_json(chapters),
        }
        staged: dict[Path, Path] = {}
        for suffix, text in sidecars.items():
            (tmp / f"episode{suffix}").write_text(text, encoding="utf-8")
            staged[tmp / f"episode{suffix}"] = stem.with_name(stem.name + suffix)
        episode = Episode(
            mp3=dest, title=script.title, date=script.date, duration_ms=round(timeline.duration_ms),
            chapters=chapters, cues=cues, sources=tuple(sources) or tuple(source_lines),
            sidecars=(*staged.values(), stem.with_name(stem.name + ".json")),
        )
        manifest = tmp / "episode.json"
        manifest.write_text(_manifest(episode, script, segments, loudness), encoding="utf-8")
        staged[manifest] = stem.with_name(stem.name + ".json")
        staged[mp3] = dest  # last: the MP3 appears only when everything beside it is in place
        files.commit(staged)
    return episode


def _optional_path(value: str) -> Path | None:
    return Path(value).expanduser() if value else None


def _cover(script: Script, config: Config) -> bytes:
    """The user's cover image, or one generated from the show's name and the date."""
    if config.cover_image:
        path = Path(config.cover_image).expanduser()
        try:
            return path.read_bytes()
        except OSError as exc:
            raise OutputError(f"cannot read cover_image {path}: {exc.strerror}") from None
    from briefing.publish.cover import cover_png
    from briefing.script import spoken_date

    return cover_png(script.show, spoken_date(dt.date.fromisoformat(script.date), script.language))


def default_destination(script: Script, config: Config) -> Path:
    from briefing.publish.files import inside, slugify

    base = Path(config.output_dir)
    stories = [s for s in script.sections if s.lines and s.lines[-1].kind == "story"]
    name = slugify(stories[0].title if len(stories) == 1 else script.show)
    return inside(base, base / script.date / f"{name}.mp3")


def _manifest(episode: Episode, script: Script, segments: Sequence[Segment], loudness: Any) -> str:
    data = {
        "title": episode.title,
        "show": script.show,
        "date": episode.date,
        "language": script.language,
        "duration_ms": episode.duration_ms,
        "sources": list(episode.sources),
        "voices": {"host": script.host.__dict__, "reader": script.reader.__dict__},
        "loudness": {"integrated_lufs": loudness.integrated_lufs,
                     "true_peak_dbtp": loudness.true_peak_dbtp},
        "chapters": [c.__dict__ for c in episode.chapters],
        "segments": [
            {"text": s.line.text, "role": s.line.role, "kind": s.line.kind,
             "language": s.line.language, "start_ms": c.start_ms, "end_ms": c.end_ms}
            for s, c in zip(segments, episode.cues, strict=True)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


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
    with speech_started(config, first_voices(config)):
        articles = read_articles(sources, config, stdin=stdin)
        the_plan = plan(articles, config, date=date)
        return render(the_plan.script, config, output=Path(output) if output else None,
                      sources=sources, progress=progress)
