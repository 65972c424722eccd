"""Plain text and Markdown -> text to be read: markdown markup is never spoken."""

from __future__ import annotations

import re

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_HTML_BLOCK = re.compile(r"<(script|style|!--)[\s\S]*?(?:</\1>|-->)", re.I)
_HTML_LINE = re.compile(r"^\s*<[A-Za-z/!][^\n]*>\s*$", re.M)  # a raw HTML block line
_HTML_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)|\[([^\]]+)\]\[[^\]]*\]")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$", re.M)
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_INLINE_CODE = re.compile(r"`+[^`\n]*`+")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_BYLINE = re.compile(r"^\s*(by|von|par|por|di|door)\s+\S", re.I)
_END = re.compile(r"[.!?:;…。！？\"'”’)]$")


def read_text(text: str) -> tuple[str, str]:
    """(title, text) of a plain-text file: no title unless it is clearly a headline line."""
    text = text.strip()
    first, sep, rest = text.partition("\n")
    # A short first line without end punctuation followed by a blank line reads as a headline.
    # A "By ..." line is a byline, not a headline: it stays in the text for clean.py to lift.
    is_byline = bool(_BYLINE.match(first))
    if (
        sep
        and rest.startswith("\n")
        and len(first.split()) <= 20
        and not _END.search(first)
        and not is_byline
    ):
        return first.strip(), rest.strip()
    return "", text


def read_markdown(markdown: str) -> tuple[str, str]:
    """(title, text) of Markdown: the first `# ` heading is the title, markup dropped."""
    text = _FENCE.sub("", markdown)
    text = _HTML_BLOCK.sub("", text)
    text = _REF_DEF.sub("", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda m: m.group(1) or m.group(2), text)
    text = _AUTOLINK.sub("", text)
    text = _HTML_LINE.sub("", text)
    text = _HTML_TAG.sub("", text)
    text = _INLINE_CODE.sub("", text)
    title = ""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for raw in text.split("\n"):
        line = raw.rstrip()
        if line.startswith("    ") or line.startswith("\t"):
            continue  # indented code block
        if _RULE.match(line) or _TABLE_RULE.match(line):
            flush()
            continue
        if _SETEXT.match(line) and current:
            heading = current.pop()
            flush()
            if not title and line.strip().startswith("="):
                title = _inline(heading)
            else:
                paragraphs.append(_sentence(_inline(heading)))
            continue
        heading_match = _HEADING.match(line)
        if heading_match:
            flush()
            heading = _inline(heading_match.group(2))
            if not title and len(heading_match.group(1)) == 1:
                title = heading
            elif heading:
                paragraphs.append(_sentence(heading))
            continue
        if not line.strip():
            flush()
            continue
        stripped = re.sub(r"^\s*>\s?", "", line)  # block quotes are read as prose
        if "|" in stripped and stripped.strip().startswith("|"):
            stripped = " ".join(cell.strip() for cell in stripped.strip("| ").split("|"))
            stripped = _sentence(stripped)
        item = _LIST_ITEM.match(stripped)
        if item:
            flush()
            paragraphs.append(_sentence(_inline(stripped[item.end() :])))
            continue
        current.append(_inline(stripped.strip()))
    flush()
    return title, "\n\n".join(p for p in paragraphs if p.strip())


def _inline(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _EMPHASIS.sub(r"\2", text)
    text = text.replace("\\", "")
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)  # where an image or code span was dropped
    return re.sub(r"\s+", " ", text).strip()


def _sentence(text: str) -> str:
    """A heading or list item becomes a sentence: end it with a full stop if it has none."""
    text = text.strip()
    if text and not _END.search(text):
        text += "."
    return text
