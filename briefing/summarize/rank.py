"""Sentence ranking for extractive summaries: junk filters, terms, TextRank, MMR selection."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from briefing.summarize.sentences import split_sentences
from briefing.summarize.stopwords import stopwords

# Ranking weights. Tuned by hand on ../shared/data/summ-dev.jsonl (bench/summarize.py), kept
# at round values in the middle of the flat region rather than at the dev set's best point.
# News puts the point first: the first sentence counts up to 3x as much as a late one with
# the same topicality (weight 1 loses ~1 ROUGE-2 on CNN/DailyMail, 3 loses it on BBC).
POSITION_WEIGHT = 2.0
# How fast the lead bias fades, in sentences: the 10th sentence keeps ~1/e of it. Faster
# decay (2-5) loses the key facts that wire stories give in their 3rd-8th sentences.
POSITION_DECAY = 10.0
# Graph centrality (TextRank: PageRank over shared-term overlap) finds what the story is about,
# favouring long, fact-dense sentences; it is what beats lead on BBC-style articles.
GRAPH_WEIGHT = 1.0
DAMPING = 0.85  # PageRank's usual damping factor
# TF-IDF cosine to the rest of the article: the same idea with term weights. Half weight:
# alone it picks short on-topic sentences; with the graph it breaks the graph's length bias.
CENTROID_WEIGHT = 0.5
# Overlap with the headline, when there is one (+1.3 ROUGE-2 on the BBC half).
TITLE_WEIGHT = 0.5
# Sentences under this many words score proportionally less: they carry few facts.
SHORT_SENTENCE = 10
# MMR: how much a sentence loses for repeating what is already chosen. Scaled down by
# (1 - budget/article)^2, since a summary half as long as its article must repeat topics.
REDUNDANCY_WEIGHT = 0.5
# A sentence that leans on the one before ("He said...", "But...") reads badly alone.
DANGLING_PENALTY = 0.7
# A question informs nobody ("What went wrong?"); one put to the listener ("Would you pay
# that?") is dropped outright.
QUESTION_PENALTY = 0.5
# Fragments shorter than this are headings, by-lines or captions, not sentences.
MIN_WORDS = 5
# Stop filling the budget when what is left is this irrelevant or repetitive (relative to
# the best sentence): a stray aside out of context is worse to hear than a shorter summary.
# 0.3 cuts BBC summaries (which keep ~45% of the article) short by a tenth.
MIN_RELEVANCE = 0.25


@dataclass(frozen=True)
class _Sentence:
    """One candidate sentence with what the ranking needs to know about it."""

    text: str
    index: int  # position among the article's kept sentences
    words: int
    terms: Counter[str]
    dangling: bool
    question: bool


@dataclass(frozen=True)
class Ranked:
    """An article's candidate sentences, their relevance and their unit TF-IDF vectors."""

    sentences: list[_Sentence]
    relevance: list[float]  # best sentence = 1.0
    vectors: list[dict[str, float]]

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sentences)


# --- cleaning: what scraped news text carries that is not the story ------------------------------

# Daily Mail by-line blocks: "By . Jill Reilly . PUBLISHED: . 08:06 EST, 5 November 2012 . | ."
_BYLINE_BLOCK = re.compile(
    r"^\s*(?:"
    r"By\s+\.\s+[^.|]{1,80}?\s+\.\s+(?:and\s+[^.|]{1,60}?\s+\.\s+)?"
    r"|(?:PUBLISHED|UPDATED):\s+\.\s+\d{1,2}:\d{2}\s+\w{2,4},\s+\d{1,2}\s+\w+\s+\d{4}\s+\.\s+"
    r"|\|\s+\.\s+"
    r"|Last updated at\s+\d{1,2}:\d{2}\s+[AP]M\s+on\s+\d{1,2}\w{0,2}\s+\w+\s+\d{4}\s+\.\s+"
    r")"
)
# Wire datelines: "WASHINGTON (CNN) -- ", "(Reuters) - ", "LONDON (AP) — ".
_DATELINE = re.compile(
    r"^(?:[A-Z][\w.,' ]{0,40}?\s*)?\((?:CNN|AP|AFP|Reuters|UPI|dpa)\)\s*(?:--|—|–|-|:)\s*"
)
# A stray " . " is a line break lost in scraping: never a sentence end before a lower-case
# word, nor after a function word ("... of new . HIV infections each year").
_LOST_BREAK = re.compile(r"\s+\.\s+(?=[a-z])")
_LOST_BREAK_AFTER = re.compile(r"\b(\w+)\s+\.\s+(?=[A-Z])")

