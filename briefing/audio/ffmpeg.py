"""Find ffmpeg (system, $BRIEFING_FFMPEG, or the imageio-ffmpeg wheel) and run it safely."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from briefing.errors import AudioError

FFMPEG_TIMEOUT_S = 600  # a 30-minute episode encodes in well under a minute; this catches hangs


@functools.cache
def find_ffmpeg() -> tuple[str, str]:
    """The ffmpeg to use and where it came from: "BRIEFING_FFMPEG", "system" or "imageio-ffmpeg"."""
    explicit = os.environ.get("BRIEFING_FFMPEG")
    if explicit:
        if Path(explicit).is_file() and os.access(explicit, os.X_OK):
            return explicit, "BRIEFING_FFMPEG"
        raise AudioError(
            f"BRIEFING_FFMPEG points at {explicit}, which is not an executable file: "
            "fix the path or unset it"
        )
    system = shutil.which("ffmpeg")
    if system:
        return system, "system"
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe(), "imageio-ffmpeg"
    except (ImportError, RuntimeError):
        pass
    raise AudioError(
        "ffmpeg not found: install it (apt-get install ffmpeg), "
        "pip install imageio-ffmpeg, or set BRIEFING_FFMPEG"
    )


def ffmpeg_version() -> str:
    exe, _ = find_ffmpeg()
    out = run([exe, "-hide_banner", "-version"], what="ffmpeg -version").stdout
    return out.splitlines()[0] if out else "unknown"


def run(
    args: list[str], *, what: str, timeout: float = FFMPEG_TIMEOUT_S, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command from an argument list (never a shell); failures become AudioError."""
    try:
        proc = subprocess.run(
            args, capture_output=True, text=True, errors="replace", timeout=timeout,
            stdin=subprocess.DEVNULL, cwd=cwd,
        )
    except subprocess.TimeoutExpired:
        raise AudioError(f"{what} took longer than {timeout:.0f} s and was stopped") from None
    except OSError as exc:
        raise AudioError(f"{what} could not start: {exc.strerror}") from None
    _check(proc.returncode, proc.stderr, what)
    return proc


def start(args: list[str], *, what: str, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """Start a command that will read its input from stdin (see `finish`)."""
    try:
        return subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, cwd=cwd)
    except OSError as exc:
        raise AudioError(f"{what} could not start: {exc.strerror}") from None


def finish(proc: subprocess.Popen[bytes], data: bytes, *, what: str,
           timeout: float = FFMPEG_TIMEOUT_S) -> None:
    """Feed `data` to a started command and wait for it; failures become AudioError."""
    try:
        _, err = proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AudioError(f"{what} took longer than {timeout:.0f} s and was stopped") from None
    except OSError as exc:  # it died before reading everything: its stderr says why
        proc.kill()
        err = proc.communicate()[1] if proc.stderr and not proc.stderr.closed else b""
        if not err:
            raise AudioError(f"{what} failed: {exc.strerror}") from None
    _check(proc.returncode, err.decode("utf-8", "replace"), what)


def _check(returncode: int | None, stderr: str, what: str) -> None:
    if returncode != 0:
        tail = (stderr.strip().splitlines() or ["no message"])[-1]
        if "No space left" in stderr:
            raise AudioError(f"{what} failed: no space left on the device; free some disk space")
        raise AudioError(f"{what} failed: {tail}")


def configure_pydub() -> None:
    """Point pydub at our ffmpeg, and keep its import-time 'Couldn't find ffmpeg' warning quiet."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment
    exe, _ = find_ffmpeg()
    AudioSegment.converter = exe
    AudioSegment.ffmpeg = exe
