"""The segment cache: keys, LRU eviction, concurrent writers, the CLI, and re-renders that
speak (and encode) only what changed; parallel synthesis keeps the order."""

from __future__ import annotations

import multiprocessing
import os
import random
import threading
import time
import wave
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from briefing import pipeline, tts
from briefing.audio import chunks, encoder
from briefing.cli import cli
from briefing.config import Config
from briefing.errors import EngineError
from briefing.models import Line, Script, Section, Voice
from briefing.tts.cache import SegmentCache, make_key
from briefing.tts.lanes import segment_key, synthesize_lines
from tests.fakes import ToneSynthesizer

VOICE = Voice("en-us", 170, 50)


def frames(path: Path) -> int:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes()


# keys


def test_the_key_changes_with_every_ingredient():
    tone = ToneSynthesizer()
    base = segment_key("Hello there.", VOICE, tone)
    other = ToneSynthesizer()
    other.name = "other"
    newer = ToneSynthesizer()
    newer.version = "2"
    variants = [
        segment_key("Hello there!", VOICE, tone),
        segment_key("Hello there.", Voice("en-gb", 170, 50), tone),
        segment_key("Hello there.", Voice("en-us", 171, 50), tone),
        segment_key("Hello there.", Voice("en-us", 170, 51), tone),
        segment_key("Hello there.", VOICE, other),
        segment_key("Hello there.", VOICE, newer),
    ]
    assert base == segment_key("Hello there.", VOICE, ToneSynthesizer())
    assert len({base, *variants}) == len(variants) + 1


def test_the_key_is_of_the_text_after_speech_normalization(tmp_path: Path, monkeypatch):
    """speak_lines keys on what is spoken: a lexicon change re-speaks the line."""
    seen: list[str] = []

    def key(*parts: object) -> str:
        seen.append(str(parts[1]))
        return make_key(*parts)

    monkeypatch.setattr("briefing.tts.lanes.make_key", key)
    tone = ToneSynthesizer()
    monkeypatch.setattr(tts, "get_synthesizer", lambda name="pyttsx3", **kw: tone)
    script = _script(["The council paid $5m."])
    list(pipeline.speak_lines(script, tmp_path / "s", Config(voice="en-us", host_voice="en-us")))
    spoken = [call[0] for call in tone.calls]
    assert "The council paid five million dollars." in spoken
    assert sorted(seen) == sorted(spoken)  # lanes speak in their own order


# eviction, concurrency


def _put(cache: SegmentCache, key: str, size: int, tmp: Path) -> None:
    src = tmp / f"src-{key}"
    src.write_bytes(os.urandom(size))
    cache.store(key, ".wav", src)


def test_least_recently_used_files_go_first_under_a_tiny_cap(tmp_path: Path):
    cache = SegmentCache(tmp_path / "c", max_bytes=2000)
    for n, key in enumerate(["aa1", "bb2", "cc3"]):
        _put(cache, key, 1000, tmp_path)
        os.utime(cache.path(key, ".wav"), (1000 + n, 1000 + n))  # distinct, ordered times
    assert cache.fetch("aa1", ".wav", tmp_path / "hit.wav")  # touched: now the newest
    assert cache.trim() == 2  # 3000 > 2000: evict down to 90% of the cap
    assert cache.path("aa1", ".wav").exists()
    assert not cache.path("bb2", ".wav").exists() and not cache.path("cc3", ".wav").exists()
    assert cache.info().bytes == 1000
    assert not cache.fetch("bb2", ".wav", tmp_path / "miss.wav")
    assert (cache.hits, cache.misses) == (1, 1)


def test_trim_scans_only_when_the_ledger_says_the_cap_may_be_passed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    scans: list[int] = []
    real = SegmentCache._files

    def counted(self: SegmentCache):  # type: ignore[no-untyped-def]
        scans.append(1)
        return real(self)

    monkeypatch.setattr(SegmentCache, "_files", counted)
    root = tmp_path / "c"
    first = SegmentCache(root, max_bytes=2500)
    _put(first, "aa1", 1000, tmp_path)
    assert first.trim() == 0 and len(scans) == 1  # no ledger yet: one scan, which writes it
    for run, key in enumerate(["bb2", "cc3"]):  # later runs, each its own handle
        cache = SegmentCache(root, max_bytes=2500)
        _put(cache, key, 1000, tmp_path)
        cache.trim()
        assert len(scans) == 1 + run  # 2000 <= 2500: the ledger answers; 3000: a scan
    assert SegmentCache(root).info().bytes <= 2500 * 0.9  # evicted down, as before


