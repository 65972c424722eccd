"""Health checks for `briefing doctor`: what is in use, what is missing, how to fix it."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from briefing.config import Config
from briefing.errors import BriefingError

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
    used = (config.engine, config.hosts_engine)
    for name in dict.fromkeys((*used, "espeak-ng", *tts.EXTRAS)):
        if name in tts.EXTRAS and name not in used and name not in tts.installed_engines():
            # optional: not a failure, but say how to get the natural voices
            yield True, name, f"not installed (optional: pip install 'briefing[{name}]')"
            continue
        yield from _engine(name, config)


def _engine(name: str, config: Config) -> Iterator[Check]:
    from briefing import tts
    from briefing.tts.voices import script_voices
    from briefing.tts.wavfile import duration_s

    try:
        synth = tts.engine_synthesizer(name, config)
    except BriefingError as exc:
        yield False, f"{name}", str(exc)
        return
    try:
        voices = synth.voices()
        if not voices:
            fix = ("pip install --force-reinstall espeakng-loader" if name in tts.ESPEAK_ENGINES
                   else f"`briefing voices --engine {name}`, then --download one")
            yield False, f"{name} voices", f"no voices installed ({fix})"
            return
        listed = "" if len(voices) > 8 else f": {', '.join(v.id for v in voices)}"
        yield True, f"{name} voices", f"{len(voices)} installed{listed} (`briefing voices`)"
        # the voices a run on this engine would use: the configured ones where the config
        # names this engine, else its defaults
        on_this = replace(config, engine=name, host_engine="",
                          voice=config.voice if name == config.engine else "",
                          host_voice=config.host_voice if name == config.hosts_engine else "")
        host, reader = script_voices(on_this)
        for role, voice in (("reader", reader), ("host", host)):
            try:
                tts.resolve_voice(synth, voice.id)
                yield True, f"{name} {role} voice", voice.id
            except BriefingError as exc:
                yield False, f"{name} {role} voice", str(exc)
        with tempfile.TemporaryDirectory(prefix="briefing-doctor-") as tmp:
            wav = Path(tmp) / "hello.wav"
            synth.synthesize("Hello, this is a test of the speech engine.", wav, reader)
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
