"""Whole-episode mastering, for episodes under a music bed: mix, limit, normalize, encode."""

from __future__ import annotations

import math
import wave
from pathlib import Path

from briefing.audio import ffmpeg, xing
from briefing.audio.levels import (
    LIMIT_MARGIN_DB,
    LOUDNESS_TOLERANCE_LU,
    MP3_LOUDNESS_LOSS_LU,
    OUTPUT_RATE,
    SPEECH_RATE,
)
from briefing.audio.loudness import Loudness, measure_loudness, parse_loudness
from briefing.errors import AudioError

PEAK_TOLERANCE_DB = 0.4  # aim at true_peak (-1.5), accept 0.4 dB over: still under -1 dBTP


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
    return parse_loudness(proc.stderr)


def _encode(exe: str, src: Path, mp3: Path, gain: float, bitrate: str, stereo: bool) -> Loudness:
    ffmpeg.run(
        [exe, "-hide_banner", "-nostats", "-y", "-i", str(src), "-af", f"volume={gain:.2f}dB",
         "-ar", str(OUTPUT_RATE), "-ac", "2" if stereo else "1", "-c:a", "libmp3lame",
         "-b:a", bitrate, "-map_metadata", "-1", "-id3v2_version", "0", "-write_xing", "1",
         "-f", "mp3", str(mp3)],
        what="encoding MP3",
    )
    xing.sign(mp3)  # an Info frame every reader takes: exact lengths everywhere
    return measure_loudness(mp3)
