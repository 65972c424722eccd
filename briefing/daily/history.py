"""What was already spoken: URLs and text fingerprints of past stories, kept in the state dir."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from briefing.clean.title import titled
from briefing.models import Article

log = logging.getLogger(__name__)

SHINGLE_WORDS = 4  # 4-word runs: a reworded headline changes few of them, a new story most
SKETCH_SIZE = 128  # bottom-k hashes kept per story: ~1 kB of JSON, Jaccard within about +-0.09
NEAR_DUPLICATE = 0.5  # Jaccard of shingles; an updated wire story scores ~0.6-0.9, a new one ~0
REPEAT_WINDOW_DAYS = 7  # a story a feed still carries after a week is old news, not new
KEEP_DAYS = 60  # history kept this long; more than any repeat window, small on disk
HISTORY_FILE = "history.json"
_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|mc_)")


@dataclass(frozen=True)
class Spoken:
    """One story that went into an episode."""

    date: str
    url: str
    title: str
    sketch: frozenset[int]


def normalize_url(url: str) -> str:
    """The same story's URL however it was shared: no fragment, tracking tags or trailing slash."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def sketch(text: str) -> frozenset[int]:
    """A bottom-k MinHash sketch of the text's word shingles (order and case ignored)."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < SHINGLE_WORDS:
        words += [""] * (SHINGLE_WORDS - len(words))
    hashes = {
        int.from_bytes(hashlib.blake2b(" ".join(words[i:i + SHINGLE_WORDS]).encode(),
                                       digest_size=8).digest(), "big")
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    return frozenset(sorted(hashes)[:SKETCH_SIZE])


def similarity(a: frozenset[int], b: frozenset[int]) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    if not a or not b:
        return 0.0
    union = sorted(a | b)[:SKETCH_SIZE]
    both = a & b
    return sum(1 for h in union if h in both) / len(union)


class History:
    """The spoken-stories file; a plain class because it is loaded, changed and saved in a run."""

    def __init__(self, path: Path, stories: Iterable[Spoken] = ()) -> None:
        self.path = path
        self.stories = list(stories)

    @classmethod
    def load(cls, path: Path) -> History:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            stories = [Spoken(s["date"], s.get("url", ""), s.get("title", ""),
                              frozenset(int(h) for h in s.get("sketch", [])))
                       for s in data.get("stories", [])]
        except FileNotFoundError:
            stories = []
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            # losing the history only means a story may be repeated once; never block a run
            log.warning("ignoring unreadable history %s (%s)", path, exc)
            stories = []
        return cls(path, stories)

    def recent(self, day: dt.date, window_days: int = REPEAT_WINDOW_DAYS) -> list[Spoken]:
        """Stories spoken in the window before `day` (not on it: a --force remake starts over)."""
        first = (day - dt.timedelta(days=window_days)).isoformat()
        return [s for s in self.stories if first <= s.date < day.isoformat()]

    def spoken_link(self, link: str, day: dt.date,
                    window_days: int = REPEAT_WINDOW_DAYS) -> Spoken | None:
        """The story spoken in the window before `day` under this link (however shared)."""
        url = normalize_url(link)
        return next((s for s in self.recent(day, window_days) if s.url and s.url == url), None)

    def fresh(self, articles: Sequence[Article], day: dt.date,
              window_days: int = REPEAT_WINDOW_DAYS) -> list[Article]:
        """The articles not spoken lately, and not repeating each other, in order."""
        seen = self.recent(day, window_days)
        kept: list[Article] = []
        for article in articles:
            url = normalize_url(article.url)
            mark = sketch(article.text)
            repeat = next((s for s in seen if s.url and s.url == url), None) if url else None
            if repeat is None:
                repeat = next((s for s in seen if similarity(mark, s.sketch) >= NEAR_DUPLICATE),
                              None)
            if repeat is not None:
                log.info("skipping %r: already spoken on %s", titled(article).title, repeat.date)
                continue
            kept.append(article)
            seen.append(Spoken(day.isoformat(), url, titled(article).title, mark))
        return kept

    def record(self, articles: Sequence[Article], day: dt.date) -> None:
        """Remember these as spoken on `day`, replacing what an earlier run that day recorded."""
        iso = day.isoformat()
        oldest = (day - dt.timedelta(days=KEEP_DAYS)).isoformat()
        self.stories = [s for s in self.stories if s.date != iso and s.date >= oldest]
        self.stories += [Spoken(iso, normalize_url(a.url), titled(a).title, sketch(a.text))
                         for a in articles]

    def dumps(self) -> str:
        stories = [{"date": s.date, "url": s.url, "title": s.title, "sketch": sorted(s.sketch)}
                   for s in self.stories]
        return json.dumps({"version": 1, "stories": stories}, ensure_ascii=False) + "\n"
