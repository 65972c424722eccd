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
    words = sum(word_count(t) for t in texts) or 1  # CJK: two characters a word
    spoken = [for_ear(t, languages[i] if i < len(languages) else "en")
              for i, t in enumerate(texts)]
    spoken_chars_per_word = sum(len(t) for t in spoken) / words
    per_word = (
        spoken_chars_per_word * 60 / rate(reader)
        + (config.pause_sentence_ms / 1000 + SEGMENT_OVERHEAD_S) / AVERAGE_SENTENCE_WORDS
    )
    return max(20, int(seconds / per_word))
