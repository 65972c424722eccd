"""The real engines: pyttsx3 and espeak-ng through libespeak-ng, checked on their WAVs."""

from __future__ import annotations

import multiprocessing
import os
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.errors import EngineError, VoiceNotFoundError
from briefing.models import Voice
from briefing.tts import engine_info, get_synthesizer, resolve_voice, words_per_minute
from briefing.tts.backends.espeak import EspeakSynthesizer
from briefing.tts.backends.pyttsx3 import Pyttsx3Synthesizer
from briefing.tts.base import Synthesizer
from briefing.tts.lanes import synthesize_lines
from briefing.tts.wavfile import duration_s

pytestmark = pytest.mark.e2e

SENTENCE = (
    "The council met on Tuesday evening to discuss the future of the old market hall, "
    "which has stood empty for most of the past year."
)


@pytest.fixture(params=["pyttsx3", "espeak-ng"])
def synth(request: pytest.FixtureRequest) -> Iterator[Synthesizer]:
    engine = get_synthesizer(request.param)
    yield engine
    engine.close()


def _say(synth: Synthesizer, text: str, path: Path, voice: Voice = Voice()) -> float:  # noqa: B008
    synth.synthesize(text, path, voice)
    return duration_s(path)


def test_writes_mono_16_bit_wav(synth: Synthesizer, tmp_path: Path) -> None:
    seconds = _say(synth, SENTENCE, tmp_path / "a.wav")
    assert 3 < seconds < 15
    with wave.open(str(tmp_path / "a.wav")) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)


def test_duration_scales_with_text_length(synth: Synthesizer, tmp_path: Path) -> None:
    one = _say(synth, SENTENCE, tmp_path / "one.wav")
    three = _say(synth, " ".join([SENTENCE] * 3), tmp_path / "three.wav")
    assert 2.5 < three / one < 3.3


def test_duration_scales_with_rate(synth: Synthesizer, tmp_path: Path) -> None:
    slow = _say(synth, SENTENCE, tmp_path / "slow.wav", Voice(rate=120))
    fast = _say(synth, SENTENCE, tmp_path / "fast.wav", Voice(rate=240))
    assert 1.5 < slow / fast < 2.5


def test_bad_voice_lists_voices_that_exist(synth: Synthesizer, tmp_path: Path) -> None:
    with pytest.raises(VoiceNotFoundError, match=r"(?i)en-gb-x-rp"):
        resolve_voice(synth, "en-gb+f3")
    assert resolve_voice(synth, "en-gb-x-rp+f3") == "en-gb-x-rp+f3"
    with pytest.raises(VoiceNotFoundError):
        synth.synthesize(SENTENCE, tmp_path / "a.wav", Voice("en-gb+f3"))
    assert not (tmp_path / "a.wav").exists()


@pytest.mark.parametrize("rate", [130, 170, 230])
def test_measured_wpm_is_near_the_rate(synth: Synthesizer, rate: int) -> None:
    wpm = words_per_minute(synth, Voice(rate=rate))
    assert 0.6 * rate < wpm < 1.4 * rate


def test_voices_are_listed(synth: Synthesizer) -> None:
    ids = {v.id.lower() for v in synth.voices()}
    assert {"gmw/en", "gmw/en-us", "gmw/en-gb-x-rp"} <= ids


