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
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from briefing.audio import ffmpeg, xing
from briefing.audio.chunks import (
    CHUNK_FORMAT,
    CODEC_DELAY,
    INPUT,
    Chunk,
    Queued,
    Settings,
    Standby,
    StoredPiece,
    count_frames,
    encode_batch,
    output_args,
    padded,
    scaled,
)
from briefing.audio.levels import (
    FRAME_SAMPLES,
    LOUDNESS_TOLERANCE_LU,
    MP3_LOUDNESS_LOSS_LU,
    OUTPUT_RATE,
    SPEECH_RATE,
)
from briefing.errors import AudioError
from briefing.tts.cache import SegmentCache, make_key

MP3_PEAK_RISE_DB = 1.4  # measured: MP3 true peak over the limited PCM's 44.1 kHz sample peak
# One gain for the whole episode, in steps, so that editing a sentence (which moves the
# episode's loudness by a hundredth of a dB) keeps every other chunk's cache key.
GAIN_STEP_DB = 0.25
# The limiter turns extra gain into less extra loudness: measured on espeak speech, +1 dB
# of gain gave ~+0.5 LU once the ceiling bites. Used to correct a missed guess in one step.
LOUDNESS_PER_GAIN_DB = 0.5
# Quieter than the target by more than this, the first correction assumes the limiter
# does not bite (slope 1): with 0.5, a first guess 10 LU short overshot into the limiter
# and three passes ended 1.4 LU loud.
QUIET_BY_LU = 3.0
MAX_PASSES = 3  # a first guess off target gets two corrections at most (first runs only)
FIRST_GUESS_GAIN_DB = 8.0  # measured: speech at -20 dBFS RMS needs ~+8 dB to reach -16 LUFS
GAIN_MEMORY = "episode-gain"  # the last episode's gain, the next one's first guess


@dataclass(frozen=True)
class Encoded:
    """The joined episode: per piece (start, end) in ms, the length, and its loudness."""

    spans_ms: tuple[tuple[float, float], ...]
    duration_ms: float
    integrated_lufs: float
    true_peak_dbtp: float
    gain_db: float


STANDBY_MAX = 2  # new pieces up to which an ffmpeg is started ahead (more come in batches)
BATCH = 6  # most pieces an ffmpeg run takes while speech is still coming
# most pieces an ffmpeg run takes at all: each is an input, an output and two meter files
# (descriptors) and a LAME encoder (memory); a 30-minute episode's half in one run took
# 100 MB more than this
MAX_BATCH = 12
MIN_BATCH_S = 20.0  # seconds of audio an ffmpeg run waits for while speech is still coming


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
        self.chain = " ".join([*INPUT, *output_args(0, Path("/chunk.mp3"), Path("chunk.meter"), s)])
        self.cache = cache
        self.jobs = max(1, jobs)
        self._count = 0
        self._cond = threading.Condition()
        self._pending: list[Queued] = []
        self._producing = True  # more pieces may come: batches stay small
        self._closing = False
        self.standby: Standby | None = Standby(self.exe, s, workdir) if standby else None
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

    def submit(self, piece: StoredPiece, gain_db: float) -> Future[Chunk]:
        """The piece's chunk: at once from the cache, else when an encode thread has run it."""
        self._count += 1
        pcm, before, audio = padded(piece)
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
        pcm_file.write_bytes(scaled(pcm, gain))
        job = Queued(pcm_file, mp3, gain, key, before, audio, len(pcm) // 2, piece.speech, future)
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

    def _take(self) -> tuple[list[Queued], Standby | None]:
        """A batch for a free thread (the lock is held): its share of what waits, by length."""
        if self.standby is not None:
            standby, self.standby = self.standby, None
            return [self._pending.pop(0)], standby
        share = sum(job.samples for job in self._pending) / self.jobs
        batch: list[Queued] = []
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

    def _run(self, batch: list[Queued], standby: Standby | None) -> None:
        try:
            if standby is not None:
                results = [standby.encode(batch[0].pcm_file.read_bytes(), batch[0].mp3)]
            else:
                results = encode_batch(self.exe, batch, self.settings, self.workdir)
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
        data = mp3.read_bytes()
        info = xing.read_info(data)
        if info is None:  # an ffmpeg that wrote no Info frame: the CRC costs a pass
            info = xing.Info(0, CODEC_DELAY - xing.DECODER_DELAY, 0, xing.crc16(data))
        frames = count_frames(data[info.size :])
        return Chunk(mp3, frames, CODEC_DELAY + 2 * before, audio, loud, peak, speech, info)


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
    pieces: Iterable[StoredPiece],
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
    kept: list[StoredPiece] = []
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
            # far under the target the limiter barely works: a dB of gain is a dB of loudness
            slope = 1.0 if error > QUIET_BY_LU else LOUDNESS_PER_GAIN_DB
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
    """The chunks' audio frames one after another, behind one Info frame for them all.

    Times are as a player that reads the Info frame plays the file: from the first chunk's
    first sample, after the encoder's and decoder's delay (which such a player skips).
    """
    if not chunks:
        raise AudioError("nothing to encode: the episode has no audio")
    frames = sum(c.frames for c in chunks)
    sizes = [c.mp3.stat().st_size - c.info.size for c in chunks]
    crc = 0
    for c, size in zip(chunks, sizes, strict=True):
        crc = xing.crc16_combine(crc, c.info.music_crc, size)
    first, last = chunks[0], chunks[-1]
    skipped = first.info.delay + xing.DECODER_DELAY  # what a player skips at the start
    spans: list[tuple[float, float]] = []
    position = -skipped
    with mp3.open("wb") as out:
        for c in chunks:
            data = c.mp3.read_bytes()
            if c is first:
                out.write(xing.info_frame(data[c.info.size : c.info.size + 4], frames,
                                          sum(sizes), delay=first.info.delay,
                                          padding=last.info.padding, music_crc=crc))
            out.write(data[c.info.size :])
            start = position + c.audio_start
            spans.append((start * 1000 / OUTPUT_RATE,
                          (start + 2 * c.audio_samples) * 1000 / OUTPUT_RATE))
            position += c.frames * FRAME_SAMPLES
            c.mp3.unlink(missing_ok=True)
    played = frames * FRAME_SAMPLES - first.info.delay - last.info.padding
    peak = max((c.peak for c in chunks), default=-math.inf)
    return Encoded(tuple(spans), played * 1000 / OUTPUT_RATE,
                   round(_whole_loudness(chunks) - MP3_LOUDNESS_LOSS_LU, 1),
                   round(peak + MP3_PEAK_RISE_DB, 1), gain)
