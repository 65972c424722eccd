"""Segments -> MP3 chunks, each encoded once (limited, normalized) and cached, joined by frames.

An MP3 made of independently encoded chunks is still one valid stream: each chunk starts
with an empty bit reservoir, and every boundary lies in a pause, where the encoder's own
lead-in (silence) and frame padding cannot be heard. That is what lets a re-render after
editing one sentence encode one sentence. Times come from counted MP3 frames, so chapters
and cues match the file exactly.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from briefing import ffmpeg
from briefing.errors import AudioError
from briefing.tts.cache import SegmentCache, make_key

SPEECH_RATE = 22050  # what espeak-ng writes
OUTPUT_RATE = 44100
FRAME_SAMPLES = 1152  # MPEG-1 Layer III
# Measured (a click encoded and decoded with ffmpeg's libmp3lame and mp3 decoder): the
# decoded chunk starts with LAME's 576-sample encoder delay plus 529 of decoder delay.
CODEC_DELAY = 1105
# The limiter's ceiling sits this far under the true-peak target: MP3 encoding overshoots,
# and the limiter sees 44.1 kHz samples, not the peaks between them. Limiting on 4x
# oversampled audio needed 0.25 dB less margin and cost ~8% more CPU on a cold run;
# measured true peaks stay at -1.4 dBTP or lower either way.
LIMIT_MARGIN_DB = 1.75
MP3_LOUDNESS_LOSS_LU = 0.45  # measured: LAME at 64-96 kbps loses ~0.45 LU of espeak speech
MP3_PEAK_RISE_DB = 1.4  # measured: MP3 true peak over the limited PCM's 44.1 kHz sample peak
# One gain for the whole episode, in steps, so that editing a sentence (which moves the
# episode's loudness by a hundredth of a dB) keeps every other chunk's cache key.
GAIN_STEP_DB = 0.25
LOUDNESS_TOLERANCE_LU = 0.5  # off by more, the whole episode is encoded again at a new gain
# The limiter turns extra gain into less extra loudness: measured on espeak speech, +1 dB
# of gain gave ~+0.5 LU once the ceiling bites. Used to correct a missed guess in one step.
LOUDNESS_PER_GAIN_DB = 0.5
MAX_PASSES = 3  # a first guess off target gets two corrections at most (first runs only)
FIRST_GUESS_GAIN_DB = 8.0  # measured: speech at -20 dBFS RMS needs ~+8 dB to reach -16 LUFS
GAIN_MEMORY = "episode-gain"  # the last episode's gain, the next one's first guess


@dataclass(frozen=True)
class Piece:
    """One chunk to encode: silence, then audio (PCM, mono 16-bit 22.05 kHz), then silence.

    The PCM waits in a file, not in memory: a 30-minute episode is ~80 MB of it.
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


@dataclass(frozen=True)
class Encoded:
    """The joined episode: per piece (start, end) in ms, the length, and its loudness."""

    spans_ms: tuple[tuple[float, float], ...]
    duration_ms: float
    integrated_lufs: float
    true_peak_dbtp: float
    gain_db: float


@dataclass(frozen=True)
class Settings:
    loudness: float = -16.0
    true_peak: float = -1.5
    bitrate: str = "64k"
    stereo: bool = False


# The gain goes on in Python, into 32-bit samples with this much headroom (x256 = 48 dB
# more than the gains used), and ffmpeg takes the headroom back off in float: the filter
# graph is then the same for every piece, so an ffmpeg can be started before its piece
# exists (see _Standby).
HEADROOM = 256
CHUNK_FORMAT = 3  # in the chunk cache key with the chain's arguments: bump when what
# goes into the chain changes in a way its arguments do not show (as _scaled's scaling)

# ebur128's metadata as ametadata prints it, one frame after another; the last is the whole
_METER_I = re.compile(r"^lavfi\.r128\.I=(-?[\d.]+|-?inf)$", re.M)
_METER_PEAK = re.compile(r"^lavfi\.r128\.sample_peak=([\d.e+-]+|inf)$", re.M)
STANDBY_MAX = 2  # new pieces up to which an ffmpeg is started ahead (more come in batches)
BATCH = 6  # most pieces an ffmpeg run takes while speech is still coming
# most pieces an ffmpeg run takes at all: each is an input, an output and two meter files
# (descriptors) and a LAME encoder (memory); a 30-minute episode's half in one run took
# 100 MB more than this
MAX_BATCH = 12
MIN_BATCH_S = 20.0  # seconds of audio an ffmpeg run waits for while speech is still coming


def _padded(piece: Piece) -> tuple[bytes, int, int]:
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


