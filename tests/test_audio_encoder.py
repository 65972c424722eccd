"""The chunked MP3 encoder and the loudness meter, with real ffmpeg: frames, gains, loudness."""

from __future__ import annotations

import array
import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest

from briefing.audio import encoder, xing
from briefing.audio.chunks import Settings, StoredPiece, count_frames, padded, scaled
from briefing.audio.levels import FRAME_SAMPLES, SPEECH_RATE
from briefing.audio.loudness import measure_loudness, parse_loudness
from briefing.errors import AudioError
from briefing.tts.cache import SegmentCache


def _tone_pcm(seconds: float, dbfs: float, hz: float = 440.0) -> bytes:
    """A sine at `dbfs` peak, mono 16-bit at the speech rate, with a little wobble in level
    (speech is not a steady tone; the loudness gate needs some variation to be realistic)."""
    peak = 32767 * 10 ** (dbfs / 20)
    n = round(seconds * SPEECH_RATE)
    step = 2 * math.pi * hz / SPEECH_RATE
    wobble = 2 * math.pi * 3 / SPEECH_RATE
    return array.array("h", (
        int(peak * (0.75 + 0.25 * math.sin(wobble * i)) * math.sin(step * i)) for i in range(n)
    )).tobytes()


def _piece(tmp: Path, name: str, seconds: float, dbfs: float = -20.0, *, before: float = 0,
           after: float = 350, gain: float = 0.0, speech: bool = True) -> StoredPiece:
    raw = tmp / f"{name}.raw"
    raw.write_bytes(_tone_pcm(seconds, dbfs))
    return StoredPiece(raw, before, after, gain, speech)


def _ffprobe_packets(mp3: Path) -> int:
    """Audio frames as ffmpeg's demuxer counts them (the Info frame is not one)."""
    exe = shutil.which("ffprobe")
    assert exe, "the tests need ffprobe (scripts/setup.sh test installs it)"
    out = subprocess.run([exe, "-v", "error", "-count_packets", "-select_streams", "a:0",
                          "-show_entries", "stream=nb_read_packets", "-of", "json", str(mp3)],
                         capture_output=True, text=True, check=True).stdout
    return int(json.loads(out)["streams"][0]["nb_read_packets"])


def test_padding_makes_whole_frames_near_the_pause_asked_for(tmp_path: Path):
    piece = _piece(tmp_path, "a", 1.0, before=100, after=350)
    pcm, before, audio = padded(piece)
    assert before == round(0.1 * SPEECH_RATE)
    assert audio == SPEECH_RATE  # one second of samples
    decoded = 1105 + 2 * (len(pcm) // 2)  # codec delay + samples at 44.1 kHz
    assert decoded % FRAME_SAMPLES == 0 or decoded // FRAME_SAMPLES >= 1
    after_ms = (len(pcm) // 2 - before - audio) * 1000 / SPEECH_RATE
    assert abs(after_ms - 350) < FRAME_SAMPLES / 2 / SPEECH_RATE * 1000 + 1


def test_scaled_applies_the_gain_into_32_bit_samples_with_headroom():
    pcm = array.array("h", [1000, -1000, 0]).tobytes()
    out = array.array("i", scaled(pcm, 20 * math.log10(2)))
    # 16 -> 32 bits multiplies by 65536; x2 for +6.02 dB; / 256 of headroom
    assert list(out) == [pytest.approx(1000 * 65536 * 2 / 256, rel=1e-3),
                         pytest.approx(-1000 * 65536 * 2 / 256, rel=1e-3), 0]


def test_count_frames_matches_ffprobe_and_refuses_garbage(tmp_path: Path):
    settings = Settings()
    encoder.build([_piece(tmp_path, "a", 2.0)], tmp_path / "one.mp3", tmp_path / "w", settings)
    data = (tmp_path / "one.mp3").read_bytes()
    info = xing.read_info(data)
    assert info is not None
    assert count_frames(data[info.size :]) == _ffprobe_packets(tmp_path / "one.mp3")
    with pytest.raises(AudioError, match="not an MP3 frame"):
        count_frames(b"RIFF....WAVEfmt ")


def test_build_reaches_the_loudness_target_and_keeps_exact_spans(tmp_path: Path):
    pieces = [_piece(tmp_path, f"p{i}", 3.0, dbfs=-30.0 + 4 * i, gain=-2.0 * i)
              for i in range(3)]
    mp3 = tmp_path / "episode.mp3"
    done = encoder.build(pieces, mp3, tmp_path / "w", Settings(loudness=-16.0))
    measured = measure_loudness(mp3)
    assert abs(measured.integrated_lufs - -16.0) <= 0.5, measured
    assert measured.true_peak_dbtp <= -1.0, measured
    # spans are in time order, each piece's audio as long as its PCM, inside the file
    assert len(done.spans_ms) == len(pieces)
    for start, end in done.spans_ms:
        assert end - start == pytest.approx(3000, abs=1)
        assert 0 <= start < end <= done.duration_ms
    starts = [s for s, _ in done.spans_ms]
    assert starts == sorted(starts)
    assert not any(p.pcm_file.exists() for p in pieces)  # the spilled PCM is cleaned up


def test_a_second_build_of_the_same_pieces_comes_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    cache = SegmentCache(tmp_path / "cache")
    first = encoder.build([_piece(tmp_path, "a", 2.0), _piece(tmp_path, "b", 2.0, dbfs=-26)],
                          tmp_path / "1.mp3", tmp_path / "w1", Settings(), cache=cache)
    batches: list[int] = []
    real = encoder.encode_batch

    def counted(exe, jobs, settings, workdir):  # type: ignore[no-untyped-def]
        batches.append(len(jobs))
        return real(exe, jobs, settings, workdir)

    monkeypatch.setattr(encoder, "encode_batch", counted)
    second = encoder.build([_piece(tmp_path, "a", 2.0), _piece(tmp_path, "b", 2.0, dbfs=-26)],
                           tmp_path / "2.mp3", tmp_path / "w2", Settings(), cache=cache)
    assert batches == []
    assert (tmp_path / "1.mp3").read_bytes() == (tmp_path / "2.mp3").read_bytes()
    assert second.spans_ms == first.spans_ms


def test_parse_loudness_reads_the_summary_and_refuses_other_text():
    log = """[Parsed_ebur128_0 @ 0x1] Summary:

  Integrated loudness:
    I:         -16.1 LUFS
    Threshold: -26.3 LUFS

  True peak:
    Peak:       -1.6 dBFS
"""
    found = parse_loudness(log)
    assert (found.integrated_lufs, found.true_peak_dbtp) == (-16.1, -1.6)
    with pytest.raises(AudioError, match="loudness meter"):
        parse_loudness("ffmpeg version 5.1")


def test_measure_loudness_of_a_known_tone(tmp_path: Path):
    """A steady 1 kHz sine at -20 dBFS peak is -23 dBFS RMS, about -23 LUFS (K-weighting
    is ~0 dB at 1 kHz), with a true peak of -20 dBTP."""
    exe = shutil.which("ffmpeg")
    assert exe
    wav = tmp_path / "tone.wav"
    subprocess.run([exe, "-v", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=997:duration=5:sample_rate=44100", "-af", "volume=-20dB",
                    "-ac", "1", str(wav)], check=True)
    # lavfi's sine has a peak of 1/8 (-18.06 dBFS): the tone peaks at -38.06 dBFS
    found = measure_loudness(wav)
    assert found.integrated_lufs == pytest.approx(-18.06 - 20 - 3.01, abs=0.3)
    assert found.true_peak_dbtp == pytest.approx(-18.06 - 20, abs=0.3)
