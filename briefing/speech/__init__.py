"""Text for the ear: written news text -> plain text a speech engine reads as a person would."""

from briefing.speech.acronyms import spell, word_like
from briefing.speech.ear import for_ear, spoken_lines, spoken_text
from briefing.speech.lexicon import load_lexicon, user_lexicon

__all__ = [
    "for_ear", "load_lexicon", "spell", "spoken_lines", "spoken_text", "user_lexicon", "word_like"
]
