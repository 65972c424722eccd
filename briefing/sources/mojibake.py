"""ftfy's repairs (mojibake, entities, odd characters), run only on the lines that need them.

`ftfy.fix_text` fixes a text line by line, at ~70 µs a line and ~0.6 µs a character
whatever the line holds: 5 MB of plain prose took 4 s, 5 MB of mojibake lines 45 s.
Nearly every line needs nothing: ASCII cannot be mojibake, and the character-level
steps touch only a known set of characters. `repair` finds the lines that could change
with a few scans of the text and hands only those to ftfy, so each line comes out as
ftfy makes it; budgets bound the work a hostile text can ask for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import ftfy
from ftfy import chardata
from ftfy.badness import BADNESS_RE

SEGMENT = 1_000_000  # ftfy's max_decode_length: a longer line is fixed in pieces of this size
# The longest pattern of ftfy's mojibake test (BADNESS_RE) is 7 characters, and every one
# holds a non-ASCII character: looking this far around each non-ASCII stretch finds all.
_REACH = 7
# Budgets. A long article is ~100 kB and a mis-decoded one has mojibake on every line, so
# these cover any real article in full; past them the text stays as decoded.
SCAN_BUDGET = 500_000  # characters the mojibake test reads (0.6-1.3 µs each)
REPAIR_BUDGET = 300_000  # characters of lines handed to ftfy...
REPAIR_LINES = 3_000  # ...in at most this many lines (~70-250 µs each)


def _touched() -> re.Pattern[str]:
    """Characters ftfy's character-level steps change (ligatures, widths, controls, ...)."""
    codes = set(chardata.LIGATURES) | set(chardata.WIDTH_MAP) | set(chardata.CONTROL_CHARS)
    codes |= set(range(0x80, 0xA0))  # C1 controls
    codes |= {0x1B, 0x2028, 0x2029}  # terminal escapes, Unicode line and paragraph separators
    chars = "".join(re.escape(chr(code)) for code in sorted(codes))
    return re.compile(f"[{chars}\ud800-\udfff]")  # and lone surrogates


_TOUCHED = _touched()
_AMPERSAND = re.compile("&")
# Non-ASCII stretches within a line, ASCII gaps short enough for their windows to overlap
# merged in (possessive: no backtracking).
_NON_ASCII = re.compile(rf"[^\x00-\x7f](?:[\x00-\x09\x0b-\x7f]{{0,{2 * _REACH}}}[^\x00-\x7f])*+")


def repair(text: str) -> str:
    """`ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)`, in linear time."""
    dirty: dict[int, int] = {}  # start -> end of the segments ftfy must see
    _mark(_TOUCHED, text, len(text), dirty)
    # ftfy decodes HTML entities until the first segment holding a "<" (from there on it
    # takes the text for HTML, whose entities are meant), never after it.
    first_tag = text.find("<")
    entities_end = len(text) if first_tag < 0 else _Segments(text).span(first_tag)[0]
    _mark(_AMPERSAND, text, entities_end, dirty)
    _mark_mojibake(text, dirty)
    pieces: list[str] = []
    done = repaired = 0
    for start in sorted(dirty)[:REPAIR_LINES]:
        end = dirty[start]
        repaired += end - start
        if repaired > REPAIR_BUDGET:
            break
        pieces.append(text[done:start])
        unescape = "auto" if first_tag < 0 or first_tag >= end else False
        # NFC, not NFKC: "²" and "½" stay; curly quotes stay curly (they are right)
        pieces.append(ftfy.fix_text(text[start:end], unescape_html=unescape,
                                    normalization="NFC", uncurl_quotes=False))  # fmt: skip
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


class _Segments:
    """ftfy's segments: a line each, a longer line cut every SEGMENT. Asked left to right."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.known = 0  # a segment start at or before every position asked for since

    def span(self, position: int) -> tuple[int, int]:
        """(start, end) of the segment holding `position`, in time linear over a pass."""
        line = self.text.rfind("\n", self.known, position) + 1 or self.known
        start = line + (position - line) // SEGMENT * SEGMENT
        newline = self.text.find("\n", start, start + SEGMENT)
        end = newline + 1 if newline >= 0 else min(start + SEGMENT, len(self.text))
        self.known = start
        return start, end


def _mark(pattern: re.Pattern[str], text: str, stop: int, dirty: dict[int, int]) -> None:
    """Add the segments where `pattern` occurs before `stop` (one search per segment)."""
    segments = _Segments(text)
    position = 0
    for _ in range(REPAIR_LINES):  # the earliest ones: only those can be repaired
        found = pattern.search(text, position, stop)
        if found is None:
            return
        start, position = segments.span(found.start())
        dirty[start] = position


def _mark_mojibake(text: str, dirty: dict[int, int]) -> None:
    """Add the segments ftfy's mojibake test flags, or that are not in NFC."""
    scanned = 0
    for start, end, window in _windows(text):
        if start in dirty:
            continue
        # A slice, not search(text, ...): ftfy tests each line alone, so "^" in its
        # patterns means the start of a line (at a window's start it may match where it
        # would not: that only sends one more line to ftfy). Text not in NFC goes to ftfy
        # too: normalizing may make mojibake that ftfy's next round repairs.
        if not unicodedata.is_normalized("NFC", window) or BADNESS_RE.search(window):
            dirty[start] = end
            if len(dirty) >= REPAIR_LINES:
                return
        scanned += len(window)
        if scanned > SCAN_BUDGET:
            return


def _windows(text: str) -> Iterator[tuple[int, int, str]]:
    """(segment start, segment end, window) around every non-ASCII stretch."""
    segments = _Segments(text)
    for match in _NON_ASCII.finditer(text):
        start, end = match.span()
        while True:  # a stretch crosses segments only in a line over SEGMENT characters
            seg_start, seg_end = segments.span(start)
            window = text[max(seg_start, start - _REACH) : min(seg_end, end + _REACH)]
            yield seg_start, seg_end, window
            if end <= seg_end:
                break
            start = seg_end
