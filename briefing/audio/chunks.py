"""One piece of the episode -> one MP3 chunk: gain, limiter, loudness meter and LAME in ffmpeg.

Several pieces go through one ffmpeg run (its start costs ~80 ms); a `Standby` ffmpeg is
started before its piece exists, for small edits. Each chunk is measured as it is encoded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from briefing.audio import ffmpeg
from briefing.audio.levels import FRAME_SAMPLES, LIMIT_MARGIN_DB, OUTPUT_RATE, SPEECH_RATE
from briefing.audio.xing import Info
from briefing.audio.xing import count_frames as count_frames  # where frames are read

# Measured (a click encoded and decoded with ffmpeg's libmp3lame and mp3 decoder): the
# decoded chunk starts with LAME's 576-sample encoder delay plus 529 of decoder delay.
CODEC_DELAY = 1105


@dataclass(frozen=True)
class StoredPiece:
    """A piece as the encoder keeps it: silence, audio (PCM, mono 16-bit 22.05 kHz), silence.

    The PCM waits in a file, not in memory: a 30-minute episode is ~80 MB of it, and a
    second pass at another gain reads it again.
    """

    pcm_file: Path
    before_ms: float
    after_ms: float
    gain_db: float  # the piece's own level matching; the episode's gain comes on top
    speech: bool  # counts for loudness


@dataclass(frozen=True)
class Chunk:
    """An encoded piece: where its audio sits, in samples at 44.1 kHz, and what it measured."""

    mp3: Path
    frames: int
    audio_start: int  # from the chunk's first decoded sample
    audio_samples: int
    loudness: float  # integrated LUFS before encoding; -70 for silence or under 0.4 s
    peak: float  # sample peak dBFS before encoding
    speech: bool
    info: Info  # its own Info frame: where its audio frames start, delay, padding, CRC


@dataclass(frozen=True)
class Settings:
    loudness: float = -16.0
    true_peak: float = -1.5
    bitrate: str = "64k"
    stereo: bool = False


# The gain goes on in Python, into 32-bit samples with this much headroom (x256 = 48 dB
# more than the gains used), and ffmpeg takes the headroom back off in float: the filter
# graph is then the same for every piece, so an ffmpeg can be started before its piece
# exists (see Standby).
HEADROOM = 256
CHUNK_FORMAT = 3  # in the chunk cache key with the chain's arguments: bump when what
# goes into the chain changes in a way its arguments do not show (as _scaled's scaling)

# ebur128's metadata as ametadata prints it, one frame after another; the last is the whole
_METER_I = re.compile(r"^lavfi\.r128\.I=(-?[\d.]+|-?inf)$", re.M)
_METER_PEAK = re.compile(r"^lavfi\.r128\.sample_peak=([\d.e+-]+|inf)$", re.M)

def padded(piece: StoredPiece) -> tuple[bytes, int, int]:
    """The piece's PCM with its silences, the pause after shortened so the decoded chunk
    (codec delay included) is a whole number of frames, close to the length asked for."""
    per_ms = SPEECH_RATE / 1000
    before = round(piece.before_ms * per_ms)
    pcm = piece.pcm_file.read_bytes()
    audio = len(pcm) // 2
    wanted = before + audio + round(piece.after_ms * per_ms)  # in 22.05 kHz samples
    # decoded at 44.1 kHz: CODEC_DELAY + 2 * input samples, padded up to whole frames
    frames = max(1, round((CODEC_DELAY + 2 * wanted) / FRAME_SAMPLES))
    total = max(before + audio, (frames * FRAME_SAMPLES - CODEC_DELAY) // 2)
    after = total - before - audio
    return b"\0\0" * before + pcm + b"\0\0" * after, before, audio


@dataclass(frozen=True)
class Queued:
    """One piece waiting for the encoder: its padded PCM on disk, its gain, its result."""

    pcm_file: Path
    mp3: Path
    gain_db: float
    key: str
    before: int
    audio: int
    samples: int  # the padded piece's length: how much work it is
    speech: bool
    future: Future[Chunk]


def scaled(pcm: bytes, gain_db: float) -> bytes:
    """16-bit PCM with `gain_db` applied, as 32-bit samples HEADROOM times too quiet."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # audioop-lts from Python 3.13
        import audioop

    return audioop.mul(audioop.lin2lin(pcm, 2, 4), 4, 10 ** (gain_db / 20) / HEADROOM)


