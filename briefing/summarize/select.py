"""Sentences chosen within a word budget: the lead first, then what adds most, none left hanging."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from briefing.summarize.cohesion import apply
from briefing.summarize.rank import Ranked, Sentence, cosine
from briefing.summarize.shorten import MIN_WORDS as MIN_CLAUSE
from briefing.summarize.shorten import shorten

# MMR: how much a sentence loses for repeating what is already chosen. Scaled down by
# (1 - budget/article)^2, since a summary half as long as its article must repeat topics.
REDUNDANCY_WEIGHT = 0.5
# Stop filling the budget when what is left is this irrelevant or repetitive (relative to
# the best sentence): a stray aside out of context is worse to hear than a shorter summary.
# 0.3 cuts BBC summaries (which keep ~45% of the article) short by a tenth.
MIN_RELEVANCE = 0.25
# A sentence this similar (TF-IDF cosine) to one already chosen says the same thing again:
# never chosen, even when filling the time (scraped pages repeat captions and standfirsts).
DUPLICATE = 0.8


@dataclass(frozen=True)
class Pick:
    """A sentence as it will be read: whole, shortened (a lead), or with its pronoun named."""

    index: int
    text: str
    words: int


def _can_open(s: Sentence) -> bool:
    """Whether a story (or what follows a gap) may start with this sentence."""
    lean = s.leaning
    return not (lean.needs_prev or s.question or (lean.pronoun and s.resolution is None))


def _alone(s: Sentence) -> str:
    """The sentence as heard without the one before it: its pronoun named if it has one."""
    return apply(s.text, s.resolution, "") if s.resolution else s.text


def _unit(sentences: list[Sentence], i: int, chosen: set[int], floor: int) -> list[int] | None:
    """Sentence i with the neighbours it leans on that are not chosen yet, or None when one of
    them would come before `floor` (the story's first sentence) or does not exist."""
    unit = [i]
    j = i
    while j - 1 not in chosen:
        s = sentences[j]
        if not (s.leaning.needs_prev or (s.leaning.pronoun and s.resolution is None)):
            break
        j -= 1
        if j < floor:
            return None
        unit.insert(0, j)
    k = i
    while sentences[k].leaning.needs_next:
        k += 1
        if k >= len(sentences):
            return None
        if k not in chosen:
            unit.append(k)
    return unit


def _cost(sentences: list[Sentence], unit: list[int], chosen: set[int]) -> int:
    """Words the unit adds, counting a named pronoun's name where it follows a gap."""
    first = sentences[unit[0]]
    if unit[0] - 1 not in chosen and first.resolution:
        return len(_alone(first).split()) + sum(sentences[k].words for k in unit[1:])
    return sum(sentences[k].words for k in unit)


def opening(ranked: Ranked, max_words: int) -> list[Pick]:
    """The story's lead within `max_words`: its first sentence that can open it (with what it
    leans on), shortened at a clause boundary when it is too long; when it cannot be, the
    next sentence that can; [] when none does."""
    sentences = ranked.sentences
    if max_words <= 0:
        return []
    lead = next((s for s in sentences if _can_open(s)), None)
    if lead is None:
        return []
    unit = _unit(sentences, lead.index, set(), lead.index)
    if unit and _cost(sentences, unit, set()) <= max_words:
        return _render(sentences, unit, {})
    if unit == [lead.index]:
        short = shorten(_alone(lead), max_words, ranked.lang)
        if short:
            return [Pick(lead.index, short, len(short.split()))]
    # The lead cannot be said in so few words: the next sentence that can, as a newsreader
    # would go on to the next paragraph (not the best-ranked one from the middle).
    for s in sentences[lead.index + 1:]:
        unit = _unit(sentences, s.index, set(), s.index) if _can_open(s) else None
        if unit and _cost(sentences, unit, set()) <= max_words:
            return _render(sentences, unit, {})
        short = shorten(_alone(s), max_words, ranked.lang) if unit == [s.index] else None
        if short:
            return [Pick(s.index, short, len(short.split()))]
    return []


def choose(ranked: Ranked, max_words: int, min_relevance: float = MIN_RELEVANCE) -> list[Pick]:
    """The lead, then greedy maximal marginal relevance within the budget; in document order.

    A sentence that leans on the one before ("But...", "He said...", a bare quotation) comes
    with it, or stands alone with its pronoun replaced by the person or organisation it names;
    otherwise it is not chosen.
    """
    first = opening(ranked, max_words)
    if not first:
        return []
    sentences, relevance, vectors = ranked.sentences, ranked.relevance, ranked.vectors
    floor = first[0].index
    chosen = {p.index for p in first}
    fixed = {p.index: p.text for p in first if p.text != sentences[p.index].text}
    left = max_words - sum(p.words for p in first)
    share = min(1.0, max_words / max(ranked.words, 1))
    redundancy_weight = REDUNDANCY_WEIGHT * (1.0 - share) ** 2
    redundancy = [0.0] * len(sentences)
    for i in range(len(sentences)):
        redundancy[i] = max((cosine(vectors[i], vectors[k]) for k in chosen), default=0.0)

    def value(unit: list[int]) -> float:
        return sum(relevance[k] - redundancy_weight * redundancy[k] for k in unit) / len(unit)

    candidates = [i for i in range(floor + 1, len(sentences)) if i not in chosen]
    while candidates:
        best = _best(ranked, candidates, chosen, floor, left, value, redundancy)
        if best is None or value(best[0]) < min_relevance:
            break
        added, short = best
        if short:
            fixed[added[0]] = short
            left -= len(short.split())
        else:
            left -= _cost(sentences, added, chosen)
        chosen.update(added)
        candidates = [i for i in candidates if i not in chosen]
        for i in candidates:
            redundancy[i] = max(redundancy[i], *(cosine(vectors[i], vectors[k]) for k in added))
    return _render(sentences, sorted(chosen), fixed)


def _best(
    ranked: Ranked,
    candidates: list[int],
    chosen: set[int],
    floor: int,
    left: int,
    value: Callable[[list[int]], float],
    redundancy: list[float],
) -> tuple[list[int], str] | None:
    """The most valuable unit that fits in `left` words, whole or (a single sentence too long
    to read whole) trimmed to its main clause, the way an editor trims; None if none fits."""
    sentences = ranked.sentences
    units = []
    for i in candidates:
        unit = _unit(sentences, i, chosen, floor + 1)
        if unit is not None and not any(redundancy[k] >= DUPLICATE for k in unit):
            units.append((value(unit), -i, unit))
    for _, minus_i, unit in sorted(units, reverse=True):
        if _cost(sentences, unit, chosen) <= left:
            return unit, ""
        i = -minus_i
        if unit == [i] and left >= MIN_CLAUSE:
            short = shorten(_alone(sentences[i]) if i - 1 not in chosen else sentences[i].text,
                            left, ranked.lang)
            if short:
                return unit, short
    return None


def _render(sentences: list[Sentence], chosen: list[int], fixed: dict[int, str]) -> list[Pick]:
    """Chosen sentences as read: a pronoun after a gap named, a shortened lead as shortened."""
    out: list[Pick] = []
    said = ""
    picked = set(chosen)
    for i in chosen:
        s = sentences[i]
        text = fixed.get(i) or s.text
        if i not in fixed and s.resolution and i - 1 not in picked:
            text = apply(s.text, s.resolution, said)
        out.append(Pick(i, text, len(text.split())))
        said += " " + text
    return out