def test_the_size_cap_comes_from_the_environment(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("BRIEFING_CACHE_MB", "2")
    assert SegmentCache(tmp_path).max_bytes == 2_000_000
    monkeypatch.delenv("BRIEFING_CACHE_MB")
    assert SegmentCache(tmp_path).max_bytes == 500_000_000


def _writer(root: str, seed: int) -> None:
    cache = SegmentCache(Path(root), max_bytes=10_000_000)
    rng = random.Random(seed)
    work = Path(root).parent / f"w{seed}"
    work.mkdir(exist_ok=True)
    for n in range(40):
        key = f"{rng.randrange(8):02d}{'k' * 10}"  # 8 keys, all writers fight over them
        payload = bytes([int(key[:2])]) * 20_000  # a key always holds the same content
        src = work / f"{n}.bin"
        src.write_bytes(payload)
        cache.store(key, ".bin", src)
        out = work / f"out{n}.bin"
        if cache.fetch(key, ".bin", out):
            assert out.read_bytes() == payload  # never half a file, never another's
        if n % 10 == 0:
            cache.trim()


def test_concurrent_writers_never_leave_broken_or_temporary_files(tmp_path: Path):
    root = tmp_path / "c"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(root), seed)) for seed in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    files = [p for p in root.rglob("*") if p.is_file()]
    ledger = root / ".size"  # the size ledger, the one dot-file that belongs there
    assert files and not [p for p in files if p.name.startswith(".") and p != ledger]
    files.remove(ledger)
    for path in files:
        assert path.read_bytes() == bytes([int(path.name[:2])]) * 20_000


# the CLI


def test_cache_info_and_clear(tmp_path: Path, briefing_home: Path):
    cache = SegmentCache()
    _put(cache, "ab" + "0" * 62, 1234, tmp_path)
    runner = CliRunner()
    info = runner.invoke(cli, ["cache", "info"])
    assert info.exit_code == 0, info.output
    assert str(briefing_home / "cache" / "segments") in info.output
    assert "files:   1" in info.output
    cleared = runner.invoke(cli, ["cache", "clear"])
    assert cleared.exit_code == 0
    assert "Removed 1 cached file." in cleared.output
    assert SegmentCache().info().entries == 0
    assert runner.invoke(cli, ["cache", "--help"]).exit_code == 0
    assert runner.invoke(cli, ["cache", "nope"]).exit_code == 2


# synthesize_lines: cache and lanes


class SlowTone(ToneSynthesizer):
    """Takes a random little while, so lanes finish out of order."""

    def synthesize(self, text: str, wav_path: Path, voice: Voice) -> None:
        time.sleep(random.uniform(0, 0.02))
        super().synthesize(text, wav_path, voice)


def _items(n: int) -> list[tuple[str, Voice]]:
    voices = [Voice("en-us", 170, 50), Voice("en-gb-x-rp", 165, 45), Voice("de", 170, 50)]
    return [(" ".join(["word"] * (i + 1)), voices[i % 3]) for i in range(n)]


def test_parallel_lanes_keep_the_order_and_every_line(tmp_path: Path):
    items = _items(24)
    made: list[SlowTone] = []
    lock = threading.Lock()

    def factory() -> SlowTone:
        with lock:
            made.append(SlowTone())
            return made[-1]

    first = SlowTone()
    wavs = list(synthesize_lines(items, tmp_path, first, new_synth=factory, jobs=3))
    assert [w.name for w in wavs] == [f"{i:04d}.wav" for i in range(24)]
    tone = ToneSynthesizer()
    for (text, _), wav in zip(items, wavs, strict=True):
        assert frames(wav) == round(tone.seconds_for(text) * 22050)
    calls = first.calls + [c for m in made for c in m.calls]
    assert sorted(c[1].name for c in calls) == [w.name for w in wavs]  # each line once
    assert len(made) == 2 and all(m.closed for m in made) and not first.closed
    # each lane keeps to its voices: no voice is spoken by every lane
    lanes_per_voice = {v: sum(any(c[2] == v for c in s.calls) for s in [first, *made])
                       for v in {i[1] for i in items}}
    assert max(lanes_per_voice.values()) <= 2


def test_results_come_out_lazily_and_in_order(tmp_path: Path):
    items = _items(6)
    got = synthesize_lines(items, tmp_path, SlowTone(), new_synth=SlowTone, jobs=2)
    assert next(got).name == "0000.wav"
    assert [w.name for w in got] == [f"{i:04d}.wav" for i in range(1, 6)]


class FailsOn(ToneSynthesizer):
    def synthesize(self, text: str, wav_path: Path, voice: Voice) -> None:
        if text.startswith("bad"):
            raise EngineError("speech failed for this line")
        super().synthesize(text, wav_path, voice)


def test_an_engine_error_comes_out_at_its_line(tmp_path: Path):
    items = [("one two", VOICE), ("bad line", VOICE), ("three", VOICE), ("four", VOICE)]
    got = synthesize_lines(items, tmp_path, FailsOn(), new_synth=FailsOn, jobs=2)
    assert next(got).name == "0000.wav"
    with pytest.raises(EngineError, match="speech failed"):
        next(got)


def test_a_factory_that_shares_one_engine_gives_one_lane(tmp_path: Path):
    tone = ToneSynthesizer()
    wavs = list(synthesize_lines(_items(5), tmp_path, tone, new_synth=lambda: tone, jobs=4))
    assert len(wavs) == 5 and len(tone.calls) == 5 and not tone.closed


