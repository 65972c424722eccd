"""Segments -> a mastered episode: matched levels, pauses, chimes, loudness, one MP3 encode."""

from __future__ import annotations

import math
import re
import wave
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing import ffmpeg
from briefing.errors import AudioError
from briefing.models import Chapter, Cue, Script, Segment

SPEECH_RATE = 22050  # what espeak-ng writes; the master upsamples once, at the end
OUTPUT_RATE = 44100  # Apple's and most apps' expectation for MP3
SPEECH_LEVEL_DBFS = -20.0  # every segment is brought to this RMS before joining, so voices match
CHIME_LEVEL_DBFS = -24.0  # under the speech: a cue, not an event
# the limiter's ceiling sits this far under the true-peak target: resampling and MP3 overshoot
LIMIT_MARGIN_DB = 1.5
MP3_LOUDNESS_LOSS_LU = 0.45  # measured: LAME at 64-96 kbps loses ~0.45 LU of espeak speech
LOUDNESS_TOLERANCE_LU = 0.3  # a re-encode is cheaper than an episode that is off target
PEAK_TOLERANCE_DB = 0.4  # aim at true_peak (-1.5), accept up to 0.4 dB over: still under -1 dBTP
SILENCE_DBFS = -50.0  # below this a segment's edge counts as silence (espeak's floor is ~-90)
KEEP_EDGE_MS = 15  # of that silence, so that soft consonants at the edges are not clipped


@dataclass(frozen=True)
class Timeline:
    """Where each segment landed in the joined audio, and the whole length."""

    starts_ms: tuple[float, ...]
    ends_ms: tuple[float, ...]
    section_starts_ms: tuple[float, ...]
    duration_ms: float


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float


def _audiosegment() -> Any:
    ffmpeg.configure_pydub()
    from pydub import AudioSegment

    return AudioSegment


def chime(kind: str) -> Any:
    """A short generated chime: "intro" rises, "outro" falls, "stinger" marks a new story."""
    audio_segment = _audiosegment()  # first: it silences pydub's import-time warning
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


