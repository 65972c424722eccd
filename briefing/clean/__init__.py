"""Article -> Article: scraped text repaired by an ordered tuple of small, pure str -> str steps."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace

from briefing.clean.boilerplate import (
    dailymail_author,
    drop_boilerplate,
    drop_byline,
    drop_dailymail_header,
    parse_byline,
)
from briefing.clean.glue import split_glued, split_glued_text
from briefing.clean.punctuation import fix_stray_periods, space_after_punctuation
from briefing.models import Article

__all__ = [
    "REPAIRS",
    "clean",
    "clean_text",
    "drop_boilerplate",
    "drop_byline",
    "drop_dailymail_header",
    "fix_stray_periods",
    "normalize_spaces",
    "parse_byline",
    "space_after_punctuation",
    "split_glued",
    "split_glued_words",
    "tidy_whitespace",
]

# --- Unicode and odd spaces -------------------------------------------------------------

# No-break, thin, figure and ideographic spaces read like spaces; zero-width ones like nothing.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalize_spaces(text: str) -> str:
    """NFC, one kind of newline, odd spaces made plain, zero-width ones dropped; quotes kept."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _ZERO_WIDTH.sub("", _ODD_SPACES.sub(" ", text))


# --- Glued words --------------------------------------------------------------------------


def split_glued_words(text: str, language: str = "en") -> str:
    """ "China’sauto industry" -> "China’s auto industry", with the text as evidence."""
    return split_glued_text(text, language)


# --- Whitespace -----------------------------------------------------------------------------


def tidy_whitespace(text: str) -> str:
    """Runs of spaces collapsed, lines trimmed, paragraphs one blank line apart."""
    paragraphs = re.split(r"\n\s*\n", text)
    out = []
    for para in paragraphs:
        lines = [re.sub(r" {2,}", " ", ln).strip() for ln in para.split("\n")]
        kept = "\n".join(ln for ln in lines if ln)
        if kept:
            out.append(kept)
    return "\n\n".join(out)


REPAIRS: tuple[Callable[[str], str], ...] = (
    normalize_spaces,
    drop_dailymail_header,
    drop_byline,
    drop_boilerplate,
    fix_stray_periods,
    space_after_punctuation,
    split_glued_words,
    tidy_whitespace,
)


def clean_text(text: str, language: str = "en") -> str:
    """The text through every step of REPAIRS, in order; the glue step in `language`."""
    for step in REPAIRS:
        text = split_glued_words(text, language) if step is split_glued_words else step(text)
    return text


def clean(article: Article) -> Article:
    """The article with its text repaired and its by-line moved into author / site_name.

    "By Li Tielin, People’s Daily" at the top becomes author="Li Tielin" and
    site_name="People’s Daily" (fields already set are kept) and leaves the text.
    """
    text = normalize_spaces(article.text)
    author, site, _ = parse_byline(text)
    author = author or dailymail_author(text)
    return replace(
        article,
        text=clean_text(text, article.language),
        author=article.author or author,
        site_name=article.site_name or site,
    )
