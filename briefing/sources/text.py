"""Plain text and Markdown -> text to be read: markdown markup is never spoken."""

from __future__ import annotations

import bisect
import functools
import re

# Every pattern here is linear on any input: none may scan past the next place it could
# have started (a "[" inside link text, a "<" inside a tag), since a 5 MB line of "[a]("
# or "<script " made the old ones quadratic. (A fence's lazy scan is fine: only the last
# opening of each kind can lack a closing.)
_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_HTML_LINE = re.compile(r"^[^\S\n]*<[A-Za-z/!][^\n]*>[^\S\n]*$", re.M)  # a raw HTML block line
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_PARENS = r"\((?:[^()]++|\([^()]*+\))*+\)"  # a link's target: one level of (nested) parentheses
_IMAGE = re.compile(rf"!\[[^\[\]]*\]{_PARENS}|!\[[^\[\]]*\]\[[^\[\]]*\]")
_LINK = re.compile(rf"\[([^\[\]]+)\]{_PARENS}|\[([^\[\]]+)\]\[[^\[\]]*\]")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s+\S+.*$", re.M)
_AUTOLINK = re.compile(r"<(https?://[^<>\s]+)>")
_INLINE_CODE = re.compile(r"`+[^`\n]*`+")
# Emphasis, one delimiter at a time so the text between never crosses another of its
# marks; nested emphasis goes in rounds, at most EMPHASIS_DEPTH of them.
_EMPHASIS = re.compile(
    r"\*\*(?=\S)([^*]+?)(?<=\S)\*\*|__(?=\S)([^_]+?)(?<=\S)__|\*(?=\S)([^*]+?)(?<=\S)\*"
    r"|_(?=\S)([^_]+?)(?<=\S)_|~~(?=\S)([^~]+?)(?<=\S)~~"
)
EMPHASIS_DEPTH = 4  # ***bold italic*** in a ~~struck~~ span is three; deeper is not prose
_SPACE_BEFORE_MARK = re.compile(r"(?<!\s)\s++([.,;:!?])")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
_QUOTE = re.compile(r"^\s*>\s?")
# What a line of markup can start with (and "" for an empty line); any other line is prose.
_MARKUP_STARTS = frozenset([*" \t#=-*_|>+:~`0123456789", ""])
_SPACES = re.compile(r"\s+")
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
    text = _drop_html_blocks(_FENCE.sub("", markdown))
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
            # inline markup per paragraph, not per line: one pass over it however many lines
            paragraphs.append(_inline(" ".join(current)))
            current.clear()

    for raw in text.split("\n"):
        line = raw.rstrip()
        if line[:1] not in _MARKUP_STARTS:  # a line of prose: the common case, kept cheap
            current.append(line)
            continue
        if not line:
            flush()
            continue
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
            # closing hashes are not part of the heading ("## Title ##")
            heading = _inline(heading_match.group(2).rstrip().rstrip("#").rstrip())
            if not title and len(heading_match.group(1)) == 1:
                title = heading
            elif heading:
                paragraphs.append(_sentence(heading))
            continue
        if not line.strip():
            flush()
            continue
        stripped = _QUOTE.sub("", line)  # block quotes are read as prose
        if "|" in stripped and stripped.strip().startswith("|"):
            stripped = " ".join(cell.strip() for cell in stripped.strip("| ").split("|"))
            stripped = _sentence(stripped)
        item = _LIST_ITEM.match(stripped)
        if item:
            flush()
            paragraphs.append(_sentence(_inline(stripped[item.end() :])))
            continue
        current.append(stripped.strip())
    flush()
    return title, "\n\n".join(p for p in paragraphs if p.strip())


def _drop_html_blocks(text: str) -> str:
    """Text without <script>, <style> and <!-- blocks, each through its closing tag or the
    first "-->" after it, whichever comes first; an unclosed one stays as text.

    The lazy pattern that did this rescanned to the end for every unclosed opening;
    here an opening with no closing after it means none of its kind after it has one.
    """
    lowered = text.lower()
    ends: dict[str, list[int]] = {}

    def first_end(closing: str, after: int) -> int | None:
        if closing not in ends:
            ends[closing] = [m.end() for m in re.finditer(re.escape(closing), lowered)]
        return _next(ends[closing], after + len(closing))  # ends: it must start after `after`

    kept: list[str] = []
    live: tuple[str, ...] = ("script", "style", "!--")
    position = done = 0
    while live and (match := _block_opening(live).search(text, position)) is not None:
        kind = match.group(1).lower()
        found = [end for end in (first_end(f"</{kind}>", match.end()),
                                 first_end("-->", match.end())) if end is not None]  # fmt: skip
        if found:
            kept.append(text[done : match.start()])
            position = done = min(found)
        else:
            live = tuple(k for k in live if k != kind)
            position = match.start() + 1
    kept.append(text[done:])
    return "".join(kept)


@functools.cache
def _block_opening(kinds: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("<(" + "|".join(re.escape(kind) for kind in kinds) + ")", re.I)


def _next(positions: list[int], after: int) -> int | None:
    """The first of the sorted `positions` at or after `after` (None when there is none)."""
    index = bisect.bisect_left(positions, after)
    return positions[index] if index < len(positions) else None


def _inline(text: str) -> str:
    for _ in range(EMPHASIS_DEPTH):
        previous = text
        text = _EMPHASIS.sub(lambda m: next(g for g in m.groups() if g is not None), text)
        if text == previous:
            break
    text = text.replace("\\", "")
    text = _SPACE_BEFORE_MARK.sub(r"\1", text)  # where an image or code span was dropped
    return _SPACES.sub(" ", text).strip()


def _sentence(text: str) -> str:
    """A heading or list item becomes a sentence: end it with a full stop if it has none."""
    text = text.strip()
    if text and not _END.search(text):
        text += "."
    return text
