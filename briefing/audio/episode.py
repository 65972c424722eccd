"""Spoken segments -> the mastered MP3: in cached chunks, or whole under a music bed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.audio import layout, master
from briefing.audio.chunks import Settings
from briefing.audio.layout import Timeline
from briefing.audio.loudness import Loudness
from briefing.models import Script, Segment

if TYPE_CHECKING:
    from briefing.config import Config
    from briefing.tts.cache import SegmentCache


def _optional_path(value: str) -> Path | None:
    return Path(value).expanduser() if value else None


def make_audio(
    spoken: Iterable[Segment],
    script: Script,
    mp3: Path,
    workdir: Path,
    config: Config,
    *,
    cache: SegmentCache | None,
    jobs: int,
    expect_new: int | None = None,
) -> tuple[Timeline, Loudness, list[Segment]]:
    """Lay out the segments (consumed as they are spoken) with pauses and chimes, and write
    the MP3 at the configured loudness; returns where each line landed, the loudness and
    the segments."""
    intro, outro = _optional_path(config.intro_audio), _optional_path(config.outro_audio)
    if config.music_bed:
        # the bed runs under everything, so this episode is mastered whole, not in chunks
        segments = list(spoken)
        wav = workdir / "episode.wav"
        timeline = layout.assemble(segments, script, wav, chimes=config.chimes,
                                   intro=intro, outro=outro)
        master.mix_music_bed(wav, Path(config.music_bed).expanduser(), workdir / "mixed.wav",
                             level_db=config.music_level)
        loudness = master.master(workdir / "mixed.wav", mp3, loudness=config.loudness,
                                 true_peak=config.true_peak, bitrate=config.bitrate,
                                 stereo=config.stereo)
        return timeline, loudness, segments
    settings = Settings(config.loudness, config.true_peak, config.bitrate, config.stereo)
    return layout.encode_episode(spoken, script, mp3, workdir / "chunks", settings,
                                 chimes=config.chimes, intro=intro, outro=outro, cache=cache,
                                 jobs=jobs, expect_new=expect_new)
