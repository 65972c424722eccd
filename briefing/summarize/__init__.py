"""Extractive news summaries: rank an article's sentences and keep the best within a word budget."""

from __future__ import annotations

import math
from collections.abc import Sequence

from briefing.summarize.rank import MIN_RELEVANCE, Ranked, cosine, rank, select, unit_vector

__all__ = ["summarize", "summarize_articles"]

def summarize(text: str, max_words: int, language: str = "en", title: str = "") -> list[str]:
    """Pick an article's key sentences within a word budget.

    Returns whole sentences of `text`, in document order, at most `max_words` words in all
    (a sentence that does not fit is dropped, never cut); [] when no sentence fits. Sentences
    are ranked by lead position, centrality (TextRank and TF-IDF cosine to the rest of the
    article) and overlap with `title`, then picked greedily with maximal marginal relevance
    so that the summary does not repeat itself. By-lines, photo captions, boilerplate
    ("Click here", comment forms) and headings are never picked; questions to the reader and
    sentences that lean on the one before ("He said...") only when they earn it.
    """
    if max_words <= 0:
        return []
    ranked = rank(text, language.lower()[:2], title)
    return [ranked.sentences[i].text for i in select(ranked, max_words)]


def summarize_articles(
    texts: Sequence[str],
    max_words: int,
    titles: Sequence[str] = (),
    languages: Sequence[str] = (),
    *,
    fill: bool = False,
) -> list[list[str]]:
    """Summarize several stories within one shared word budget.

    Each story first gets room for its best sentence (its lead, usually); the rest of the
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
        rank(text, (languages[i] if i < len(languages) else "en").lower()[:2],
              titles[i] if i < len(titles) else "")
        for i, text in enumerate(texts)
    ]
    weights = _weights(ranked)
    order = sorted(range(n), key=lambda i: (-weights[i], i))
    # Room for each story's first pick, heaviest stories first.
    alloc = [0] * n
    left = max_words
    for i in order:
        first = select(ranked[i], left, max_sentences=1)
        if first:
            alloc[i] = ranked[i].sentences[first[0]].words
            left -= alloc[i]
    total_weight = sum(weights[i] for i in range(n) if alloc[i]) or 1.0
    for i in range(n):
        if alloc[i]:
            alloc[i] += int(left * weights[i] / total_weight)
    picks = [select(ranked[i], alloc[i], min_relevance=floor) if alloc[i] else []
             for i in range(n)]
    used = [sum(ranked[i].sentences[k].words for k in picks[i]) for i in range(n)]
    # Hand what a story left unused to the heaviest stories that can still grow.
    for i in order:
        spare = max_words - sum(used)
        if spare <= 0 or not alloc[i]:
            continue
        more = select(ranked[i], used[i] + spare, min_relevance=floor)
        words = sum(ranked[i].sentences[k].words for k in more)
        if words > used[i]:
            picks[i], used[i] = more, words
    return [[ranked[i].sentences[k].text for k in picks[i]] for i in range(n)]


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
