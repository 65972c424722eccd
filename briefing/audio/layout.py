"""Segments -> the episode laid out in pieces: trimmed, level-matched lines, pauses, chimes.

The names along the way: a Segment is one line's speech (a WAV); a Piece is one stretch of
the episode (silence, audio, silence): a segment, a chime or the user's intro; a Chunk is a
piece encoded to MP3 frames (briefing.audio.chunks); the frames joined are the episode.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.audio import ffmpeg
from briefing.audio.levels import SPEECH_RATE
from briefing.audio.master import Loudness
from briefing.errors import AudioError
from briefing.models import Chapter, Cue, Script, Segment

SPEECH_LEVEL_DBFS = -20.0  # every segment is brought to this RMS before joining, so voices match
CHIME_DESIGN = 1  # bump when chime() changes, so cached chimes are made again
CHIME_LEVEL_DBFS = -24.0  # under the speech: a cue, not an event
SILENCE_DBFS = -50.0  # below this a segment's edge counts as silence (espeak's floor is ~-90)
KEEP_EDGE_MS = 15  # of that silence, so that soft consonants at the edges are not clipped


@dataclass(frozen=True)
class Timeline:
    """Where each segment landed in the joined audio, and the whole length."""

    starts_ms: tuple[float, ...]
    ends_ms: tuple[float, ...]
    section_starts_ms: tuple[float, ...]
    duration_ms: float


def _audiosegment() -> Any:
    ffmpeg.configure_pydub()
    from pydub import AudioSegment

    return AudioSegment


def chime(kind: str) -> Any:
    """A short generated chime: "intro" rises, "outro" falls, "stinger" marks a new story.

    pydub's generators take ~35 ms a chime, an eighth of a warm re-render: kept on disk.
    """
    from briefing.paths import cache_dir, keep_in_cache

    audio_segment = _audiosegment()  # first: it silences pydub's import-time warning
    path = cache_dir() / "chimes" / f"{kind}-{CHIME_DESIGN}.wav"
    try:
        return audio_segment.from_wav(str(path))
    except (OSError, EOFError, wave.Error):
        pass
    audio = _make_chime(kind)
    data = io.BytesIO()
    with wave.open(data, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SPEECH_RATE)
        out.writeframes(audio.raw_data)
    keep_in_cache(path, data.getvalue())
    return audio


def _make_chime(kind: str) -> Any:
    audio_segment = _audiosegment()
    from pydub.generators import Sine

    notes = {
        "intro": (523.25, 659.25, 783.99),  # C5 E5 G5: an opening
        "outro": (783.99, 659.25, 523.25),  # the same, falling: a close
        "stinger": (659.25, 987.77),  # E5 B5: short and bright, between stories
    }[kind]
    note_ms = 150 if kind == "stinger" else 200
    ring_ms = note_ms * 2  # each note rings on under the next one, like a struck bell
    total = note_ms * (len(notes) - 1) + ring_ms
    audio = audio_segment.silent(duration=total, frame_rate=SPEECH_RATE)
    for i, freq in enumerate(notes):
        tone = (
            Sine(freq, sample_rate=SPEECH_RATE)
            .to_audio_segment(duration=ring_ms, volume=CHIME_LEVEL_DBFS)
            .fade_in(10)
            .fade_out(ring_ms - 10)
        )
        audio = audio.overlay(tone, position=i * note_ms)
    return audio.set_channels(1).set_sample_width(2).set_frame_rate(SPEECH_RATE)


def user_audio(path: Path, what: str) -> Any:
    """A user's intro, outro or music file (any format ffmpeg reads) as mono speech audio."""
    import tempfile

    if not path.is_file():
        raise AudioError(f"{what} file not found: {path}; fix the path in your config")
    exe, _ = ffmpeg.find_ffmpeg()
    with tempfile.TemporaryDirectory(prefix="briefing-audio-") as tmp:
        wav = Path(tmp) / "user.wav"
        ffmpeg.run([exe, "-hide_banner", "-nostats", "-y", "-i", str(path), "-ac", "1",
                    "-ar", str(SPEECH_RATE), "-c:a", "pcm_s16le", str(wav)],
                   what=f"reading the {what} file {path}")
        audio = _audiosegment().from_wav(str(wav))
    # fades keep a hard-cut music file from clicking against the speech
    return audio.fade_in(min(30, len(audio) // 4)).fade_out(min(300, len(audio) // 4))


def _trimmed(audio: Any) -> Any:
    """Without the engine's own lead-in and tail, so pauses are ours and cues start on speech."""
    from pydub.silence import detect_leading_silence

    lead = detect_leading_silence(audio, silence_threshold=SILENCE_DBFS)
    tail = detect_leading_silence(audio.reverse(), silence_threshold=SILENCE_DBFS)
    if lead + tail >= len(audio):
        return audio
    return audio[max(0, lead - KEEP_EDGE_MS): len(audio) - max(0, tail - KEEP_EDGE_MS)]


def _mono(audio: Any) -> Any:
    audio = audio.set_channels(1).set_sample_width(2)
    return audio if audio.frame_rate == SPEECH_RATE else audio.set_frame_rate(SPEECH_RATE)

def chapters(script: Script, timeline: Timeline) -> tuple[Chapter, ...]:
    """One chapter per section, each ending where the next begins."""
    starts = list(timeline.section_starts_ms)
    out = []
    for i, section in enumerate(script.sections):
        end = starts[i + 1] if i + 1 < len(starts) else timeline.duration_ms
        out.append(Chapter(section.title, round(starts[i]), round(end), section.url))
    return tuple(out)


def cues(script: Script, timeline: Timeline) -> tuple[Cue, ...]:
    """One cue per spoken line, from where its audio starts to where it ends."""
    return tuple(
        Cue(line.text, round(start), round(end))
        for line, start, end in zip(script.lines, timeline.starts_ms, timeline.ends_ms, strict=True)
    )


@dataclass(frozen=True)
class Piece:
    """One stretch of the episode: silence before, audio, silence after.

    `audio` is a pydub AudioSegment (immutable too); `line` is the script line's index
    for speech, -1 for chimes and the user's audio.
    """

    audio: Any
    before_ms: float
    after_ms: float
    gain_db: float
    line: int = -1


def layout(
    segments: Iterable[Segment],
    script: Script,
    *,
    chimes: bool = True,
    intro: Path | None = None,
    outro: Path | None = None,
) -> Iterator[Piece]:
    """The episode in order: intro chime (or the user's intro), each line trimmed and
    level-matched with its pause, a stinger before each further story and the outro, then
    the closing chime (or the user's outro). Segments are consumed as they are spoken."""
    audio_segment = _audiosegment()
    section_of = [i for i, s in enumerate(script.sections) for _ in s.lines]
    if intro:
        yield Piece(user_audio(intro, "intro_audio"), 0, 250, 0.0)
    elif chimes:
        yield Piece(chime("intro"), 0, 150, 0.0)
    previous_section = -1
    count = 0
    for index, segment in enumerate(segments):
        if index >= len(section_of):
            raise AudioError(f"more segments than the script's {len(section_of)} lines")
        count += 1
        section = section_of[index]
        if section != previous_section:
            first = script.sections[section].lines[0].kind
            story = first in ("story", "headline") and previous_section >= 0 and section > 1
            if chimes and index and (story or (first == "outro" and section)):
                yield Piece(chime("stinger"), 0, 250, 0.0)
            previous_section = section
        speech = _trimmed(_mono(audio_segment.from_wav(str(segment.wav))))
        gain = 0.0 if speech.rms == 0 else SPEECH_LEVEL_DBFS - speech.dBFS
        yield Piece(speech, 0, segment.line.pause_after_ms, gain, index)
    if count != len(section_of):
        raise AudioError(f"{count} segments for {len(section_of)} script lines")
    if outro:
        yield Piece(user_audio(outro, "outro_audio"), 250, 300, 0.0)
    elif chimes:
        yield Piece(chime("outro"), 150, 300, 0.0)
    else:
        # room at the end, so players do not cut the last word
        yield Piece(audio_segment.empty(), 0, 300, 0.0)


def _timeline(script: Script, laid: Sequence[Piece],
              spans_ms: Sequence[tuple[float, float]], duration_ms: float) -> Timeline:
    """Line and chapter times from where each part's audio landed."""
    section_of = [i for i, s in enumerate(script.sections) for _ in s.lines]
    starts: list[float] = []
    ends: list[float] = []
    section_starts = [0.0] * len(script.sections)
    previous_section = -1
    for piece, (start, end) in zip(laid, spans_ms, strict=True):
        if piece.line < 0:
            continue
        section = section_of[piece.line]
        if section != previous_section:
            # chapters begin with their first line's speech (section 0 at the very start)
            section_starts[section] = start if section else 0.0
            previous_section = section
        starts.append(start)
        ends.append(end)
    return Timeline(tuple(starts), tuple(ends), tuple(section_starts), duration_ms)


def assemble(
    segments: Iterable[Segment],
    script: Script,
    out_wav: Path,
    *,
    chimes: bool = True,
    intro: Path | None = None,
    outro: Path | None = None,
) -> Timeline:
    """The episode as one WAV, written as it goes (for mastering whole, under a music bed).

    Memory stays at one segment at a time, whatever the episode's length. Times come from
    frame counts, so chapters and cues are exact.
    """
    frames = 0
    laid: list[Piece] = []
    spans: list[tuple[float, float]] = []

    def ms() -> float:
        return frames * 1000.0 / SPEECH_RATE

    with wave.open(str(out_wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SPEECH_RATE)

        def silence(duration_ms: float) -> None:
            nonlocal frames
            count = round(duration_ms * SPEECH_RATE / 1000)
            out.writeframes(b"\0\0" * count)
            frames += count

        for piece in layout(segments, script, chimes=chimes, intro=intro, outro=outro):
            silence(piece.before_ms)
            audio = piece.audio
            if abs(piece.gain_db) > 0.1:
                # never into clipping: the limiter is for the whole, not for repair
                audio = audio.apply_gain(min(piece.gain_db, -audio.max_dBFS - 0.1))
            start = ms()
            out.writeframes(audio.raw_data)
            frames += int(audio.frame_count())
            laid.append(piece)
            spans.append((start, ms()))
            silence(piece.after_ms)
    return _timeline(script, laid, spans, ms())


def encode_episode(
    segments: Iterable[Segment],
    script: Script,
    mp3: Path,
    workdir: Path,
    settings: Any,
    *,
    chimes: bool = True,
    intro: Path | None = None,
    outro: Path | None = None,
    cache: Any = None,
    jobs: int = 1,
    expect_new: int | None = None,
) -> tuple[Timeline, Loudness, list[Segment]]:
    """Segments (consumed as they are spoken) -> the mastered MP3, in cached chunks.

    The same layout as `assemble`, each part encoded once at the episode's gain and joined
    by MP3 frames; see briefing.audio.encoder.
    """
    from briefing.audio import encoder
    from briefing.audio.chunks import StoredPiece

    seen: list[Segment] = []
    laid: list[Piece] = []
    workdir.mkdir(parents=True, exist_ok=True)

    def spoken() -> Iterator[Segment]:
        for segment in segments:
            seen.append(segment)
            yield segment

    def pieces() -> Iterator[StoredPiece]:
        for number, piece in enumerate(layout(spoken(), script, chimes=chimes, intro=intro,
                                             outro=outro)):
            laid.append(piece)
            raw = workdir / f"piece{number:05d}.raw"
            raw.write_bytes(piece.audio.raw_data)
            yield StoredPiece(raw, piece.before_ms, piece.after_ms, piece.gain_db, piece.line >= 0)

    done = encoder.build(pieces(), mp3, workdir, settings, cache=cache, jobs=jobs,
                        expect_new=expect_new)
    if done.integrated_lufs < -60:
        raise AudioError("the assembled audio is silent: the speech engine produced no sound")
    timeline = _timeline(script, laid, done.spans_ms, done.duration_ms)
    return timeline, Loudness(done.integrated_lufs, done.true_peak_dbtp), seen
