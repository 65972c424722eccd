"""Extractive news summaries: rank an article's sentences and keep the best within a word budget."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from briefing.sentences import split_sentences
from briefing.stopwords import stopwords

# --- ranking weights, tuned on ../shared/data/summ-dev.jsonl (bench/summarize.py) -------------
# News puts the point first: the lead is the strongest single signal on CNN/DailyMail.
POSITION_WEIGHT = 1.0
# How fast the lead bias fades, in sentences: by the 6th sentence it is worth ~1/e.
POSITION_DECAY = 5.0
# Centrality (cosine to the rest of the article) finds the sentences the story is about.
CENTRALITY_WEIGHT = 1.0
# Overlap with the headline, when there is one.
TITLE_WEIGHT = 0.5
# MMR trade-off: how much a sentence loses for repeating what is already selected.
REDUNDANCY_WEIGHT = 0.5
# A sentence that leans on the one before ("He said...", "But...") reads badly alone.
DANGLING_PENALTY = 0.7
QUESTION_PENALTY = 0.5
# Fragments shorter than this are headings, by-lines or captions, not sentences.
MIN_WORDS = 4


@dataclass(frozen=True)
class _Sentence:
    """One candidate sentence with what the ranking needs to know about it."""

    text: str
    index: int  # position among the article's kept sentences
    words: int
    terms: Counter[str]
    dangling: bool
    question: bool


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
_DATELINE = re.compile(r"^(?:[A-Z][\w.,' ]{0,40}?\s*)?\((?:CNN|AP|AFP|Reuters|UPI|dpa)\)\s*(?:--|—|–|-|:)\s*")
# A stray " . " before a lower-case word is a lost line break inside a sentence.
_LOST_BREAK = re.compile(r"\s+\.\s+(?=[a-z])")

_BOILERPLATE = re.compile(
    r"click here|leave a (?:reply|comment)|please enter|sign up|subscribe|follow (?:us|me|him|her)"
    r"|share (?:this|on)|read more|read also|all rights reserved|copyright|cookies?\b|newsletter"
    r"|scroll down|watch the video|download the app|terms of (?:use|service)|privacy policy"
    r"|advertisement|e-?mail us|contact us|comments? below|related articles?|https?://|www\.",
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
_BYLINE = re.compile(r"^(?:By|Von|Par|Por)\s+[A-Z]")
_DANGLING_EN = re.compile(
    r"^(?:he|she|it|they|his|her|its|their|them|this|these|those|that|such|but|however|also|and"
    r"|so|yet|still|then|meanwhile|moreover|furthermore|instead|there)\b",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ")
    while True:
        m = _BYLINE_BLOCK.match(text)
        if not m:
            break
        text = text[m.end():]
    text = _DATELINE.sub("", text.lstrip())
    return _LOST_BREAK.sub(" ", text)


def _is_junk(sentence: str) -> bool:
    """Whether a sentence cannot stand alone in a spoken summary at all."""
    words = sentence.split()
    if len(words) < MIN_WORDS or not any(c.islower() for c in sentence):
        return True
    if _BOILERPLATE.search(sentence) or _CAPTION_PAREN.search(sentence):
        return True
    if _BYLINE.match(sentence) and len(words) <= 10:
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
_MIN_STEM = 3  # shorter stems conflate unrelated words ("us"/"use", "new"/"news" survive)


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


Vector = dict[str, float]


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())  # vectors are unit length


def _unit(v: Vector) -> Vector:
    norm = math.sqrt(sum(x * x for x in v.values()))
    return {t: x / norm for t, x in v.items()} if norm else {}


# --- public API ----------------------------------------------------------------------------------

_DANGLING = {
    "en": _DANGLING_EN,
    "de": re.compile(r"^(?:er|sie|es|dies\w*|dabei|aber|jedoch|auch|dann|damit|deshalb)\b", re.I),
    "fr": re.compile(r"^(?:il|elle|ils|elles|cela|ce|ces|mais|cependant|aussi|alors|donc)\b", re.I),
    "es": re.compile(r"^(?:él|ella|ellos|ellas|esto|esta|este|pero|sin embargo|también)\b", re.I),
    "pt": re.compile(r"^(?:ele|ela|eles|elas|isso|isto|esta|este|mas|porém|também)\b", re.I),
}


def summarize(text: str, max_words: int, language: str = "en", title: str = "") -> list[str]:
    """Pick an article's key sentences within a word budget.

    Returns whole sentences of `text`, in document order, at most `max_words` words in all
    (a sentence that does not fit is dropped, never cut). Sentences are ranked by lead
    position, centrality (TF-IDF cosine to the rest of the article) and overlap with
    `title`, then picked greedily with maximal marginal relevance so that the summary does
    not repeat itself. By-lines, photo captions, boilerplate ("Click here", comment forms)
    and headings are never picked; questions and sentences that lean on the one before
    ("He said...") only when they earn it.
    """
    lang = language.lower()[:2]
    sentences = _prepare(text, lang)
    if not sentences or max_words <= 0:
        return []
    scores, vectors = _score(sentences, _terms(title, lang))
    chosen = _select(sentences, scores, vectors, max_words)
    return [sentences[i].text for i in chosen]


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
            dangling=bool(dangling.match(s.lstrip("\"'“‘«"))),
            question=s.rstrip("\"'”’»)").endswith("?") and s[0] not in "\"'“‘«",
        )
        for i, s in enumerate(kept)
    ]


def _score(sentences: list[_Sentence], title: Counter[str]) -> tuple[list[float], list[Vector]]:
    """Each sentence's relevance in [0, ~2.5] and its unit TF-IDF vector."""
    n = len(sentences)
    df: Counter[str] = Counter()
    for s in sentences:
        df.update(s.terms.keys())
    idf = {t: math.log(1.0 + n / d) for t, d in df.items()}
    vectors = [
        _unit({t: (1.0 + math.log(tf)) * idf[t] for t, tf in s.terms.items()}) for s in sentences
    ]
    centroid: Vector = {}
    for v in vectors:
        for t, x in v.items():
            centroid[t] = centroid.get(t, 0.0) + x
    centrality = []
    for v in vectors:
        rest = _unit({t: x - v.get(t, 0.0) for t, x in centroid.items()})
        centrality.append(_cosine(v, rest))
    title_vec = _unit({t: idf.get(t, math.log(1.0 + n)) for t in title})
    overlap = [_cosine(v, title_vec) for v in vectors] if title_vec else [0.0] * n
    top_c = max(centrality) or 1.0
    top_t = max(overlap) or 1.0
    scores = []
    for s, c, o in zip(sentences, centrality, overlap, strict=True):
        score = (
            POSITION_WEIGHT * math.exp(-s.index / POSITION_DECAY)
            + CENTRALITY_WEIGHT * c / top_c
            + TITLE_WEIGHT * o / top_t
        )
        if s.question:
            score *= QUESTION_PENALTY
        scores.append(score)
    return scores, vectors


def _select(
    sentences: list[_Sentence], scores: list[float], vectors: list[Vector], max_words: int
) -> list[int]:
    """Greedy maximal marginal relevance within the budget; indices in document order."""
    top = max(scores) or 1.0
    relevance = [s / top for s in scores]
    redundancy = [0.0] * len(sentences)
    chosen: set[int] = set()
    left = max_words
    candidates = [i for i, s in enumerate(sentences) if s.words <= left]
    while candidates:
        def value(i: int) -> float:
            rel = relevance[i]
            if sentences[i].dangling and i - 1 not in chosen:
                rel *= DANGLING_PENALTY
            return rel - REDUNDANCY_WEIGHT * redundancy[i]

        best = max(candidates, key=lambda i: (value(i), -i))
        chosen.add(best)
        left -= sentences[best].words
        candidates = [i for i in candidates if i != best and sentences[i].words <= left]
        for i in candidates:
            redundancy[i] = max(redundancy[i], _cosine(vectors[i], vectors[best]))
    return sorted(chosen)
