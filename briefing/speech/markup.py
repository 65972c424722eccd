"""Markup, links and symbols for the ear: what a reader sees but a listener should not hear."""

from __future__ import annotations

import re
import unicodedata

from briefing.speech.acronyms import domain_part
from briefing.speech.state import Pass

_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]*\)")
_REFERENCE = re.compile(r"\[(?:\d+(?:[,–-]\d+)*|[a-z]|citation needed|edit|note \d+)\]")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*[-*+•·▪►▶→–][ \t]+", re.MULTILINE)
_EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{1,2}|_{1,2}(?!\w)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]']", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@((?:[\w-]+\.)+[A-Za-z]{2,})(?![\w-])")
_TLDS = ("com|org|net|edu|gov|io|ai|co|uk|de|fr|es|pt|br|cn|eu|info|news|tv|app|dev|ly|jp|"
         "au|ca|ch|nl|ru|int|mil|xyz|tech|media|it|in|ie|be|at")
_DOMAIN = re.compile(rf"(?<![\w@.\-])((?:[A-Za-z0-9-]+\.)+(?:{_TLDS}))(?![\w\-]|\.\w)"
                     r"(?:/[^\s\"<>]*[^\s\"<>.,;:!?)'])?")
_HANDLE = re.compile(r"(?<![\w@])@(\w+)")
_HASHTAG = re.compile(r"(?<![\w#&])#([^\W\d]\w*)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|_")
# symbols that espeak reads aloud ("asterisk", "vertical bar", "right arrow") or that
# mean nothing to a listener; emoji go by Unicode category below
_SYMBOLS = re.compile(r"[*#|•·▪►▶◀■□◆◇●○★☆✓✔✗✘→←↑↓⇒⇐↔~^_\\{}\[\]<>=©®™†‡§¶]")
_UNUSUAL = re.compile(r"[^\n\x20-\x7e\u00a0-\u024f\u2010-\u2027\u20a0-\u20cf]")
_PLUS = re.compile(r"(?<![\w+])\+(?=\s?\d)")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])")
_REPEATED_PUNCT = re.compile(r"([,;:])(?:\s*[,;:.])+|\.(?:\s*\.){1,2}(?!\.)")
_LEADING_PUNCT = re.compile(r"^(?:[\s,;:.!?)\]]|-(?!\d))+")
_EMPTY_PARENS = re.compile(r"\(\s*[,;:]?\s*\)")
_MANY_SPACES = re.compile(r"[ ]{2,}")
_BLANK_LINES = re.compile(r"\s*\n\s*")


def markup(text: str, p: Pass) -> str:
    """HTML tags, Markdown links and emphasis, footnote marks, headings and bullets go."""
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", _MD_IMAGE.sub(" ", text))
    if "[" in text:
        text = _REFERENCE.sub("", text)
    if "#" in text:
        text = _HEADING.sub("", text)
    text = _BULLET.sub("", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    return text


def spoken_domain(host: str, p: Pass) -> str:
    """ "www.bbc.co.uk" -> "B B C dot co dot U K": letters where a listener needs them."""
    host = re.sub(r"^www\d*\.", "", host.lower()).split(":")[0]
    dot = f" {p.table.word('dot', 'dot')} "
    return dot.join(domain_part(part, p) for part in host.split(".") if part)


def email(text: str, p: Pass) -> str:
    if "@" not in text:
        return text
    at = p.table.word("at", "at")
    return _EMAIL.sub(lambda m: p.hold(
        f"{re.sub(r'[._+-]+', ' ', m[1])} {at} {spoken_domain(m[2], p)}"), text)


def url(text: str, p: Pass) -> str:
    """A link is said as its domain: the path means nothing to a listener."""
    if "://" not in text and "www." not in text.lower():
        return text

    def host(m: re.Match[str]) -> str:
        rest = re.sub(r"^(?:https?://)?", "", m[0], flags=re.IGNORECASE)
        return p.hold(spoken_domain(rest.split("/")[0].split("?")[0], p))

    return _URL.sub(host, text)


def domain(text: str, p: Pass) -> str:
    if "." not in text:
        return text
    return _DOMAIN.sub(lambda m: p.hold(spoken_domain(m[1], p)), text)


def handles(text: str, p: Pass) -> str:
    """@user is said as its name; #hashtag as "hashtag" and its words."""
    if "@" in text:
        text = _HANDLE.sub(lambda m: _CAMEL.sub(" ", m[1]), text)
    if "#" in text:
        word = p.table.word("hashtag", "hashtag")
        text = _HASHTAG.sub(lambda m: f"{word} {_CAMEL.sub(' ', m[1])}", text)
    return text


def symbols(text: str, p: Pass) -> str:
    """Plus before a number is said; other symbols, emoji and modifiers go."""
    if "+" in text:
        text = _PLUS.sub(p.table.word("plus", "plus") + " ", text)
    text = _SYMBOLS.sub(" ", text)
    # emoji, dingbats and modifiers (So, Sk) and stray controls go; currency signs (Sc)
    # and our placeholders (Co) stay. Only characters outside plain Latin text are checked.
    return _UNUSUAL.sub(_drop_symbol, text)


def _drop_symbol(m: re.Match[str]) -> str:
    return " " if unicodedata.category(m.group(0)) in ("So", "Sk", "Cc", "Cf", "Cs") else m[0]


def tidy(text: str, p: Pass) -> str:
    """Unbalanced brackets and quotes, empty parentheses, doubled spaces and punctuation."""
    if text.count("(") != text.count(")"):
        text = text.replace("(", " ").replace(")", " ")
    if text.count('"') % 2:
        text = text.replace('"', " ")
    if "(" in text:
        text = _EMPTY_PARENS.sub(" ", text)
    if "\n" in text:
        text = _BLANK_LINES.sub("\n", text)
    text = _MANY_SPACES.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _REPEATED_PUNCT.sub(lambda m: m[0][0], text)
    return _LEADING_PUNCT.sub("", text)
