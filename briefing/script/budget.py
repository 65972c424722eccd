"""How many words of story fit in the minutes asked for, from the engine's measured rate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from briefing.models import Voice

if TYPE_CHECKING:
    from briefing.config import Config

STINGER_AND_CHIME_S = 2.5  # intro + outro chimes and their gaps, in seconds, for the budget
AVERAGE_SENTENCE_WORDS = 22  # news prose; spreads each sentence's pause over its words
SEGMENT_OVERHEAD_S = 0.35  # measured: espeak's lead-in and trailing silence per segment
# Enough of a story to know how its numbers and acronyms lengthen it: on the 108 dev
# articles the spoken/written ratio of the first 6,000 characters is the whole's, within 1%
# for all but two (2.2% at most), and most articles are shorter than that anyway.
SAMPLE_CHARS = 6000


def _opening(text: str) -> str:
    """The first SAMPLE_CHARS of `text`, ended at a space so no word is cut."""
    if len(text) <= SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", 0, SAMPLE_CHARS)
    return text[: cut if cut > 0 else SAMPLE_CHARS]


def story_word_budget(
    config: Config,
    host_lines: Sequence[str],
    texts: Sequence[str],
    rate: Callable[[Voice], float],
    *,
    languages: Sequence[str] = (),
) -> int:
    """How many words of story fit in the requested minutes, from measured speaking rates.

    `rate` gives a voice's measured characters per minute; lengths are predicted from the
    text as it will be spoken (numbers and acronyms spelled out), each story in its own
    language (`languages`, in order; English where not given) and the host in the show's.
    """
    from briefing.speech import for_ear
    from briefing.summarize.sentences import word_count
    from briefing.tts.voices import script_voices

    host, reader = script_voices(config)
    seconds = config.minutes * 60 - STINGER_AND_CHIME_S
    seconds -= sum(len(for_ear(t, config.language)) * 60 / rate(host) + SEGMENT_OVERHEAD_S
                   for t in host_lines)
    seconds -= len(texts) * config.pause_story_ms / 1000
    # the ratio of spoken characters to written words, from each story's opening: the
    # whole of five long articles through every ear rule cost ~0.1 s of a cold run
    samples = [_opening(t) for t in texts]
    words = sum(word_count(t) for t in samples) or 1  # CJK: two characters a word
    spoken = [for_ear(t, languages[i] if i < len(languages) else "en")
              for i, t in enumerate(samples)]
    spoken_chars_per_word = sum(len(t) for t in spoken) / words
    per_word = (
        spoken_chars_per_word * 60 / rate(reader)
        + (config.pause_sentence_ms / 1000 + SEGMENT_OVERHEAD_S) / AVERAGE_SENTENCE_WORDS
    )
    return max(20, int(seconds / per_word))
