"""Pages that are not one story: live blogs, lists and galleries, cut down to what to read."""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

# --- Live blogs: entries under timestamps, "Key events", "Updated at" -------------------------

_CLOCK = (r"(\d{1,2})[:.](\d{2})\s*([ap]\.?m\.?)?"
          r"(?:\s*(?:GMT|BST|UTC|CET|CEST|EST|EDT|PST|PDT|ET|PT|AEST|AEDT|IST))?")
_AGO = r"(\d{1,3})\s*(m|min|mins|minutes?|h|hr|hrs|hours?)\s+ago"
# A timestamp heading an entry: on a line of its own, or before the entry's first words.
_STAMP = re.compile(
    rf"^[ \t]*(?P<stamp>{_AGO}(?:[ \t]*{_CLOCK})?|{_CLOCK})"
    r"[ \t]*(?:\n|$|[-–—:|][ \t]+|[ \t]{2,})",
    re.IGNORECASE | re.MULTILINE,
)
_CLOCK_RE = re.compile(_CLOCK, re.IGNORECASE)
_AGO_RE = re.compile(_AGO, re.IGNORECASE)
_CHROME = re.compile(
    r"^[ \t]*(?:(?:last )?updated(?: at)?\b.{0,40}|show key events only.*|key events\W*"
    r"|live(?: updates| coverage| blog)?\W*|pinned post\W*|refresh\W*|\d+ new updates?\W*"
    r"|reuse this content\W*|please turn on javascript.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_KEY_EVENTS = re.compile(r"^[ \t]*key events\W*$", re.IGNORECASE | re.MULTILINE)
MIN_LIVE_ENTRIES = 3  # one or two times at line starts happen in schedules; three are a blog
LIVE_ENTRIES = 5  # the newest entries read: a briefing tells where the story stands now
KEY_EVENT_WORDS = 15  # a "Key events" item is a one-line title; prose after it is the blog

# --- Lists and galleries ------------------------------------------------------------------------

_NUMBERED = re.compile(r"^[ \t]*(?:No\.\s*|#)?(\d{1,3})[.):][ \t]+\S", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*[-*•·▪‣◦][ \t]+\S", re.MULTILINE)
_COUNTER = re.compile(
    r"^[ \t]*(?:(?:image|photo|picture|slide|gallery)\s*)?\d{1,3}\s*(?:of|/)\s*\d{1,3}\b.{0,80}$"
    r"|^[ \t]*(?:photograph|photo|image|picture)s?\s*:.{0,120}$",
    re.IGNORECASE | re.MULTILINE,
)
MIN_LIST_ITEMS = 5  # a story may list three or four points; five numbered ones are a list page
MIN_GALLERY_PICTURES = 3
SHORT_ITEM_WORDS = 12  # a list item without its bullet: a line this short, many times over
SHORT_ITEMS_SHARE = 0.6
# Pages show what they are at the top: only this much is looked at (bounded work on a 5 MB
# input; a live blog longer than this is read from the newest entries within it).
SCAN_CHARS = 200_000
_PROSE = re.compile(r"\w[^.!?。！？]{20,}[.!?。！？]")


@dataclass(frozen=True)
class Shape:
    """What kind of page a text is, and the part of it a summary should read ("" for none)."""

    kind: str  # "article", "live", "list" or "gallery"
    text: str


def has_story(text: str, title: str = "") -> bool:
    """Whether the text gives anything to read aloud (a gallery or a list with no
    introduction does not); says nothing in the log."""
    return bool(shape(text, title, say=False).text.strip())


def shape(text: str, title: str = "", *, say: bool = True) -> Shape:
    """Find live blogs, lists and galleries; say in the log what is read of them (unless
    not `say`).

    A live blog is read from its newest entries; a list or a gallery by its introduction,
    or skipped when it has none (a listener cannot follow twenty captions).
    """
    info = log.info if say else _quiet
    name = title or text.strip().split("\n", 1)[0][:60]
    head = text[:SCAN_CHARS]
    stamps = list(_STAMP.finditer(head))
    if len(stamps) >= MIN_LIVE_ENTRIES or (_KEY_EVENTS.search(head) and len(stamps) >= 2):
        entries = _newest_entries(head, stamps)
        info("%s: a live blog of %d entries; reading the newest %d",
             name, len(stamps), len(entries))
        return Shape("live", "\n\n".join(entries))
    counters = _COUNTER.findall(head)
    if len(counters) >= MIN_GALLERY_PICTURES:
        first = _COUNTER.search(head)
        return _intro_or_skip("gallery", head[: first.start() if first else 0], name,
                              f"{len(counters)} pictures", info)
    items = _list_items(head)
    if items is not None:
        start, count = items
        return _intro_or_skip("list", head[:start], name, f"{count} items", info)
    return Shape("article", text)


def _quiet(*_: object) -> None:
    pass


def _intro_or_skip(kind: str, intro: str, name: str, size: str,
                   info: Callable[..., None]) -> Shape:
    if _PROSE.search(intro):
        info("%s: a %s of %s; reading its introduction", name, kind, size)
        return Shape(kind, intro)
    info("%s: a %s of %s with no introduction; skipped", name, kind, size)
    return Shape(kind, "")


def _list_items(text: str) -> tuple[int, int] | None:
    """(where the list starts, how many items) when the text is mostly a list, else None."""
    numbers = [(int(m.group(1)), m.start()) for m in _NUMBERED.finditer(text)]
    run = _longest_run(numbers)
    if len(run) >= MIN_LIST_ITEMS:
        return run[0][1], len(run)
    bullets = [m.start() for m in _BULLET.finditer(text)]
    if len(bullets) >= MIN_LIST_ITEMS and len(bullets) >= SHORT_ITEMS_SHARE * _lines(text):
        return bullets[0], len(bullets)
    blocks = [(m.start(), m.group(0)) for m in re.finditer(r"[^\n]+", text)]
    short = [at for at, b in blocks if len(b.split()) <= SHORT_ITEM_WORDS]
    if len(short) >= 2 * MIN_LIST_ITEMS and len(short) >= SHORT_ITEMS_SHARE * len(blocks):
        return short[0], len(short)
    return None


def _lines(text: str) -> int:
    return sum(1 for ln in text.split("\n") if ln.strip())


def _longest_run(numbers: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of items numbered one up (1, 2, 3) or one down (10, 9, 8)."""
    best: list[tuple[int, int]] = []
    for step in (1, -1):
        run: list[tuple[int, int]] = []
        for n, at in numbers:
            run = [*run, (n, at)] if run and n == run[-1][0] + step else [(n, at)]
            if len(run) > len(best):
                best = run
    return best


def _newest_entries(text: str, stamps: list[re.Match[str]]) -> list[str]:
    """The newest LIVE_ENTRIES entries' text, newest first, without the blog's chrome."""
    text_end = len(text)
    key = _KEY_EVENTS.search(text)
    entries: list[tuple[float, str]] = []
    for k, m in enumerate(stamps):
        end = stamps[k + 1].start() if k + 1 < len(stamps) else text_end
        body = _CHROME.sub("", text[m.end():end]).strip()
        if key and m.start() > key.start() and len(body.split()) <= KEY_EVENT_WORDS \
                and "\n" not in body:
            continue  # a "Key events" item: the entry it links to follows
        if body:
            entries.append((_minutes(m), body))
    times = [t for t, _ in entries]
    falling = sum(1 for a, b in itertools.pairwise(times) if b < a)
    rising = sum(1 for a, b in itertools.pairwise(times) if b > a)
    ordered = [body for _, body in entries]
    if rising > falling:  # oldest first, like a transcript: the newest are at the end
        ordered.reverse()
    return ordered[:LIVE_ENTRIES]


def _minutes(m: re.Match[str]) -> float:
    """A timestamp in minutes, for ordering: "2h ago" is -120, "10.32pm" is 1352."""
    stamp = m.group("stamp")
    ago = _AGO_RE.match(stamp)
    if ago:
        return -int(ago.group(1)) * (60 if ago.group(2).lower().startswith("h") else 1)
    clock = _CLOCK_RE.match(stamp)
    if not clock:
        return 0.0
    hours, ampm = int(clock.group(1)), (clock.group(3) or "").lower()
    if ampm:
        hours = hours % 12 + (12 if ampm.startswith("p") else 0)
    return hours * 60 + int(clock.group(2))