def assemble(
    segments: Sequence[Segment],
    script: Script,
    out_wav: Path,
    *,
    chimes: bool = True,
    intro: Path | None = None,
    outro: Path | None = None,
) -> Timeline:
    """Join the segments with their pauses (and chimes) into one WAV, written as it goes.

    Memory stays at one segment at a time, whatever the episode's length. Times come from
    frame counts, so chapters and cues are exact.
    """
    audio_segment = _audiosegment()
    section_of = [i for i, s in enumerate(script.sections) for _ in s.lines]
    if len(section_of) != len(segments):
        raise AudioError(f"{len(segments)} segments for {len(section_of)} script lines")
    frames_written = 0
    starts: list[float] = []
    ends: list[float] = []
    section_starts: list[float] = [0.0] * len(script.sections)

    def ms() -> float:
        return frames_written * 1000.0 / SPEECH_RATE

    with wave.open(str(out_wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SPEECH_RATE)

        def put(audio: Any) -> None:
            nonlocal frames_written
            out.writeframes(audio.raw_data)
            frames_written += int(audio.frame_count())

        def pause(duration_ms: float) -> None:
            frames = round(duration_ms * SPEECH_RATE / 1000)
            if frames > 0:
                nonlocal frames_written
                out.writeframes(b"\0\0" * frames)
                frames_written += frames

        if intro:
            put(user_audio(intro, "intro_audio"))
            pause(250)
        elif chimes:
            put(chime("intro"))
            pause(150)
        previous_section = -1
        for index, segment in enumerate(segments):
            section = section_of[index]
            if section != previous_section:
                is_story = script.sections[section].lines[0].kind in ("story", "headline")
                if chimes and previous_section >= 0 and index and is_story and section > 1:
                    put(chime("stinger"))
                    pause(250)
                if chimes and script.sections[section].lines[0].kind == "outro" and section:
                    put(chime("stinger"))
                    pause(250)
                section_starts[section] = ms() if section else 0.0
                previous_section = section
            speech = _level_matched(audio_segment.from_wav(str(segment.wav)))
            starts.append(ms())
            put(speech)
            ends.append(ms())
            pause(segment.line.pause_after_ms)
        if outro:
            pause(250)
            put(user_audio(outro, "outro_audio"))
        elif chimes:
            pause(150)
            put(chime("outro"))
        pause(300)  # a little room at the end, so players do not cut the last word
    return Timeline(tuple(starts), tuple(ends), tuple(section_starts), ms())


def _trimmed(audio: Any) -> Any:
    """Without the engine's own lead-in and tail, so pauses are ours and cues start on speech."""
    from pydub.silence import detect_leading_silence

    lead = detect_leading_silence(audio, silence_threshold=SILENCE_DBFS)
    tail = detect_leading_silence(audio.reverse(), silence_threshold=SILENCE_DBFS)
    if lead + tail >= len(audio):
        return audio
    return audio[max(0, lead - KEEP_EDGE_MS): len(audio) - max(0, tail - KEEP_EDGE_MS)]


def _level_matched(audio: Any) -> Any:
    audio = audio.set_channels(1).set_sample_width(2)
    if audio.frame_rate != SPEECH_RATE:
        audio = audio.set_frame_rate(SPEECH_RATE)
    audio = _trimmed(audio)
    if audio.rms == 0 or math.isinf(audio.dBFS):
        return audio
    gain = SPEECH_LEVEL_DBFS - audio.dBFS
    # never push a segment into clipping: the limiter is for the whole, not for repair
    headroom = -audio.max_dBFS - 0.1
    return audio.apply_gain(min(gain, headroom)) if abs(gain) > 0.1 else audio


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


def mix_music_bed(wav: Path, music: Path, out: Path, *, level_db: float = -24.0) -> None:
    """Loop `music` under the speech, ducked by a side-chain compressor while anyone speaks."""
    if not music.is_file():
        raise AudioError(f"music_bed file not found: {music}; fix the path in your config")
    exe, _ = ffmpeg.find_ffmpeg()
    with wave.open(str(wav), "rb") as w:
        seconds = w.getnframes() / w.getframerate()
    fade_from = max(0.0, seconds - 3)
    graph = (
        f"[1:a]aformat=channel_layouts=mono,aresample={SPEECH_RATE},volume={level_db}dB,"
        f"atrim=duration={seconds:.3f},afade=t=in:d=1,afade=t=out:st={fade_from:.3f}:d=3[bed];"
        # ducks the bed ~12 dB while speech is louder than about -34 dBFS; slow release so
        # the music does not pump up in the short pauses between sentences
        "[0:a]asplit=2[speech][key];"
        "[bed][key]sidechaincompress=threshold=0.02:ratio=8:attack=30:release=600[ducked];"
        "[speech][ducked]amix=inputs=2:duration=first:normalize=0[out]"
    )
    ffmpeg.run([exe, "-hide_banner", "-nostats", "-y", "-i", str(wav), "-stream_loop", "-1",
                "-i", str(music), "-filter_complex", graph, "-map", "[out]", "-ac", "1",
                "-ar", str(SPEECH_RATE), "-c:a", "pcm_s16le", str(out)],
               what=f"mixing the music bed {music}")


_I = re.compile(r"^\s+I:\s+(-?[\d.]+|-inf) LUFS", re.M)
_PEAK = re.compile(r"^\s+Peak:\s+(-?[\d.]+|-inf) dBFS", re.M)


def measure_loudness(path: Path) -> Loudness:
    """Integrated loudness and true peak as ffmpeg's EBU R128 meter reports them."""
    exe, _ = ffmpeg.find_ffmpeg()
    proc = ffmpeg.run(
        [exe, "-hide_banner", "-nostats", "-i", str(path),
         "-af", "ebur128=peak=true", "-f", "null", "-"],
        what="measuring loudness",
    )
    return _parse_loudness(proc.stderr)


def _parse_loudness(log: str) -> Loudness:
    i = _I.findall(log)
    peak = _PEAK.findall(log)
    if not i or not peak:
        raise AudioError("could not read the loudness meter's output from ffmpeg")
    return Loudness(float(i[-1]), float(peak[-1]))


def master(
    wav: Path,
    mp3: Path,
    *,
    loudness: float = -16.0,
    true_peak: float = -1.5,
    bitrate: str = "64k",
    stereo: bool = False,
) -> Loudness:
    """Normalize to `loudness` LUFS with peaks under `true_peak` dBTP, then encode once to MP3.

    Linear gain keeps speech natural; a look-ahead limiter on 4x-oversampled audio first
    takes the peaks down by exactly as much as the gain will add, so the gain cannot clip.
    """
    exe, _ = ffmpeg.find_ffmpeg()
    before = measure_loudness(wav)
    if math.isinf(before.integrated_lufs) or before.integrated_lufs < -70:
        raise AudioError("the assembled audio is silent: the speech engine produced no sound")
    limited = wav.with_name(wav.stem + ".limited.wav")
    # Limiting costs loudness, which the gain must then give back, raising the peaks again:
    # a second pass sets the ceiling lower by what the first one cost.
    loss = 0.0
    for _ in range(2):
        gain = loudness - before.integrated_lufs + loss + MP3_LOUDNESS_LOSS_LU
        ceiling_db = min(true_peak - gain - LIMIT_MARGIN_DB, -0.1)
        after_limit = _limit(exe, wav, limited, ceiling_db)
        loss = before.integrated_lufs - after_limit.integrated_lufs
    gain = loudness - after_limit.integrated_lufs + MP3_LOUDNESS_LOSS_LU
    result = _encode(exe, limited, mp3, gain, bitrate, stereo)
    error = loudness - result.integrated_lufs
    over = result.true_peak_dbtp - true_peak - PEAK_TOLERANCE_DB
    if over > 0:  # the peak target wins over the loudness target
        result = _encode(exe, limited, mp3, gain - over - 0.2, bitrate, stereo)
    elif abs(error) > LOUDNESS_TOLERANCE_LU:
        result = _encode(exe, limited, mp3, gain + min(error, -over), bitrate, stereo)
    limited.unlink(missing_ok=True)
    return result


def _limit(exe: str, src: Path, out: Path, ceiling_db: float) -> Loudness:
    """Peaks under ceiling_db on 4x-oversampled audio (close to true peak), then 44.1 kHz."""
    proc = ffmpeg.run(
        [exe, "-hide_banner", "-nostats", "-y", "-i", str(src), "-af",
         f"aresample={OUTPUT_RATE * 4},"
         f"alimiter=limit={10 ** (ceiling_db / 20):.5f}:attack=1:release=50:level=false,"
         f"aresample={OUTPUT_RATE},ebur128=peak=true",
         "-c:a", "pcm_f32le", str(out)],
        what="limiting peaks",
    )
    return _parse_loudness(proc.stderr)


def _encode(exe: str, src: Path, mp3: Path, gain: float, bitrate: str, stereo: bool) -> Loudness:
    ffmpeg.run(
        [exe, "-hide_banner", "-nostats", "-y", "-i", str(src), "-af", f"volume={gain:.2f}dB",
         "-ar", str(OUTPUT_RATE), "-ac", "2" if stereo else "1", "-c:a", "libmp3lame",
         "-b:a", bitrate, "-map_metadata", "-1", "-id3v2_version", "0", "-write_xing", "1",
         "-f", "mp3", str(mp3)],
        what="encoding MP3",
    )
    return measure_loudness(mp3)


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
) -> tuple[Timeline, Loudness, list[Segment]]:
    """Segments (consumed as they are spoken) -> the mastered MP3, in cached chunks.

    The same layout as `assemble` + `master`: chimes or the user's intro and outro, each
    line followed by its pause, the whole at `settings.loudness` LUFS; see briefing.encode.
    """
    from briefing import encode

    section_of = [i for i, s in enumerate(script.sections) for _ in s.lines]
    seen: list[Segment] = []
    roles: list[tuple[str, int]] = []  # ("line", index) | ("section", index) | ("", 0)

    workdir.mkdir(parents=True, exist_ok=True)
    count = iter(range(1 << 30))

    def raw(audio: Any) -> Path:
        path = workdir / f"piece{next(count):05d}.raw"
        path.write_bytes(audio.set_channels(1).set_sample_width(2)
                         .set_frame_rate(SPEECH_RATE).raw_data)
        return path

    def pieces() -> Iterator[Any]:
        audio_segment = _audiosegment()
        if intro:
            roles.append(("", 0))
            yield encode.Piece(raw(user_audio(intro, "intro_audio")), 0, 250, 0.0, False)
        elif chimes:
            roles.append(("", 0))
            yield encode.Piece(raw(chime("intro")), 0, 150, 0.0, False)
        previous_section = -1
        for index, segment in enumerate(segments):
            if index >= len(section_of):
                raise AudioError(f"more segments than the script's {len(section_of)} lines")
            seen.append(segment)
            section = section_of[index]
            if section != previous_section:
                first = script.sections[section].lines[0].kind
                story = first in ("story", "headline") and previous_section >= 0 and section > 1
                if chimes and index and (story or (first == "outro" and section)):
                    roles.append(("", 0))
                    yield encode.Piece(raw(chime("stinger")), 0, 250, 0.0, False)
                previous_section = section
            speech = _trimmed(audio_segment.from_wav(str(segment.wav)))
            gain = 0.0 if speech.rms == 0 else SPEECH_LEVEL_DBFS - speech.dBFS
            roles.append(("line", index))
            yield encode.Piece(raw(speech), 0, segment.line.pause_after_ms, gain, True)
        if len(seen) != len(section_of):
            raise AudioError(f"{len(seen)} segments for {len(section_of)} script lines")
        if outro:
            roles.append(("", 0))
            yield encode.Piece(raw(user_audio(outro, "outro_audio")), 250, 300, 0.0, False)
        elif chimes:
            roles.append(("", 0))
            yield encode.Piece(raw(chime("outro")), 150, 300, 0.0, False)
        else:
            roles.append(("", 0))
            # room at the end, so players do not cut the last word
            yield encode.Piece(raw(_audiosegment().empty()), 0, 300, 0.0, False)

    done = encode.build(pieces(), mp3, workdir, settings, cache=cache, jobs=jobs)
    starts: list[float] = []
    ends: list[float] = []
    section_starts = [0.0] * len(script.sections)
    previous_section = -1
    for (role, index), (start, end) in zip(roles, done.spans_ms, strict=True):
        if role != "line":
            continue
        section = section_of[index]
        if section != previous_section:
            # chapters begin with their first line's speech (section 0 at the very start)
            section_starts[section] = start if section else 0.0
            previous_section = section
        starts.append(start)
        ends.append(end)
    if done.integrated_lufs < -60:
        raise AudioError("the assembled audio is silent: the speech engine produced no sound")
    timeline = Timeline(tuple(starts), tuple(ends), tuple(section_starts), done.duration_ms)
    return timeline, Loudness(done.integrated_lufs, done.true_peak_dbtp), seen
