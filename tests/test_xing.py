"""Exact durations: every MP3 starts with a LAME-style Info frame that holds its true frame
count, so ffprobe does not estimate, mutagen's length is the decoded length to the sample,
and the times of the pieces (chapters, cues) are where a player hears them."""

from __future__ import annotations

import array
import os
import shutil
import subprocess
import wave
from pathlib import Path

import mutagen.mp3
import pytest

from briefing.audio import encoder, xing
from briefing.audio.chunks import Settings, StoredPiece, count_frames
from briefing.audio.levels import FRAME_SAMPLES, OUTPUT_RATE, SPEECH_RATE
from briefing.tts.cache import SegmentCache
from tests.test_audio_encoder import _piece, _tone_pcm


def decoded_samples(mp3: Path) -> array.array:
    """The file as a player that reads the Info frame plays it: mono 16-bit at 44.1 kHz."""
    exe = shutil.which("ffmpeg")
    assert exe
    pcm = subprocess.run([exe, "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-"],
                         capture_output=True, check=True).stdout
    return array.array("h", pcm)


def probe_log(mp3: Path) -> tuple[float, str]:
    exe = shutil.which("ffprobe")
    assert exe
    proc = subprocess.run([exe, "-v", "info", "-show_entries", "format=duration", "-of",
                           "default=nw=1:nk=1", str(mp3)], capture_output=True, text=True,
                          check=True)
    return float(proc.stdout), proc.stderr


def test_crc16_is_lames_and_combines():
    assert xing.crc16(b"123456789") == 0xBB3D  # CRC-16/ARC's check value
    first, second = os.urandom(5000), os.urandom(3333)
    assert xing.crc16_combine(xing.crc16(first), xing.crc16(second),
                              len(second)) == xing.crc16(first + second)


def _pieces(tmp: Path, n: int = 4) -> list[StoredPiece]:
    # tones after a pause, as speech sits between pauses; each is its own chunk
    return [_piece(tmp, f"p{i}", 1.0 + 0.37 * i, dbfs=-18.0, before=300, after=450)
            for i in range(n)]


@pytest.mark.parametrize("settings", [Settings(), Settings(bitrate="32k"),
                                      Settings(bitrate="96k", stereo=True)])
def test_a_joined_episode_has_one_true_info_frame(tmp_path: Path, settings: Settings):
    mp3 = tmp_path / "episode.mp3"
    done = encoder.build(_pieces(tmp_path), mp3, tmp_path / "w", settings)
    data = mp3.read_bytes()
    info = xing.read_info(data)
    assert info is not None and data[4 + (17 if not settings.stereo else 32):][:4] == b"Info"
    frames = count_frames(data[info.size :])
    at = 4 + (32 if settings.stereo else 17)
    assert int.from_bytes(data[at + 8 : at + 12], "big") == frames
    assert int.from_bytes(data[at + 12 : at + 16], "big") == len(data)
    assert info.delay == 576
    assert info.music_crc == xing.crc16(data[info.size :])  # combined, yet exact
    lame = at + xing.XING_SIZE
    assert int.from_bytes(data[lame + 34 : lame + 36], "big") == xing.crc16(data[: lame + 34])
    # a player plays exactly the episode's length, to the sample
    played = frames * FRAME_SAMPLES - info.delay - info.padding
    assert done.duration_ms == played * 1000 / OUTPUT_RATE
    assert len(decoded_samples(mp3)) == played
    assert mutagen.mp3.MP3(mp3).info.length == pytest.approx(played / OUTPUT_RATE, abs=1e-9)
    duration, log = probe_log(mp3)
    assert "Estimating duration" not in log
    assert duration == pytest.approx(frames * FRAME_SAMPLES / OUTPUT_RATE, abs=1e-5)


def test_the_spans_are_where_a_player_hears_the_pieces(tmp_path: Path):
    mp3 = tmp_path / "episode.mp3"
    done = encoder.build(_pieces(tmp_path), mp3, tmp_path / "w", Settings())
    pcm = decoded_samples(mp3)
    loudest = max(abs(x) for x in pcm)
    for start_ms, end_ms in done.spans_ms:
        start = round(start_ms * OUTPUT_RATE / 1000)
        end = round(end_ms * OUTPUT_RATE / 1000)
        window = range(start - OUTPUT_RATE // 20, end)  # from 50 ms before
        onset = next(i for i in window if abs(pcm[i]) > loudest / 4)
        offset = max(i for i in window if abs(pcm[i]) > loudest / 4)
        # the tone is heard from its span's start to its end, within a millisecond or two
        assert abs(onset - start) <= 0.002 * OUTPUT_RATE, (onset, start)
        assert abs(offset - end) <= 0.002 * OUTPUT_RATE, (offset, end)


def test_a_join_from_cached_chunks_is_the_same_file(tmp_path: Path):
    cache = SegmentCache(tmp_path / "cache")
    first, again = tmp_path / "first.mp3", tmp_path / "again.mp3"
    done = encoder.build(_pieces(tmp_path), first, tmp_path / "w1", Settings(), cache=cache)
    redone = encoder.build(_pieces(tmp_path), again, tmp_path / "w2", Settings(), cache=cache)
    assert again.read_bytes() == first.read_bytes()
    assert redone.spans_ms == done.spans_ms and redone.duration_ms == done.duration_ms


def test_an_episode_mastered_whole_has_the_same_exact_length(tmp_path: Path):
    """Under a music bed the episode is encoded whole by ffmpeg, whose own tag mutagen
    does not read: it is signed again so that every reader gets the decoded length."""
    from briefing.audio import master

    wav = tmp_path / "speech.wav"
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SPEECH_RATE)
        out.writeframes(_tone_pcm(3.3, -20.0))
    mp3 = tmp_path / "mastered.mp3"
    master.master(wav, mp3)
    played = len(decoded_samples(mp3))
    assert played == pytest.approx(3.3 * OUTPUT_RATE, abs=1)  # the WAV's length
    assert mutagen.mp3.MP3(mp3).info.length == pytest.approx(played / OUTPUT_RATE, abs=1e-9)
    assert "Estimating duration" not in probe_log(mp3)[1]