def test_pyttsx3_keeps_stdout_clean(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    synth = Pyttsx3Synthesizer()
    try:
        synth.synthesize(SENTENCE, tmp_path / "a.wav", Voice())
    finally:
        synth.close()
    out, _ = capfd.readouterr()
    assert "Audio saved" not in out


def test_alternating_voices_keep_their_rates(tmp_path: Path) -> None:
    host, reader = Voice("en-us", 170), Voice("en-gb-x-rp+f3", 140, 60)
    items = [(f"{SENTENCE} Item {i}.", host if i % 2 else reader) for i in range(8)]
    synth = Pyttsx3Synthesizer()
    try:
        seconds = [duration_s(p) for p in synthesize_lines(items, tmp_path, synth)]
    finally:
        synth.close()
    assert synth.stats.fallbacks == 0
    reader_s, host_s = seconds[0::2], seconds[1::2]
    assert max(reader_s) - min(reader_s) < 0.2 and max(host_s) - min(host_s) < 0.2
    assert min(reader_s) > 1.1 * max(host_s)  # 140 wpm is slower than 170


def test_fresh_workers_hold_the_rate_and_pitch_they_were_given() -> None:
    # pyttsx3's end of loop cancelled espeak-ng's command queue before it had applied the
    # rate or pitch: on a busy machine up to one worker start in 120 came up at 200 wpm or
    # pitch 50 (three starting at a time; CI failed on it once). A stress, not a proof: the
    # race depends on the machine's load, so this catches it only some of the time.
    from concurrent.futures import ThreadPoolExecutor

    from briefing.tts.process.worker import Worker

    def start(_: int) -> str:
        worker = Worker(Pyttsx3Synthesizer.worker_target, "gmw/en-us", 165, 45, wait=False)
        try:
            worker.wait_ready()
            return ""
        except EngineError as exc:  # the message is what the test reports
            return str(exc)
        finally:
            worker.kill()

    with ThreadPoolExecutor(3) as pool:
        failures = [m for m in pool.map(start, range(90)) if m]
    assert not failures, failures


def test_tiny_timeout_falls_back_to_espeak(tmp_path: Path) -> None:
    synth = Pyttsx3Synthesizer(timeout_s=0.001, retries=1)
    try:
        assert _say(synth, SENTENCE, tmp_path / "a.wav") > 3
    finally:
        synth.close()
    # the first attempt times out; under load its retry may fail starting rather than time
    # out again: either way both attempts failed and the fallback spoke
    assert synth.stats.timeouts >= 1 and synth.stats.retries == 1
    assert synth.stats.fallbacks == 1


def test_espeak_in_a_worker_process(tmp_path: Path) -> None:
    synth = EspeakSynthesizer(isolated=True)
    try:
        isolated = _say(synth, SENTENCE, tmp_path / "a.wav")
        assert len(synth.voices()) > 50
    finally:
        synth.close()
    in_process = _say(EspeakSynthesizer(), SENTENCE, tmp_path / "b.wav")
    assert isolated == pytest.approx(in_process, rel=0.01)  # espeak keeps a little state


def _child(synth: Synthesizer, path: str, queue: multiprocessing.Queue[float]) -> None:
    synth.synthesize(SENTENCE, Path(path), Voice())
    queue.put(duration_s(Path(path)))


@pytest.mark.parametrize("name", ["pyttsx3", "espeak-ng"])
def test_usable_from_a_forked_child(name: str, tmp_path: Path) -> None:
    synth = get_synthesizer(name)
    try:
        parent = _say(synth, SENTENCE, tmp_path / "parent.wav")
        ctx = multiprocessing.get_context("fork")
        queue: multiprocessing.Queue[float] = ctx.Queue()
        child = ctx.Process(target=_child, args=(synth, str(tmp_path / "child.wav"), queue))
        child.start()
        child.join(60)
        assert child.exitcode == 0
        assert queue.get(timeout=5) == pytest.approx(parent, rel=0.05)
        assert _say(synth, SENTENCE, tmp_path / "again.wav") == pytest.approx(parent, rel=0.05)
    finally:
        synth.close()


def test_engine_info_names_the_library() -> None:
    info = engine_info()
    assert info["library"] in {"system", "espeakng-loader"}
    assert os.path.exists(info["path"]) or info["library"] == "system"
    assert info["version"][0].isdigit()


def _pool_job(name: str, path: str) -> float:
    synth = get_synthesizer(name)
    try:
        synth.synthesize(SENTENCE, Path(path), Voice())
    finally:
        synth.close()
    return duration_s(Path(path))


@pytest.mark.parametrize("method", ["fork", "spawn"])
@pytest.mark.parametrize("name", ["pyttsx3", "espeak-ng"])
def test_usable_inside_a_process_pool(name: str, method: str, tmp_path: Path) -> None:
    # Pool workers are daemonic: they may not have daemonic children of their own.
    with multiprocessing.get_context(method).Pool(2) as pool:
        got = pool.starmap(_pool_job, [(name, str(tmp_path / f"{i}.wav")) for i in range(2)])
    assert all(3 < seconds < 15 for seconds in got)