def test_cached_lines_are_not_spoken_again(tmp_path: Path):
    cache = SegmentCache(tmp_path / "cache")
    items = _items(5)
    tone = ToneSynthesizer()
    list(synthesize_lines(items, tmp_path / "a", tone, cache=cache))
    assert len(tone.calls) == 5
    edited = [*items[:2], ("a new sentence here", items[2][1]), *items[3:]]
    again = ToneSynthesizer()
    wavs = list(synthesize_lines(edited, tmp_path / "b", again, cache=cache))
    assert [c[0] for c in again.calls] == ["a new sentence here"]
    assert frames(wavs[0]) == frames(tmp_path / "a" / "0000.wav")


# the whole render


class CountingTone(ToneSynthesizer):
    """Every instance's calls in one list, for code that makes its own synthesizers."""

    every: ClassVar[list[str]] = []

    def synthesize(self, text: str, wav_path: Path, voice: Voice) -> None:
        CountingTone.every.append(text)
        super().synthesize(text, wav_path, voice)


def _script(texts: list[str]) -> Script:
    host, reader = Voice("en-gb-x-rp", 165, 45), Voice("en-us", 170, 50)
    sections = (
        Section("Intro", (Line("Good morning, this is the briefing.", "host", kind="intro"),)),
        Section("Story", tuple(Line(t, "reader", kind="story", pause_after_ms=350)
                               for t in texts)),
        Section("Outro", (Line("That was the briefing.", "host", kind="outro"),)),
    )
    return Script("Show, today", "Show", "2026-11-28", "en", sections, host=host, reader=reader)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    CountingTone.every = []
    monkeypatch.setitem(tts.BUILTINS, "counting", "tests.test_cache:CountingTone")
    return CountingTone.every


def _count_encodes(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The gain of every piece encoded, in batches or by an ffmpeg started ahead."""
    gains: list[float] = []
    real = chunks.encode_batch
    real_standby = chunks.Standby.encode

    def counted(exe, jobs, settings, workdir):
        gains.extend(job.gain_db for job in jobs)
        return real(exe, jobs, settings, workdir)

    def counted_standby(self, scaled, mp3):
        gains.append(float("nan"))  # its gain is inside the samples
        return real_standby(self, scaled, mp3)

    monkeypatch.setattr(encoder, "encode_batch", counted)
    monkeypatch.setattr(chunks.Standby, "encode", counted_standby)
    return gains


STORY = [f"Sentence number {n} of the story tells the listener something new today."
         for n in range(1, 7)]


def test_a_re_render_after_editing_one_sentence_speaks_and_encodes_only_it(
    counting: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    config = Config(engine="counting", chimes=False)
    pipeline.render(_script(STORY), config, output=tmp_path / "a.mp3")
    assert len(counting) == len(STORY) + 2
    counting.clear()
    encodes = _count_encodes(monkeypatch)
    edited = [*STORY[:3], "This sentence was edited by hand before the second render.", *STORY[4:]]
    episode = pipeline.render(_script(edited), config, output=tmp_path / "b.mp3")
    assert counting == ["This sentence was edited by hand before the second render."]
    assert len(encodes) == 1  # the other chunks, and the closing silence, come from the cache
    assert episode.mp3.stat().st_size > 10_000


def test_no_cache_speaks_everything_and_stores_nothing(
    counting: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    config = Config(engine="counting", chimes=False)
    pipeline.render(_script(STORY), config, output=tmp_path / "a.mp3", use_cache=False)
    pipeline.render(_script(STORY), config, output=tmp_path / "b.mp3", use_cache=False)
    assert len(counting) == 2 * (len(STORY) + 2)
    assert SegmentCache().info().entries == 0
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    counting.clear()
    pipeline.render(_script(STORY), config, output=tmp_path / "c.mp3")
    assert len(counting) == len(STORY) + 2 and SegmentCache().info().entries == 0


def test_the_no_cache_flag_reaches_the_renderer(counting: list[str], tmp_path: Path):
    from briefing.script.markdown import to_markdown

    config = Config(engine="counting", chimes=False)
    md = tmp_path / "s.md"
    md.write_text(to_markdown(_script(STORY), pipeline.script_pauses(config)), encoding="utf-8")
    runner = CliRunner()
    env = {"BRIEFING_SYNTHESIZER": "counting", "BRIEFING_CHIMES": "false"}
    for _ in range(2):
        result = runner.invoke(cli, ["-q", "render", str(md), "-o", str(tmp_path / "x.mp3"),
                                     "--no-cache"], env=env)
        assert result.exit_code == 0, result.output
    assert SegmentCache().info().entries == 0
    first = len(counting)
    assert first and first % 2 == 0  # everything spoken both times
    result = runner.invoke(cli, ["-q", "render", str(md), "-o", str(tmp_path / "y.mp3")], env=env)
    assert result.exit_code == 0, result.output
    assert SegmentCache().info().entries > 0