INPUT = ["-f", "s32le", "-ar", str(SPEECH_RATE), "-ac", "1"]


def output_args(n: int, mp3: Path, meter: Path, s: Settings) -> list[str]:
    """ffmpeg's arguments for input `n` -> `mp3`: headroom off, limiter, meter, encoder.

    The meter's running values go to files named after `meter` (relative to ffmpeg's
    working folder: nothing to escape in the graph), the last line of which is the
    piece's integrated loudness and sample peak.
    """
    ceiling = 10 ** ((s.true_peak - LIMIT_MARGIN_DB) / 20)
    return [
        "-map", f"{n}:a", "-af",
        f"volume={HEADROOM},aresample={OUTPUT_RATE},"
        f"alimiter=limit={ceiling:.5f}:attack=1:release=50:level=false:latency=1,"
        "ebur128=peak=sample:metadata=1,"
        # one key a file: printing every key of every frame costs a fifth of the encode
        f"ametadata=mode=print:key=lavfi.r128.I:file={meter.name},"
        f"ametadata=mode=print:key=lavfi.r128.sample_peak:file={meter.name}.peak",
        # each chunk's own Info frame tells the join its padding and its audio's CRC
        "-ac", "2" if s.stereo else "1", "-c:a", "libmp3lame", "-b:a", s.bitrate,
        "-write_xing", "1", "-id3v2_version", "0", "-write_id3v1", "0",
        "-map_metadata", "-1", "-f", "mp3", str(mp3.resolve()),
    ]  # fmt: skip


HEAD = ["-hide_banner", "-nostats", "-v", "error", "-y"]


def measured(meter: Path) -> tuple[float, float]:
    """(integrated loudness, sample peak dBFS) from a piece's meter files, which it removes."""
    peaks = meter.with_name(meter.name + ".peak")
    text = "".join(f.read_text(encoding="utf-8", errors="replace")
                   for f in (meter, peaks) if f.exists())
    meter.unlink(missing_ok=True)
    peaks.unlink(missing_ok=True)
    loud, peak = _METER_I.findall(text), _METER_PEAK.findall(text)
    return ((float(loud[-1]) if loud else -70.0),
            (_dbfs(float(peak[-1])) if peak else -math.inf))


def encode_batch(
    exe: str, jobs: Sequence[Queued], s: Settings, workdir: Path
) -> list[tuple[float, float]]:
    """Encode several pieces in ONE ffmpeg run, one MP3 each; (loudness, peak) for each.

    Starting the system's ffmpeg costs ~80 ms (its shared libraries): once per line, that
    was half of a cold run. Each output has its own filter chain (limiter, meter).
    """
    args = [exe, *HEAD]
    for job in jobs:
        args += [*INPUT, "-i", str(job.pcm_file.resolve())]
    meters = [workdir / f"{job.mp3.stem}.meter" for job in jobs]
    for n, (job, meter) in enumerate(zip(jobs, meters, strict=True)):
        args += output_args(n, job.mp3, meter, s)
    ffmpeg.run(args, what="encoding MP3", cwd=workdir)
    return [measured(meter) for meter in meters]


class Standby:
    """One ffmpeg started before its piece exists: its ~80 ms start-up overlaps the speaking.

    For an edit of a line or two, that start-up was a third of the re-render. The piece
    (gain applied, see _scaled) goes in through stdin. Not a dataclass: it owns a process.
    """

    def __init__(self, exe: str, s: Settings, workdir: Path) -> None:
        self.mp3 = workdir / "standby.mp3"
        self.meter = workdir / "standby.meter"
        self.proc = ffmpeg.start([exe, *HEAD, *INPUT, "-i", "pipe:0",
                                  *output_args(0, self.mp3, self.meter, s)],
                                 what="encoding MP3", cwd=workdir)

    def encode(self, scaled: bytes, mp3: Path) -> tuple[float, float]:
        ffmpeg.finish(self.proc, scaled, what="encoding MP3")
        self.mp3.replace(mp3)
        return measured(self.meter)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def _dbfs(linear: float) -> float:
    return 20 * math.log10(linear) if linear > 0 else -math.inf