def _count_frames(data: bytes) -> int:
    """MPEG audio frames in a raw MP3 stream (no tags), walking the frame headers."""
    bitrates = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
    rates = (44100, 48000, 32000)
    pos = frames = 0
    while pos + 4 <= len(data):
        b1, b2 = data[pos + 1], data[pos + 2]
        if data[pos] != 0xFF or (b1 & 0xE0) != 0xE0:
            raise AudioError("the MP3 encoder wrote something that is not an MP3 frame")
        size = 144_000 * bitrates[b2 >> 4] // rates[(b2 >> 2) & 3] + ((b2 >> 1) & 1)
        if size <= 0:
            raise AudioError("the MP3 encoder wrote a free-format frame")
        pos += size
        frames += 1
    return frames


@dataclass(frozen=True)
class _Job:
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


def _scaled(pcm: bytes, gain_db: float) -> bytes:
    """16-bit PCM with `gain_db` applied, as 32-bit samples HEADROOM times too quiet."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # audioop-lts from Python 3.13
        import audioop

    return audioop.mul(audioop.lin2lin(pcm, 2, 4), 4, 10 ** (gain_db / 20) / HEADROOM)


_INPUT = ["-f", "s32le", "-ar", str(SPEECH_RATE), "-ac", "1"]


def _output(n: int, mp3: Path, meter: Path, s: Settings) -> list[str]:
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
        "-ac", "2" if s.stereo else "1", "-c:a", "libmp3lame", "-b:a", s.bitrate,
        "-write_xing", "0", "-id3v2_version", "0", "-write_id3v1", "0",
        "-map_metadata", "-1", "-f", "mp3", str(mp3.resolve()),
    ]  # fmt: skip


_HEAD = ["-hide_banner", "-nostats", "-v", "error", "-y"]


def _measured(meter: Path) -> tuple[float, float]:
    """(integrated loudness, sample peak dBFS) from a piece's meter files, which it removes."""
    peaks = meter.with_name(meter.name + ".peak")
    text = "".join(f.read_text(encoding="utf-8", errors="replace")
                   for f in (meter, peaks) if f.exists())
    meter.unlink(missing_ok=True)
    peaks.unlink(missing_ok=True)
    loud, peak = _METER_I.findall(text), _METER_PEAK.findall(text)
    return ((float(loud[-1]) if loud else -70.0),
            (_dbfs(float(peak[-1])) if peak else -math.inf))


def _encode(
    exe: str, jobs: Sequence[_Job], s: Settings, workdir: Path
) -> list[tuple[float, float]]:
    """Encode several pieces in ONE ffmpeg run, one MP3 each; (loudness, peak) for each.

    Starting the system's ffmpeg costs ~80 ms (its shared libraries): once per line, that
    was half of a cold run. Each output has its own filter chain (limiter, meter).
    """
    args = [exe, *_HEAD]
    for job in jobs:
        args += [*_INPUT, "-i", str(job.pcm_file.resolve())]
    meters = [workdir / f"{job.mp3.stem}.meter" for job in jobs]
    for n, (job, meter) in enumerate(zip(jobs, meters, strict=True)):
        args += _output(n, job.mp3, meter, s)
    ffmpeg.run(args, what="encoding MP3", cwd=workdir)
    return [_measured(meter) for meter in meters]


class _Standby:
    """One ffmpeg started before its piece exists: its ~80 ms start-up overlaps the speaking.

    For an edit of a line or two, that start-up was a third of the re-render. The piece
    (gain applied, see _scaled) goes in through stdin. Not a dataclass: it owns a process.
    """

    def __init__(self, exe: str, s: Settings, workdir: Path) -> None:
        self.mp3 = workdir / "standby.mp3"
        self.meter = workdir / "standby.meter"
        self.proc = ffmpeg.start([exe, *_HEAD, *_INPUT, "-i", "pipe:0",
                                  *_output(0, self.mp3, self.meter, s)],
                                 what="encoding MP3", cwd=workdir)

    def encode(self, scaled: bytes, mp3: Path) -> tuple[float, float]:
        ffmpeg.finish(self.proc, scaled, what="encoding MP3")
        self.mp3.replace(mp3)
        return _measured(self.meter)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def _dbfs(linear: float) -> float:
    return 20 * math.log10(linear) if linear > 0 else -math.inf


