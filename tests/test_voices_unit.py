"""Neural-engine plumbing without speech: sentence pieces, resampling, the voice folder,
config, scripts that name an engine, errors that say what to do."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import tts
from briefing.cli import cli
from briefing.config import Config, load_config
from briefing.errors import EngineError, VoiceNotFoundError
from briefing.models import Voice
from briefing.script.markdown import _parse_voice, _voice
from briefing.tts import calibrate, library
from briefing.tts.backends.onnx import MAX_WORDS, pieces
from briefing.tts.library import folder


def test_pieces_are_sentences_of_at_most_max_words() -> None:
    assert pieces("One two. Three four? Five!") == ["One two.", "Three four?", "Five!"]
    run_on = ", ".join(f"clause number {i} goes on" for i in range(30)) + "."
    parts = pieces(run_on)
    assert all(len(p.split()) <= MAX_WORDS for p in parts)
    assert " ".join(parts).split() == run_on.split()  # nothing lost, nothing added
    no_commas = " ".join(["word"] * 100) + "."
    assert [len(p.split()) for p in pieces(no_commas)] == [40, 40, 20]
    assert pieces(" . ") == []  # nothing an engine could say


def test_resample_keeps_pitch_and_length() -> None:
    np = pytest.importorskip("numpy")
    from briefing.tts.resample import resample, to_pcm16

    t = np.arange(24000) / 24000
    tone = 0.5 * np.sin(2 * math.pi * 1000 * t)
    out = resample(tone, 24000, 22050)
    assert out.size == 22050
    spectrum = np.abs(np.fft.rfft(out))
    assert abs(int(np.argmax(spectrum)) - 1000) <= 1  # still 1 kHz, at 1 Hz per bin
    assert abs(float(np.abs(out[2000:-2000]).max()) - 0.5) < 0.01
    assert len(to_pcm16(np.array([2.0, -2.0, 0.0]))) == 6  # clipped, not wrapped


def _piper_folder(root: Path, key: str, card: str = "* License: CC0\n") -> Path:
    voice = root / key
    voice.mkdir(parents=True)
    (voice / f"{key}.onnx").write_bytes(b"\0" * 100)
    (voice / f"{key}.onnx.json").write_text(json.dumps({
        "audio": {"sample_rate": 22050, "quality": "medium"}, "phoneme_id_map": {"_": [0]},
        "language": {"code": key.split("-")[0]}}))
    (voice / "MODEL_CARD").write_text(card)
    return voice


def test_the_voice_folder_is_one_folder_per_voice(tmp_path: Path) -> None:
    _piper_folder(tmp_path, "de_DE-anna-medium")
    _piper_folder(tmp_path, "en_GB-tom-medium", "* License: see URL\nFinetuned from U.S. "
                  "English lessac voice (medium quality).\n")
    (tmp_path / "incomplete").mkdir()
    (tmp_path / "incomplete" / "x.onnx").write_bytes(b"\0")
    found = {v.id: v for v in folder.scan(tmp_path)}
    assert set(found) == {"de_DE-anna-medium", "en_GB-tom-medium"}
    anna = found["de_DE-anna-medium"]
    assert (anna.engine, anna.language, anna.sample_rate, anna.licence) == (
        "piper", "de-de", 22050, "CC0")
    assert "research-only" in found["en_GB-tom-medium"].note
    # a story in German finds the German voice by its language
    assert library.find("piper", "de", tmp_path).id == "de_DE-anna-medium"


def test_a_missing_voice_says_how_to_get_it(tmp_path: Path) -> None:
    with pytest.raises(VoiceNotFoundError, match=r"run `briefing voices --download "
                       r"en_US-amy-medium`"):
        library.find("piper", "en_US-amy-medium", tmp_path)
    with pytest.raises(VoiceNotFoundError, match=r"`briefing voices --download af_bella`"):
        library.find("kokoro", "af_bella", tmp_path / "none")
    with pytest.raises(VoiceNotFoundError, match=r"has no voice 'robot'.*briefing voices "
                       r"--engine piper"):
        library.find("piper", "robot", tmp_path)


def test_a_corrupt_model_is_named(tmp_path: Path) -> None:
    voice = _piper_folder(tmp_path, "en_US-x-medium")
    found = library.find("piper", "en_US-x-medium", tmp_path)
    from dataclasses import replace

    with pytest.raises(EngineError, match=r"en_US-x-medium\.onnx is corrupt or truncated"):
        library.check_model(replace(found, sha256="0" * 64))
    assert str(voice) in str(found.model)


def test_engine_settings_layer_like_the_rest(tmp_path: Path) -> None:
    toml = tmp_path / "b.toml"
    toml.write_text('[briefing]\nsynthesizer = "espeak-ng"\nhost_engine = "piper"\n')
    config = load_config(toml)
    assert (config.engine, config.synthesizer, config.hosts_engine) == (
        "espeak-ng", "espeak-ng", "piper")
    config = load_config(toml, env={"BRIEFING_ENGINE": "piper", "BRIEFING_VOICES_DIR": "/v"})
    assert (config.engine, config.voices_dir) == ("piper", "/v")
    assert load_config(toml, overrides={"engine": "kokoro"}).engine == "kokoro"
    assert Config().hosts_engine == "pyttsx3"


def test_a_script_names_the_engine_of_a_voice_on_another_engine() -> None:
    voice = Voice("af_heart", 165, 45, "kokoro")
    assert _voice(voice) == "kokoro:af_heart, rate 165, pitch 45"
    assert _parse_voice(_voice(voice)) == voice
    assert _voice(Voice("en-us", 170, 50)) == "en-us, rate 170, pitch 50"  # as before
    assert _parse_voice("gmw/en-US, rate 170, pitch 50") == Voice("gmw/en-US", 170, 50)


def test_unknown_engine_is_one_line_naming_the_installed_and_the_extras() -> None:
    with pytest.raises(EngineError) as info:
        tts.get_synthesizer("festival")
    message = str(info.value)
    assert message.startswith("unknown speech engine 'festival': choose one of the installed ")
    assert "espeak-ng" in message and "pyttsx3" in message
    from tests.conftest import SAMPLE

    result = CliRunner().invoke(cli, ["script", str(SAMPLE), "--engine", "festival"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown speech engine 'festival'")


def test_espeak_defaults_when_the_config_names_no_voice() -> None:
    from briefing.tts.voices import script_voices

    host, reader = script_voices(Config())
    assert (host.id, reader.id, host.engine, reader.engine) == (
        "en-gb-x-rp", "en-us", "pyttsx3", "pyttsx3")
    host, _ = script_voices(Config(host_engine="espeak-ng", engine="pyttsx3"))
    assert host.engine == "espeak-ng"


def test_calibration_passage_in_the_voices_language() -> None:
    assert calibrate.language_of("de_DE-thorsten-medium") == "de"
    assert calibrate.language_of("gmw/en-US+f3") == "en"
    short = calibrate.passage("en", 50)
    assert 50 <= len(short.split()) < 80 and short.endswith(".")
    assert calibrate.passage("xx") == calibrate.PASSAGES["en"]


def test_voices_lists_every_engine_as_json(tmp_path: Path) -> None:
    _piper_folder(tmp_path, "de_DE-anna-medium")
    result = CliRunner().invoke(cli, ["voices", "--json"], env={"BRIEFING_VOICES_DIR":
                                                               str(tmp_path)})
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    engines = {r["engine"] for r in rows}
    assert {"espeak-ng", "piper", "kokoro"} <= engines
    anna = next(r for r in rows if r["id"] == "de_DE-anna-medium")
    assert (anna["status"], anna["licence"], anna["sample_rate"]) == ("installed", "CC0", 22050)
    kokoro = [r for r in rows if r["engine"] == "kokoro" and r["status"] == "downloadable"]
    assert kokoro and all(r["licence"].startswith("Apache-2.0") for r in kokoro)
    german = CliRunner().invoke(cli, ["voices", "-l", "de", "-e", "piper"],
                                env={"BRIEFING_VOICES_DIR": str(tmp_path)})
    assert german.output.splitlines()[0].startswith("de_DE-anna-medium")


def test_init_writes_the_engine_choice_commented(tmp_path: Path) -> None:
    target = tmp_path / "briefing.toml"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert '# engine = "pyttsx3"' in text and "pip install 'briefing[piper]'" in text
    assert load_config(target).engine == "pyttsx3"  # a fresh install needs no download
    target.write_text(text.replace('# engine = "pyttsx3" ', 'engine = "piper"   '))
    assert load_config(target).engine == "piper"


def test_an_engine_whose_extra_is_missing_says_which_extra(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tts, "installed_engines", lambda: ["espeak-ng", "pyttsx3"])
    with pytest.raises(EngineError, match=r"choose one of the installed espeak-ng, pyttsx3; "
                       r"pip install 'briefing\[piper\]' or 'briefing\[kokoro\]' adds"):
        tts.get_synthesizer("festival")
    from briefing.tts.backends.piper import PiperSynthesizer

    monkeypatch.setattr(PiperSynthesizer, "requires", ("no_such_module_here", "onnxruntime"))
    with pytest.raises(EngineError, match=r"'piper' is not installed .*pip install "
                       r"'briefing\[piper\]'"):
        tts.get_synthesizer("piper")


def test_a_piper_speaker_is_picked_by_name(tmp_path: Path) -> None:
    from briefing.tts.backends.piper import speaker_id

    voice = _piper_folder(tmp_path, "en_GB-semaine-medium")
    config = voice / "en_GB-semaine-medium.onnx.json"
    data = json.loads(config.read_text())
    config.write_text(json.dumps({**data, "speaker_id_map": {"prudence": 0, "poppy": 3}}))
    found = library.find("piper", "en_GB-semaine-medium", tmp_path)
    assert (speaker_id(found, "poppy"), speaker_id(found, "3"), speaker_id(found, "")) == (
        3, 3, None)
    with pytest.raises(VoiceNotFoundError, match=r"no speaker 'spike' \(speakers: poppy, "
                       r"prudence\)"):
        speaker_id(found, "spike")