_BOILERPLATE = re.compile(
    r"click here|leave a (?:reply|comment)|please enter your|\bsign up (?:for|to) (?:our|the)\b"
    r"|\bsubscribe (?:to|now|today)\b|follow (?:us|me) on|follow \w+ on (?:twitter|facebook|x\b)"
    r"|share (?:this|on)\b|read more\b|read also\b|all rights reserved|copyright ©|© \d{4}"
    r"|(?:we|site|website) uses? cookies|scroll down|watch the video|download (?:our|the) app"
    r"|terms of (?:use|service)|privacy policy|e-?mail us\b|contact us\b|comments? below"
    r"|related articles?|https?://|www\.",
    re.IGNORECASE,
)
_CAPTION_PAREN = re.compile(
    r"\((?:pictured|picture|photo|file photo|above|below|left|right|centre|center|top|bottom|inset"
    r"|second (?:left|right)|far (?:left|right)|[\w ]{0,20} from (?:left|right))\)",
    re.IGNORECASE,
)
# "Up for the battle: Sheffield United's Michael Doyle challenges..." - a photo caption's label.
_LABEL = re.compile(r"^([A-Z][\w'’-]*(?:\s+[\w'’-]+){0,3}):\s+(?=[A-Z])")
_SPEECH = re.compile(r"(?:said|says|added|wrote|told|read|reads|asked|explained|admitted|ruled"
                     r"|concluded|stated|insisted|warned|declared|tweeted|posted|continued)$")
