"""Loudness as ffmpeg's EBU R128 meter reports it: integrated LUFS and true peak."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from briefing.audio import ffmpeg
from briefing.errors import AudioError


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float


_I = re.compile(r"^\s+I:\s+(-?[\d.]+|-inf) LUFS", re.M)
_PEAK = re.compile(r"^\s+Peak:\s+(-?[\d.]+|-inf) dBFS", re.M)


def measure_loudness(path: Path) -> Loudness:
    """Integrated loudness and true peak as ffmpeg's EBU R128 meter reports them."""
    exe, _ = ffmpeg.find_ffmpeg()
    proc = ffmpeg.run(
        [exe, "-hide_banner", "-nostats", "-i", str(path),
         "-af", "ebur128=peak=true", "-f", "null", "-"],
        what="measuring loudness",
    )
    return parse_loudness(proc.stderr)


def parse_loudness(log: str) -> Loudness:
    i = _I.findall(log)
    peak = _PEAK.findall(log)
    if not i or not peak:
        raise AudioError("could not read the loudness meter's output from ffmpeg")
    return Loudness(float(i[-1]), float(peak[-1]))
