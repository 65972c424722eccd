"""Extractive news summaries: rank an article's sentences and keep the best within a word budget."""

from __future__ import annotations

import math
from collections.abc import Sequence

from briefing.summarize.rank import Ranked, cosine, rank_sentences, unit_vector
from briefing.summarize.select import MIN_RELEVANCE, Pick, choose, opening
from briefing.summarize.shape import shape

__all__ = ["summarize", "summarize_articles"]

def summarize(text: str, max_words: int, language: str = "en", title: str = "") -> list[str]:
    """Pick an article's key sentences within a word budget.

    Returns sentences of `text`, in document order, at most `max_words` words in all; []
    when nothing fits. A newsreader's order: the lead first (the first sentence that is about
    the story, not a by-line, dateline or caption), shortened at a clause boundary when the
    budget is smaller than it; then the sentences that add most, by a lead-heavy ranking
    (position, then centrality and overlap with `title`), without repeating the summary.
    A sentence that leans on the one before ("But...", "He said...") comes with it or has its
    pronoun replaced by the name it stands for; a quotation keeps its speaker. Live blogs are
    read from their newest entries; lists and galleries by their introduction, or not at all.
    """
    if max_words <= 0:
        return []
    return [p.text for p in choose(_rank(text, language, title), max_words)]


def _rank(text: str, language: str, title: str) -> Ranked:
    return rank_sentences(shape(text, title).text, (language or "en").lower()[:2], title)


def summarize_articles(
    texts: Sequence[str],
    max_words: int,
    titles: Sequence[str] = (),
    languages: Sequence[str] = (),
    *,
    fill: bool = False,
) -> list[list[str]]:
    """Summarize several stories within one shared word budget.

    Each story first gets room for its lead (shortened if need be); the rest of the
    budget is shared by weight, the square root of the story's length times one plus its
    mean similarity to the other stories, so long stories and the day's common thread get
    more. Words a story cannot use pass to the others. Returns one list per text, in order;
    when the budget cannot hold every lead, the lightest stories get [].
    `fill` keeps adding sentences while they fit, even weak ones: a briefing asked to last
    five minutes should, when the stories have enough to say.
    """
    floor = 0.0 if fill else MIN_RELEVANCE
    n = len(texts)
    ranked = [
        _rank(text, languages[i] if i < len(languages) else "en",
              titles[i] if i < len(titles) else "")
        for i, text in enumerate(texts)
    ]
    weights = _weights(ranked)
    order = sorted(range(n), key=lambda i: (-weights[i], i))
    # Room for each story's lead, heaviest stories first.
    alloc = [0] * n
    left = max_words
    for i in order:
        alloc[i] = _words(opening(ranked[i], left))
        left -= alloc[i]
    total_weight = sum(weights[i] for i in range(n) if alloc[i]) or 1.0
    for i in range(n):
        if alloc[i]:
            alloc[i] += int(left * weights[i] / total_weight)
    picks = [choose(ranked[i], alloc[i], min_relevance=floor) if alloc[i] else []
             for i in range(n)]
    used = [_words(p) for p in picks]
    # Hand what a story left unused to the heaviest stories that can still grow.
    for i in order:
        spare = max_words - sum(used)
        if spare <= 0 or not alloc[i]:
            continue
        more = choose(ranked[i], used[i] + spare, min_relevance=floor)
        if _words(more) > used[i]:
            picks[i], used[i] = more, _words(more)
    return [[p.text for p in story] for story in picks]


def _words(picks: Sequence[Pick]) -> int:
    return sum(p.words for p in picks)


def _weights(ranked: Sequence[Ranked]) -> list[float]:
    """Each story's claim on the budget: sqrt(words) x (1 + mean similarity to the others)."""
    docs = []
    for r in ranked:
        total: dict[str, float] = {}
        for s in r.sentences:
            for t, c in s.terms.items():
                total[t] = total.get(t, 0.0) + c
        docs.append(unit_vector(total))
    n = len(docs)
    weights = []
    for i, doc in enumerate(docs):
        similarity = sum(cosine(doc, docs[j]) for j in range(n) if j != i) / max(n - 1, 1)
        weights.append(math.sqrt(ranked[i].words) * (1.0 + similarity))
    return weights
