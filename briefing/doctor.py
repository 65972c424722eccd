"""Health checks for `briefing doctor`: what is in use, what is missing, how to fix it."""

from __future__ import annotations

from collections.abc import Iterator

from briefing.errors import BriefingError

Check = tuple[bool, str, str]


def checks() -> Iterator[Check]:
    """Each check as (passed, name, what was found or how to fix it)."""
    from briefing import ffmpeg, tts

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
    except BriefingError as exc:
        yield False, "ffmpeg", str(exc)
    for name in ("pyttsx3", "espeak-ng"):
        try:
            synth = tts.get_synthesizer(name)
            try:
                count = len(synth.voices())
            finally:
                synth.close()
            if count:
                yield True, f"{name} voices", f"{count} voices"
            else:
                fix = "pip install --force-reinstall espeakng-loader"
                yield False, f"{name} voices", f"no voices: reinstall espeak-ng data ({fix})"
        except BriefingError as exc:
            yield False, f"{name} voices", str(exc)