class _Encoder:
    """Encodes pieces at one gain, from the cache when it can, several to an ffmpeg run.

    `jobs` threads each run one ffmpeg at a time. A thread that is free takes pieces
    that are waiting, up to its share of them (by length): starting ffmpeg costs ~80 ms,
    so pieces go in batches, but a batch queued behind a busy thread while another sits
    idle left one core working alone at the end of a run (a third of a cold run's encode).
    Not a dataclass: it owns threads and a queue.
    """

    def __init__(self, workdir: Path, s: Settings, cache: SegmentCache | None, jobs: int,
                 standby: bool = False) -> None:
        self.exe = ffmpeg.find_ffmpeg()[0]
        # which ffmpeg (its build decides the bytes): path, size and time stamp identify it
        # as well as `ffmpeg -version` would, without starting it (~70 ms)
        st = Path(self.exe).stat()
        self.version = f"{self.exe}|{st.st_size}|{st.st_mtime_ns}"
        self.workdir = workdir
        self.settings = s
        # the whole chain (limiter, meter, encoder, their settings) goes into each chunk's key
        self.chain = " ".join([*_INPUT, *_output(0, Path("/chunk.mp3"), Path("chunk.meter"), s)])
        self.cache = cache
        self.jobs = max(1, jobs)
        self._count = 0
        self._cond = threading.Condition()
        self._pending: list[_Job] = []
        self._producing = True  # more pieces may come: batches stay small
        self._closing = False
        self.standby: _Standby | None = _Standby(self.exe, s, workdir) if standby else None
        self._threads = [threading.Thread(target=self._loop, name=f"encode-{n}", daemon=True)
                         for n in range(self.jobs)]
        for thread in self._threads:
            thread.start()

    def close(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()
        if self.standby is not None:
            self.standby.stop()
            self.standby = None

    def submit(self, piece: Piece, gain_db: float) -> Future[Chunk]:
        """The piece's chunk: at once from the cache, else when an encode thread has run it."""
        self._count += 1
        pcm, before, audio = _padded(piece)
        gain = round(piece.gain_db + gain_db, 2)
        mp3 = self.workdir / f"chunk{self._count:05d}.mp3"
        future: Future[Chunk] = Future()
        key = ""
        if self.cache is not None:
            digest = hashlib.sha256(pcm).hexdigest()
            key = make_key("chunk", CHUNK_FORMAT, self.chain, digest, gain, self.version)
            meta = self.cache.read_text(key, ".json")
            if meta is not None and self.cache.fetch(key, ".mp3", mp3):
                loud, peak = json.loads(meta)
                future.set_result(self._made(mp3, before, audio, piece.speech, loud, peak))
                return future
        pcm_file = self.workdir / f"chunk{self._count:05d}.pcm"
        pcm_file.write_bytes(_scaled(pcm, gain))
        job = _Job(pcm_file, mp3, gain, key, before, audio, len(pcm) // 2, piece.speech, future)
        with self._cond:
            self._producing = True
            self._pending.append(job)
            self._cond.notify()
        return future

    def flush(self) -> None:
        """No more pieces for now: what waits is shared out among the threads."""
        with self._cond:
            self._producing = False
            self._cond.notify_all()

    def _take(self) -> tuple[list[_Job], _Standby | None]:
        """A batch for a free thread (the lock is held): its share of what waits, by length."""
        if self.standby is not None:
            standby, self.standby = self.standby, None
            return [self._pending.pop(0)], standby
        share = sum(job.samples for job in self._pending) / self.jobs
        batch: list[_Job] = []
        taken = 0
        limit = BATCH if self._producing else MAX_BATCH
        while self._pending and (not batch or taken < share) and len(batch) < limit:
            job = self._pending.pop(0)
            batch.append(job)
            taken += job.samples
        left = sum(job.samples for job in self._pending)
        if not self._producing and left < MIN_BATCH_S * SPEECH_RATE and (
                len(batch) + len(self._pending) <= MAX_BATCH):
            # a last scrap is not worth an ffmpeg start of its own (~80 ms of CPU)
            batch += self._pending
            self._pending = []
        return batch, None

    def _ready(self) -> bool:
        """Whether a free thread should start an ffmpeg now (the lock is held). While speech
        is still coming, not for a single short piece: each start costs ~80 ms of CPU that
        the speaking needs, and a few more pieces are moments away."""
        if not self._pending:
            return False
        if self.standby is not None or not self._producing or len(self._pending) >= BATCH:
            return True
        return sum(job.samples for job in self._pending) >= MIN_BATCH_S * SPEECH_RATE

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._ready() and not self._closing:
                    self._cond.wait()
                if not self._pending:
                    return
                batch, standby = self._take()
            self._run(batch, standby)

    def _run(self, batch: list[_Job], standby: _Standby | None) -> None:
        try:
            if standby is not None:
                results = [standby.encode(batch[0].pcm_file.read_bytes(), batch[0].mp3)]
            else:
                results = _encode(self.exe, batch, self.settings, self.workdir)
            for job, (loud, peak) in zip(batch, results, strict=True):
                if self.cache is not None:
                    self.cache.store(job.key, ".mp3", job.mp3)
                    self.cache.store_text(job.key, ".json", json.dumps([loud, peak]))
                job.future.set_result(
                    self._made(job.mp3, job.before, job.audio, job.speech, loud, peak))
        except BaseException as exc:  # handed to whoever waits on the chunks, not swallowed
            for job in batch:
                if not job.future.done():
                    job.future.set_exception(exc)
        finally:
            for job in batch:
                job.pcm_file.unlink(missing_ok=True)

    def _made(self, mp3: Path, before: int, audio: int, speech: bool, loud: float,
              peak: float) -> Chunk:
        frames = _count_frames(mp3.read_bytes())
        return Chunk(mp3, frames, CODEC_DELAY + 2 * before, audio, loud, peak, speech)


def _whole_loudness(chunks: Iterable[Chunk]) -> float:
    """The episode's integrated loudness from its chunks', weighted by length (pauses gated)."""
    energy = weight = 0.0
    for c in chunks:
        if c.speech and c.loudness > -70:
            energy += c.audio_samples * 10 ** (c.loudness / 10)
            weight += c.audio_samples
    return 10 * math.log10(energy / weight) if weight else -70.0


def _quantized(gain: float) -> float:
    return round(gain / GAIN_STEP_DB) * GAIN_STEP_DB


def build(
    pieces: Iterable[Piece],
    mp3: Path,
    workdir: Path,
    settings: Settings,
    *,
    cache: SegmentCache | None = None,
    jobs: int = 1,
    on_piece: Callable[[], None] | None = None,
    expect_new: int | None = None,
) -> Encoded:
    """Encode `pieces` (consumed lazily, encoded while later ones are still being made)
    into one MP3 at `settings.loudness` LUFS with peaks under `settings.true_peak` dBTP.

    `expect_new`: how many pieces are likely new (not in the cache), when known; for a
    small edit, an ffmpeg is started at once, to be ready when the new speech is.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    target = settings.loudness + MP3_LOUDNESS_LOSS_LU  # what the PCM must measure
    memory_key = make_key(GAIN_MEMORY, settings.loudness, settings.true_peak, settings.bitrate)
    gain = FIRST_GUESS_GAIN_DB + settings.loudness + 16.0
    if cache is not None:
        remembered = cache.read_text(memory_key, ".json")
        if remembered is not None:
            gain = float(json.loads(remembered))
    standby = cache is not None and expect_new is not None and 0 < expect_new <= STANDBY_MAX
    encoder = _Encoder(workdir, settings, cache, jobs, standby=standby)
    kept: list[Piece] = []
    try:
        futures: list[Future[Chunk]] = []
        for piece in pieces:
            kept.append(piece)
            futures.append(encoder.submit(piece, gain))
            if on_piece is not None:
                on_piece()
        encoder.flush()
        chunks = [f.result() for f in futures]
        tried: list[tuple[float, float, list[Chunk]]] = []  # (gain, loudness, chunks)
        for attempt in range(MAX_PASSES):
            measured = _whole_loudness(chunks)
            tried.append((gain, measured, chunks))
            error = target - measured
            if abs(error) <= LOUDNESS_TOLERANCE_LU or measured <= -70 or attempt + 1 == MAX_PASSES:
                break
            slope = LOUDNESS_PER_GAIN_DB
            if len(tried) > 1 and tried[-1][0] != tried[-2][0]:
                # what this episode really does (speech the limiter shaves, or a tone it
                # leaves alone): the last two passes' loudness against their gains
                slope = (tried[-1][1] - tried[-2][1]) / (tried[-1][0] - tried[-2][0])
                slope = min(1.0, max(0.2, slope))
            new_gain = _quantized(gain + error / slope)
            if new_gain == gain:
                break
            gain = new_gain
            again = [encoder.submit(p, gain) for p in kept]
            encoder.flush()
            chunks = [f.result() for f in again]
        gain, _, chunks = min(tried, key=lambda t: abs(target - t[1]))
    finally:
        encoder.close()
        for piece in kept:
            piece.pcm_file.unlink(missing_ok=True)
    if cache is not None:
        cache.store_text(memory_key, ".json", json.dumps(gain))
        cache.trim()
    return _join(chunks, mp3, gain)


def _join(chunks: list[Chunk], mp3: Path, gain: float) -> Encoded:
    spans: list[tuple[float, float]] = []
    position = 0
    with mp3.open("wb") as out:
        for c in chunks:
            out.write(c.mp3.read_bytes())
            start = position + c.audio_start
            spans.append((start * 1000 / OUTPUT_RATE,
                          (start + 2 * c.audio_samples) * 1000 / OUTPUT_RATE))
            position += c.frames * FRAME_SAMPLES
            c.mp3.unlink(missing_ok=True)
    peak = max((c.peak for c in chunks), default=-math.inf)
    return Encoded(tuple(spans), position * 1000 / OUTPUT_RATE,
                   round(_whole_loudness(chunks) - MP3_LOUDNESS_LOSS_LU, 1),
                   round(peak + MP3_PEAK_RISE_DB, 1), gain)

