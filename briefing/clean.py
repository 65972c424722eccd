"""Article -> Article: scraped text repaired by an ordered tuple of small, pure str -> str steps."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace

from briefing.glue import split_glued, split_glued_text, zipf
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


# --- By-lines -----------------------------------------------------------------------------

_BYLINE = re.compile(r"^\s*by\s+(?!\.)(\S[^\n]{1,119}?)\s*$", re.I)
_BYLINE_SPLIT = re.compile(r"\s*(?:,|\||\s[-–—]\s|\sfor\s)\s*")
MAX_BYLINE_WORDS = 12  # "By Jane Doe and John Roe, The Washington Post Staff" fits; prose not


def parse_byline(text: str) -> tuple[str, str, str]:
    """(author, site, rest) when the text's first line is a by-line, else ("", "", text).

    "By Li Tielin, People’s Daily" -> ("Li Tielin", "People’s Daily", rest).
    """
    head, _, rest = text.lstrip().partition("\n")
    m = _BYLINE.match(head)
    # A by-line is short and names someone: "By the time we arrived, ..." is prose.
    if not m or len(head.split()) > MAX_BYLINE_WORDS or head.rstrip()[-1] in ".!?:;":
        return "", "", text
    who = m.group(1)
    parts = _BYLINE_SPLIT.split(who, maxsplit=1)
    author = parts[0].strip()
    if not author[:1].isupper() or zipf(author.split()[0].lower()) >= 6.0:  # "By The", "By This"
        return "", "", text
    site = parts[1].strip() if len(parts) > 1 else ""
    return author, site, rest.lstrip("\n")


def drop_byline(text: str) -> str:
    """The by-line at the top removed (clean() keeps it as metadata first)."""
    return parse_byline(text)[2]


# Daily Mail pages scraped into one line: "By . Jill Reilly . PUBLISHED: . 08:06 EST, 5
# November 2012 . | . UPDATED: . 09:38 EST, 5 November 2012 . " and variants.
_DM_NAME = r"[A-Z][^.\n]{1,60}?"
_DM_DAY = r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}"  # 3 January 2014, 2nd March 2012
_DM_DATE = rf"\d{{1,2}}:\d{{2}}\s*(?:[AP]M\s*)?(?:[A-Z]{{2,4}})?,?\s*{_DM_DAY}"
_DM_BY = rf"By\s*\.\s*(?P<by>{_DM_NAME})\s*\.\s*(?:(?:and|&)\s+{_DM_NAME}\s*\.\s*)*"
_DM_STAMP = (
    r"(?:\|\s*\.?\s*)?(?:PUBLISHED|UPDATED|Last updated)\s*:?\s*\.?\s*(?:at\s+)?"
    rf"{_DM_DATE}(?:\s+[AP]M)?\s*\.?\s*"
)
_DM_LAST = rf"Last updated at\s+\d{{1,2}}:\d{{2}}\s*[AP]M\s+on\s+{_DM_DAY}\s*\.\s*"
_DM_HEADER = re.compile(rf"^\s*(?:{_DM_BY})?(?:{_DM_STAMP}|{_DM_LAST})*")


def drop_dailymail_header(text: str) -> str:
    """ "By . Associated Press . PUBLISHED: . 14:11 EST, 3 January 2014 . | ..." removed."""
    m = _DM_HEADER.match(text)
    return text[m.end() :] if m and m.end() else text


def dailymail_author(text: str) -> str:
    """The name in a Daily Mail header, or ""."""
    m = _DM_HEADER.match(text)
    return m.group("by").strip() if m and m.group("by") else ""


# --- Boilerplate --------------------------------------------------------------------------

_CREDIT = (
    r"(?:Getty(?: Images)?|AFP|Reuters|AP(?: Photo)?|EPA|PA(?: Wire)?|Shutterstock|Alamy|Xinhua)"
)
# Each matches a whole line (case-insensitive); lines are prose otherwise.
_BOILERPLATE_LINES = [
    r"leave a (?:reply|comment)",
    r"(?:post|add|write|view|show|load|hide) (?:a |all |more )?comments?",
    r"(?:\d+\s+)?comments?(?: \(\d+\))?",
    r"please enter your (?:comment|name|email(?: address)?)(?: here)?!?",
    r"you have entered an incorrect email address!?",
    r"save my name, email, and website in this browser.*",
    r"(?:share|tweet|email|print|pin|whatsapp|reddit|linkedin|facebook|twitter)(?: this)?"
    r"(?: (?:article|story|page|post))?(?: (?:on|via) \w+)?",
    r"share (?:on|via|with) .{1,40}",
    r"(?:advertisement|advertising|sponsored(?: content)?|promoted(?: content)?)",
    r"(?:read|see|show|load) more(?: (?:news|stories|articles))?\W*",
    r"read more ?: .{1,120}",
    r"(?:related|recommended|more from|also read|you may also like|most read)\b.{0,60}",
    r"continue reading.{0,40}",
    r"click here .{1,100}",
    r"scroll down for (?:video|videos)\W*",
    r"(?:sign up|subscribe|register)\b.{0,100}(?:newsletter|inbox|updates|free|today|now)\W*",
    r".{0,60}\bnewsletter\b.{0,60}\b(?:sign up|subscribe)\b.{0,40}",
    r"(?:follow|like|find) us on .{1,80}",
    r"(?:we|this (?:web)?site|our (?:web)?site) uses? cookies.*",
    r".{0,200}\b(?:accept|allow|manage) (?:all )?cookies\b.{0,100}",
    r"cookie (?:policy|settings|preferences)",
    r"(?:photo|image|picture|pictures|photograph|video|caption|credit|source)s?"
    r"(?: credit| courtesy)?\s*:.{0,200}",
    r"\(?(?:photo|image|picture)s? (?:by|courtesy of|credit)\b.{0,120}\)?",
    rf"\(?{_CREDIT}\)?",
    r"image copyright .{0,120}",
    r"image caption .{0,300}",
    r"media playback is (?:unsupported|not supported) on your device",
    r"(?:copyright\s*)?(?:©|\(c\)).{0,120}",
    r"all rights reserved\.?",
    r"(?:skip to (?:main )?content|back to top|top of form|bottom of form|loading\W*)",
]
_BOILERPLATE = re.compile(r"^(?:" + "|".join(_BOILERPLATE_LINES) + r")$", re.I)
# A short line ending in a photo agency's name is a caption: "Li Na in Beijing (Getty Images)".
_CAPTION = re.compile(rf"^.{{0,200}}(?:\(|/|\||-|–)\s*{_CREDIT}(?:/{_CREDIT})*\s*\)?\.?$")
_INLINE_CREDIT = re.compile(
    rf"\s*\((?:photo:?\s*)?(?:[^()]{{0,40}}/)?{_CREDIT}(?:/[^()]{{0,30}})?\)", re.I
)
_INLINE_JUNK = re.compile(r"\s*\bscroll down for videos?\b(?:\s*\.)?(?=\s|$)", re.I)
MAX_CAPTION_WORDS = 40  # captions are a sentence or two; a long paragraph ending so is prose


def _is_boilerplate(line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if _BOILERPLATE.match(s):
        return True
    return len(s.split()) <= MAX_CAPTION_WORDS and bool(_CAPTION.match(s))


def drop_boilerplate(text: str) -> str:
    """Comment forms, share prompts, ads, cookie notices, credits and captions removed."""
    lines = [ln for ln in text.split("\n") if not _is_boilerplate(ln)]
    text = "\n".join(lines)
    text = _INLINE_JUNK.sub("", text)
    return _INLINE_CREDIT.sub("", text)


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