# "Would you pay more tax for a bridge?" - the listener cannot answer.
_READER_QUESTION = re.compile(r"^[^\"“«]*\b(?:you|your|vous|votre|du|sie|usted|você)\b", re.I)
_CLOSERS = "\"'”’»)"
_BYLINE = re.compile(r"^(?:By|Von|Par|Por)\s+[A-Z]")
_DANGLING_EN = re.compile(
    r"^(?:he|she|it|they|his|her|its|their|them|this|these|those|that|such|but|however|also|and"
    r"|so|yet|still|then|meanwhile|moreover|furthermore|instead|there|i|we|my|our)\b",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    """The text without by-line blocks, wire datelines and lost line breaks."""
    text = text.replace("\u00a0", " ")
    while True:
        m = _BYLINE_BLOCK.match(text)
        if not m:
            break
        text = text[m.end():]
    text = _DATELINE.sub("", text.lstrip())
    text = _LOST_BREAK.sub(" ", text)
    stop = stopwords("en")
    return _LOST_BREAK_AFTER.sub(
        lambda m: m.group(1) + " " if m.group(1).lower() in stop else m.group(0), text
    )


def _is_junk(sentence: str) -> bool:
    """Whether a sentence cannot stand alone in a spoken summary at all."""
    words = sentence.split()
    if len(words) < MIN_WORDS or not any(c.islower() for c in sentence):
        return True
    if _BOILERPLATE.search(sentence) or _CAPTION_PAREN.search(sentence):
        return True
    if _BYLINE.match(sentence) and len(words) <= 10:
        return True
    if _READER_QUESTION.search(sentence) and sentence.rstrip(_CLOSERS).endswith("?"):
        return True
    label = _LABEL.match(sentence)
    if label and not _SPEECH.search(label.group(1)):
        return True
    # A line without closing punctuation is a heading or a list item, not a sentence.
    return not re.search(r"[.!?…:;\"'”’»)]$", sentence)


# --- terms: stop words out, light suffix stripping so "vehicles" meets "vehicle" ----------------

_TOKEN = re.compile(r"[^\W_]+")
_SUFFIXES = {
    "en": ("ies", "ing", "ed", "es", "s", "ly"),
    "de": ("ungen", "ung", "en", "er", "es", "e", "n", "s"),
    "fr": ("ement", "ements", "es", "s", "x", "e"),
    "es": ("mente", "ciones", "ción", "es", "s", "a", "o"),
    "pt": ("mente", "ções", "ção", "es", "s", "a", "o"),
}
_MIN_STEM = 3  # shorter stems conflate unrelated words ("us"/"use")


def _stem(word: str, lang: str) -> str:
    for suffix in _SUFFIXES.get(lang, _SUFFIXES["en"]):
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _terms(text: str, lang: str) -> Counter[str]:
    stop = stopwords(lang)
    return Counter(
        _stem(w, lang) for w in _TOKEN.findall(text.lower()) if w not in stop and len(w) > 1
    )


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def unit_vector(v: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(x * x for x in v.values()))
    return {t: x / norm for t, x in v.items()} if norm else {}




# --- ranking and selection -----------------------------------------------------------------------

_DANGLING = {
    "en": _DANGLING_EN,
    "de": re.compile(r"^(?:er|sie|es|dies\w*|dabei|aber|jedoch|auch|dann|damit|deshalb)\b", re.I),
    "fr": re.compile(r"^(?:il|elle|ils|elles|cela|ce|ces|mais|cependant|aussi|alors|donc)\b", re.I),
    "es": re.compile(r"^(?:él|ella|ellos|ellas|esto|esta|este|pero|sin embargo|también)\b", re.I),
    "pt": re.compile(r"^(?:ele|ela|eles|elas|isso|isto|esta|este|mas|porém|também)\b", re.I),
}
_QUOTES = "\"'“‘«"


def _prepare(text: str, lang: str) -> list[_Sentence]:
    """The article's sentences that can stand alone, in order."""
    raw = split_sentences(_clean(text), lang)
    kept = [s for s in raw if not _is_junk(s)]
    if not kept:  # a very short text: better its own words than nothing
        kept = [s for s in raw if not _BOILERPLATE.search(s) and any(c.isalpha() for c in s)]
    dangling = _DANGLING.get(lang, _DANGLING_EN)
    return [
        _Sentence(
            text=s,
            index=i,
            words=len(s.split()),
            terms=_terms(s, lang),
            dangling=i > 0 and bool(dangling.match(s.lstrip(_QUOTES))),
            question=s.rstrip(_CLOSERS).endswith("?") and s[0] not in _QUOTES,
        )
        for i, s in enumerate(kept)
    ]


def rank(text: str, lang: str, title: str) -> Ranked:
    """Score an article's sentences: position, centrality, headline overlap, penalties."""
    sentences = _prepare(text, lang)
    n = len(sentences)
    df: Counter[str] = Counter()
    for s in sentences:
        df.update(s.terms.keys())
    idf = {t: math.log(1.0 + n / d) for t, d in df.items()}
    vectors = [
        unit_vector({t: (1.0 + math.log(tf)) * idf[t] for t, tf in s.terms.items()})
        for s in sentences
    ]
    centroid: dict[str, float] = {}
    for v in vectors:
        for t, x in v.items():
            centroid[t] = centroid.get(t, 0.0) + x
    # Cosine to the rest of the article, so that a sentence does not vote for itself.
    central = [cosine(v, unit_vector({t: x - v.get(t, 0.0) for t, x in centroid.items()}))
               for v in vectors]
    graph = _textrank(sentences)
    title_vec = unit_vector({t: idf.get(t, math.log(1.0 + n)) for t in _terms(title, lang)})
    overlap = [cosine(v, title_vec) for v in vectors]
    top_c, top_g, top_t = (max(x, default=0.0) or 1.0 for x in (central, graph, overlap))
    scores = []
    for s, c, g, o in zip(sentences, central, graph, overlap, strict=True):
        topical = GRAPH_WEIGHT * g / top_g + CENTROID_WEIGHT * c / top_c + TITLE_WEIGHT * o / top_t
        lead = POSITION_WEIGHT * math.exp(-s.index / POSITION_DECAY)
        # The lead multiplies topicality rather than adding to it: an early sentence that
        # shares nothing with the story (a by-line remnant, an aside) stays low.
        score = topical * (1.0 + lead) * min(1.0, s.words / SHORT_SENTENCE)
        if s.question:
            score *= QUESTION_PENALTY
        scores.append(score)
    top = max(scores, default=0.0) or 1.0
    return Ranked(sentences, [x / top for x in scores], vectors)


def _textrank(sentences: list[_Sentence]) -> list[float]:
    """PageRank over sentences linked by shared terms, normalised by log length (TextRank)."""
    n = len(sentences)
    if n == 0:
        return []
    terms = [set(s.terms) for s in sentences]
    logs = [math.log(len(t) + 1) for t in terms]
    sim = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if logs[i] + logs[j] > 0:
                sim[i][j] = sim[j][i] = len(terms[i] & terms[j]) / (logs[i] + logs[j])
    out = [sum(row) or 1.0 for row in sim]
    rank = [1.0 / n] * n
    for _ in range(50):
        share = [rank[j] / out[j] for j in range(n)]
        new = [(1 - DAMPING) / n + DAMPING * sum(w * x for w, x in zip(row, share, strict=True))
               for row in sim]
        converged = max(abs(a - b) for a, b in zip(new, rank, strict=True)) < 1e-6
        rank = new
        if converged:
            break
    return rank


def select(
    ranked: Ranked, max_words: int, max_sentences: int = 0, min_relevance: float = MIN_RELEVANCE
) -> list[int]:
    """Greedy maximal marginal relevance within the budget; indices in document order."""
    sentences, relevance, vectors = ranked.sentences, ranked.relevance, ranked.vectors
    share = min(1.0, max_words / max(ranked.words, 1))
    redundancy_weight = REDUNDANCY_WEIGHT * (1.0 - share) ** 2
    redundancy = [0.0] * len(sentences)
    chosen: set[int] = set()
    left = max_words

    def value(i: int) -> float:
        rel = relevance[i]
        if sentences[i].dangling and i - 1 not in chosen:
            rel *= DANGLING_PENALTY
        return rel - redundancy_weight * redundancy[i]

    candidates = [i for i, s in enumerate(sentences) if s.words <= left]
    while candidates:
        best = max(candidates, key=lambda i: (value(i), -i))
        if chosen and value(best) < min_relevance:
            break
        chosen.add(best)
        if len(chosen) == max_sentences:
            break
        left -= sentences[best].words
        candidates = [i for i in candidates if i != best and sentences[i].words <= left]
        for i in candidates:
            redundancy[i] = max(redundancy[i], cosine(vectors[i], vectors[best]))
    return sorted(chosen)
