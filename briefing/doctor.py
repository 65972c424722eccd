"""Health checks for `briefing doctor`: what is in use, what is missing, how to fix it."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from briefing.config import Config
from briefing.errors import BriefingError
from briefing.models import Voice

Check = tuple[bool, str, str]


def checks(config: Config | None = None) -> Iterator[Check]:
    """Each check as (passed, name, what was found or how to fix it)."""
    from briefing import tts
    from briefing.audio import ffmpeg

    config = config or Config()
    yield from archive_checks(config)
    try:
        info = tts.engine_info()
        yield True, "libespeak-ng", ", ".join(f"{k}: {v}" for k, v in info.items())
    except BriefingError as exc:
        fix = "apt-get install libespeak-ng1, or pip install espeakng-loader"
        yield False, "libespeak-ng", f"{exc} (fix: {fix})"
        return
    try:
        exe, origin = ffmpeg.find_ffmpeg()
        yield True, "ffmpeg", f"{origin}: {exe} ({ffmpeg.ffmpeg_version()})"
        encoders = ffmpeg.run([exe, "-hide_banner", "-encoders"], what="ffmpeg -encoders").stdout
        if "libmp3lame" in encoders:
            yield True, "MP3 encoder", "libmp3lame"
        else:
            yield False, "MP3 encoder", "this ffmpeg has no libmp3lame: set BRIEFING_FFMPEG to " \
                "one that has (pip install imageio-ffmpeg ships one)"
    except BriefingError as exc:
        yield False, "ffmpeg", str(exc)
    for name in dict.fromkeys((config.synthesizer, "espeak-ng")):
        yield from _engine(name, config)


def _engine(name: str, config: Config) -> Iterator[Check]:
    from briefing import tts
    from briefing.tts.wavfile import duration_s

    try:
        synth = tts.get_synthesizer(name)
    except BriefingError as exc:
        yield False, f"{name}", str(exc)
        return
    try:
        count = len(synth.voices())
        if not count:
            fix = "pip install --force-reinstall espeakng-loader"
            yield False, f"{name} voices", f"no voices: reinstall espeak-ng data ({fix})"
            return
        yield True, f"{name} voices", f"{count} voices (list them with `briefing voices`)"
        for role, voice_id in (("reader", config.voice), ("host", config.host_voice)):
            try:
                tts.resolve_voice(synth, voice_id)
                yield True, f"{name} {role} voice", voice_id
            except BriefingError as exc:
                yield False, f"{name} {role} voice", str(exc)
        with tempfile.TemporaryDirectory(prefix="briefing-doctor-") as tmp:
            wav = Path(tmp) / "hello.wav"
            synth.synthesize("Hello, this is a test of the speech engine.", wav,
                             Voice(config.voice, config.rate, config.pitch))
            yield True, f"{name} speech", f"{duration_s(wav):.1f} s of speech for 9 words"
    except BriefingError as exc:
        yield False, f"{name} speech", str(exc)
    finally:
        synth.close()


def archive_checks(config: Config) -> Iterator[Check]:
    """Where the archive is (as `daily`, `serve` and the timer all resolve it) and where
    its feed's links point."""
    from briefing.errors import OutputError
    from briefing.publish.archive import check_archive_folder, scan
    from briefing.publish.feed import FEED, base_url, points_at_this_machine, url_for

    folder = Path(config.output_dir).absolute()
    try:
        check_archive_folder(folder)
        found = len(scan(folder))
        state = f"{found} episode{'s' if found != 1 else ''}" if folder.is_dir() else \
            "not made yet (the first `briefing daily` makes it)"
        yield True, "archive folder", f"{folder} ({state})"
    except OutputError as exc:
        yield False, "archive folder", str(exc)
    feed = url_for(base_url(config), FEED)
    if points_at_this_machine(feed):
        yield True, "feed URL", (f"{feed} on disk, for this machine only; `briefing serve "
                                 "--host 0.0.0.0` gives each phone its own address "
                                 "(or set public_url)")
    else:
        yield True, "feed URL", feed
