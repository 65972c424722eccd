"""Read, write and check the WAV files the backends produce."""

from __future__ import annotations

import os
import re
import wave
from pathlib import Path

from briefing.errors import EngineError

SAMPLE_RATE = 22050  # what libespeak-ng produces for every voice
SAMPLE_WIDTH = 2  # 16-bit


def write_wav(path: Path, pcm: bytes, rate: int = SAMPLE_RATE) -> None:
    """Write mono 16-bit PCM atomically: a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with wave.open(str(tmp), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(rate)
        out.writeframes(pcm)
    os.replace(tmp, path)


def duration_s(path: Path) -> float:
    """Length of a WAV in seconds; EngineError if it is unreadable or not mono 16-bit."""
    try:
        with wave.open(str(path), "rb") as wav:
            if wav.getnchannels() != 1 or wav.getsampwidth() != SAMPLE_WIDTH:
                raise EngineError(
                    f"{path} is not mono 16-bit ({wav.getnchannels()} channels, "
                    f"{8 * wav.getsampwidth()}-bit)"
                )
            return wav.getnframes() / wav.getframerate()
    except (OSError, EOFError, wave.Error) as exc:
        raise EngineError(f"{path} is not a readable WAV file: {exc}") from exc


# Bounds on a segment's length against spoken words / measured wpm. Measured on the
# ~2,900 sentences of the dev set (en-us 170 and en-gb-x-rp+f3 150): the shortest came
# to 0.51 of the estimate, and no line exceeded 1.95x plus SLACK_S (one-word lines carry
# a fixed end pause, long words stretch a line). A cut-off or cancelled segment falls
# under MIN_RATIO; the spread is too wide to catch a rate off by 15% on one line, which
# is why the pyttsx3 worker also checks the engine's rate around every segment.
MIN_RATIO = 0.45
MAX_RATIO = 2.2
SLACK_S = 1.0  # the sentence-end pause and lead-in, which do not grow with words


# Chinese and Japanese leave no spaces: a run of their characters is many words. Two
# characters make a word on average (as the summarizer counts them); each character is a
# syllable, so at most one word each for the upper bound.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
CJK_CHARS_PER_WORD = 2


def spoken_words(text: str) -> int:
    """Words that make a sound: a lone "." or "|" is silent."""
    cjk = len(_CJK.findall(text))
    plain = sum(1 for token in _CJK.sub(" ", text).split() if any(ch.isalnum() for ch in token))
    return plain + (cjk + CJK_CHARS_PER_WORD - 1) // CJK_CHARS_PER_WORD


def expected_s(text: str, wpm: float) -> float:
    return 60.0 * spoken_words(text) / wpm


# A token the engine cannot read as a word ("../../etc/passwd", a 300-letter run, a URL)
# is spelled out or read symbol by symbol: up to one spoken word per two characters.
ODD_TOKEN_CHARS = 20  # longer than any dictionary word in our languages
_WORDLIKE = re.compile(r"[\w'’-]+")


def longest_words(text: str) -> int:
    """Spoken words if every odd token is spelled out: the count for the upper bound."""
    count = len(_CJK.findall(text))
    for token in _CJK.sub(" ", text).split():
        core = token.strip(".,;:!?\"'()[]“”‘’«»")
        if not any(ch.isalnum() for ch in core):
            continue
        odd = len(core) > ODD_TOKEN_CHARS or not _WORDLIKE.fullmatch(core.replace(".", ""))
        count += max(1, len(core) // 2) if odd else 1
    return count


def check_segment(path: Path, text: str, wpm: float | None) -> float:
    """Verify a synthesized segment; return its duration or raise EngineError saying why."""
    if not path.exists():
        raise EngineError(f"no WAV was written at {path}")
    seconds = duration_s(path)
    if seconds <= 0:
        raise EngineError(f"{path} has no audio (0 frames)")
    if wpm:
        want = expected_s(text, wpm)
        low = MIN_RATIO * want
        high = MAX_RATIO * max(want, 60.0 * longest_words(text) / wpm) + SLACK_S
        if not low <= seconds <= high:
            raise EngineError(
                f"{path} lasts {seconds:.2f} s, implausible for {spoken_words(text)} words "
                f"at {wpm:.0f} wpm (expected {low:.2f}-{high:.2f} s)"
            )
    return seconds
