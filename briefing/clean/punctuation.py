"""Punctuation repairs: stray periods and the missing space after a comma or full stop."""

from __future__ import annotations

import re

from briefing.clean.glue import zipf

# --- Punctuation ------------------------------------------------------------------------

# Words after which a sentence cannot end: " The . couple" is a stray line-break mark.
_NO_SENTENCE_END = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "and",
        "or",
        "but",
        "as",
        "his",
        "her",
        "its",
        "their",
        "our",
        "my",
        "your",
        "this",
        "that",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "not",
        "very",
        "more",
        "most",
    ]
)
_STRAY_BEFORE_LOWER = re.compile(r"(?<=[\w,;:’'\")\]]) \. (?=[‘'\"“]?[a-z])")
_STRAY_BEFORE_ANY = re.compile(r"(?<=[,;:]) \. ")
_STRAY_AFTER_WORD = re.compile(r"\b([A-Za-z]+) \. (?=[‘'\"“]?[A-Z])")
_SPACE_BEFORE_STOP = re.compile(r"(?<=[\w’'\")\]]) \.(?=\s|$)(?! \.)")


def fix_stray_periods(text: str) -> str:
    """Daily Mail line-break marks: "lowered his . voice" -> "lowered his voice"."""
    text = _STRAY_BEFORE_ANY.sub(" ", text)
    text = _STRAY_BEFORE_LOWER.sub(" ", text)

    def after_word(m: re.Match[str]) -> str:
        word = m.group(1)
        return f"{word} " if word.lower() in _NO_SENTENCE_END else f"{word}. "

    text = _STRAY_AFTER_WORD.sub(after_word, text)
    return _SPACE_BEFORE_STOP.sub(".", text)


_URLISH = re.compile(r"(?:://|www\.|@|\.(?:com|org|net|gov|edu|io|co|uk|de|fr)\b)", re.I)
_COMMA_GLUE = re.compile(r"(?<=[^\W\d_])([,;]['\"”’]?)(?=[^\W\d_])")
_QUOTE_GLUE = re.compile(r"(?<=[^\W\d_][,.!?])([”\"])(?=[^\W\d_])")
_COLON_GLUE = re.compile(r"(?<=[^\W\d_A-Z]{3}):(?=[^\W\d_]{2})")
_STOP_GLUE = re.compile(r"(?<![.\w])([^\W\d_]*[^\W\d_A-Z]{2})([.!?])(?=[A-Z][^\W\d_A-Z]{1,}\b)")
_INITIALS_GLUE = re.compile(r"^((?:[A-Z]\.){2,})(?=[^\W\d_A-Z]{2,})")


def _space_token(tok: str) -> str:
    if _URLISH.search(tok):
        return tok
    tok = _COMMA_GLUE.sub(r"\1 ", tok)
    tok = _QUOTE_GLUE.sub(r"\1 ", tok)
    tok = _COLON_GLUE.sub(": ", tok)
    tok = _INITIALS_GLUE.sub(r"\1 ", tok)

    def stop(m: re.Match[str]) -> str:
        # "sector.China" but not "Node.Js": the word before must be a real word.
        return f"{m.group(1)}{m.group(2)} " if zipf(m.group(1).lower()) >= 3.0 else m.group(0)

    return _STOP_GLUE.sub(stop, tok)


def space_after_punctuation(text: str) -> str:
    """ "driving,have" -> "driving, have"; never 3,000, Pony.ai, U.S., URLs, e-mail, 14:11."""
    return re.sub(r"\S+", lambda m: _space_token(m.group(0)), text)
