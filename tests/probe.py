"""What ffprobe and ffmpeg's EBU R128 meter say about a real file (for end-to-end tests)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any


def ffprobe(path: Path) -> dict[str, Any]:
    exe = shutil.which("ffprobe")
    assert exe, "ffprobe is needed by the tests: scripts/setup.sh test installs it"
    out = subprocess.run(
        [exe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
         "-show_chapters", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(out)


def loudness(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) from ffmpeg's ebur128 filter."""
    exe = shutil.which("ffmpeg")
    assert exe
    log = subprocess.run(
        [exe, "-hide_banner", "-nostats", "-i", str(path), "-af",
         "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr
    i = float(re.findall(r"^\s+I:\s+(-?[\d.]+) LUFS", log, re.M)[-1])
    peak = float(re.findall(r"^\s+Peak:\s+(-?[\d.]+) dBFS", log, re.M)[-1])
    return i, peak


def speech_onsets(path: Path, noise_db: int = -45, min_silence: float = 0.2) -> list[float]:
    """Seconds where sound starts after a silence, by ffmpeg's silencedetect."""
    exe = shutil.which("ffmpeg")
    assert exe
    log = subprocess.run(
        [exe, "-hide_banner", "-nostats", "-i", str(path), "-af",
         f"silencedetect=noise={noise_db}dB:d={min_silence}", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr
    return [float(x) for x in re.findall(r"silence_end: (-?[\d.]+)", log)]
