"""An article's candidate sentences and their relevance: junk out, lead-heavy scores."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from briefing.clean.boilerplate import drop_wire_header, has_junk_phrase, is_junk_sentence
from briefing.summarize.cohesion import Leaning, Resolution, leaning, resolve
from briefing.summarize.entities import article_names
from briefing.summarize.sentences import split_sentences, word_count
from briefing.summarize.stopwords import stopwords

# Ranking. News is written as an inverted pyramid, and the dev sets this was tuned on
# (../shared/data/summ-dev.jsonl) over-reward topicality: a richer ranking won there and lost
# to the plain lead on unseen sets. So position leads and topicality only breaks near-ties:
# a sentence's score is its position prior times (1 + TOPIC_WEIGHT x its centrality).
# How fast the position prior fades, in sentences: the 12th sentence keeps ~1/e of it
# (chosen on the tune halves: 8 fell below lead at 60 words on BBC, 16 leans on topicality).
POSITION_DECAY = 12.0
# Centrality (cosine to the rest of the article) can lift a sentence by up to this factor:
# enough to prefer a fact-dense 4th sentence over an aside in 3rd place, not enough to
# reach deep into the story. bench/summarize.py shows every budget against lead.
TOPIC_WEIGHT = 1.0
# Overlap with the headline, when there is one, counts like centrality at this weight.
TITLE_WEIGHT = 0.5
# Sentences under this many words score proportionally less: they carry few facts.
SHORT_SENTENCE = 10
# A question informs nobody ("What went wrong?"); one put to the listener ("Would you pay
# that?") is dropped outright.
QUESTION_PENALTY = 0.5
# Fragments shorter than this are headings, by-lines or captions, not sentences.
MIN_WORDS = 5
# Bounded work for any input the size caps admit (5 MB): only the start of a text is read
# for its summary, and only the first MAX_CANDIDATES sentences are ranked. A spoken summary
# of a few hundred words never reaches that deep into an inverted pyramid, and choosing
# compares every candidate with every sentence chosen.
MAX_CHARS = 100_000  # ~16,000 words, a long read; sentences beyond are never candidates
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class Sentence:
    """One candidate sentence with what ranking and selection need to know about it."""

    text: str
    index: int  # position among the article's kept sentences
    words: int
    terms: Counter[str]
    question: bool
    leaning: Leaning
    resolution: Resolution | None  # how to say it alone when it opens with a pronoun


@dataclass(frozen=True)
class Ranked:
    """An article's candidate sentences, their relevance and their unit TF-IDF vectors."""

    sentences: list[Sentence]
    relevance: list[float]  # best sentence = 1.0
    vectors: list[dict[str, float]]
    lang: str

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sentences)


# A stray " . " is a line break lost in scraping: never a sentence end before a lower-case
# word, nor after a function word ("... of new . HIV infections each year").
_LOST_BREAK = re.compile(r"\s+\.\s+(?=[a-z])")
_LOST_BREAK_AFTER = re.compile(r"\b(\w+)\s+\.\s+(?=[A-Z])")
# "Would you pay more tax for a bridge?" - the listener cannot answer.
_READER_QUESTION = re.compile(r"^[^\"“«]*\b(?:you|your|vous|votre|du|sie|usted|você)\b", re.I)
_CLOSERS = "\"'”’»)"
_QUOTES = "\"'“‘«"
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’»)。！？｡।॥؟۔։።။」』）]$")


def _repair(text: str) -> str:
    """The start of the text, without wire headers and with lost line breaks mended."""
    text = text.replace("\u00a0", " ")
    if len(text) > MAX_CHARS:
        cut = text.rfind("\n", 0, MAX_CHARS)
        text = text[: cut if cut > MAX_CHARS // 2 else MAX_CHARS]
    text = drop_wire_header(text)
    text = _LOST_BREAK.sub(" ", text)
    stop = stopwords("en")
    return _LOST_BREAK_AFTER.sub(
        lambda m: m.group(1) + " " if m.group(1).lower() in stop else m.group(0), text
    )


def _is_junk(sentence: str) -> bool:
    """Whether a sentence cannot stand alone in a spoken summary at all."""
    # All capitals is a heading or a label (caseless scripts pass: CJK letters are not upper).
    if word_count(sentence) < MIN_WORDS or not any(c.isalpha() and not c.isupper()
                                                   for c in sentence):
        return True
    if is_junk_sentence(sentence):
        return True
    if _READER_QUESTION.search(sentence) and sentence.rstrip(_CLOSERS).endswith("?"):
        return True
    # A line without closing punctuation is a heading or a list item, not a sentence.
    return not _SENTENCE_END.search(sentence)


# --- terms: stop words out, light suffix stripping so "vehicles" meets "vehicle" ----------------

_TOKEN = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
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
    out: Counter[str] = Counter()
    for w in _TOKEN.findall(text.lower()):
        if _CJK.search(w):  # no spaces between words: character pairs stand in for words
            out.update(w[i:i + 2] for i in range(max(len(w) - 1, 1)))
        elif w not in stop and len(w) > 1:
            out[_stem(w, lang)] += 1
    return out


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def unit_vector(v: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(x * x for x in v.values()))
    return {t: x / norm for t, x in v.items()} if norm else {}


# --- candidates and their scores -------------------------------------------------------------


def prepare(text: str, lang: str) -> list[Sentence]:
    """The article's first MAX_CANDIDATES sentences that can stand alone, in order."""
    raw = split_sentences(_repair(text), lang)
    kept = [s for s in raw if not _is_junk(s)]
    if not kept:  # a very short text: better its own words than nothing
        kept = [s for s in raw if not has_junk_phrase(s) and any(c.isalpha() for c in s)]
    kept = kept[:MAX_CANDIDATES]
    names = article_names(kept)
    out = []
    for i, s in enumerate(kept):
        lean = leaning(s, lang)
        out.append(Sentence(
            text=s,
            index=i,
            words=len(s.split()),
            terms=_terms(s, lang),
            question=s.rstrip(_CLOSERS).endswith(("?", "？", "؟")) and s[0] not in _QUOTES,
            leaning=lean,
            resolution=resolve(s, lean.pronoun, kept[:i], lang, names) if lean.pronoun else None,
        ))
    return out


def rank_sentences(text: str, lang: str, title: str) -> Ranked:
    """Score an article's sentences: a position prior, lifted a little by topicality."""
    sentences = prepare(text, lang)
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
    # Cosine to the rest of the article (the centroid without the sentence itself, so that it
    # does not vote for itself): with unit v and sum C, (v.C - 1) / |C - v|, where
    # |C - v|^2 = |C|^2 - 2 v.C + 1. Linear in the article, not in articles x vocabulary.
    norm2 = sum(x * x for x in centroid.values())
    central = []
    for v in vectors:
        dot = cosine(v, centroid) if v else 0.0
        rest = math.sqrt(max(norm2 - 2 * dot + 1, 0.0)) if v else 0.0
        central.append((dot - 1) / rest if rest > 1e-9 else 0.0)
    title_vec = unit_vector({t: idf.get(t, math.log(1.0 + n)) for t in _terms(title, lang)})
    overlap = [cosine(v, title_vec) for v in vectors]
    top_c, top_t = (max(x, default=0.0) or 1.0 for x in (central, overlap))
    scores = []
    for s, c, o in zip(sentences, central, overlap, strict=True):
        topical = c / top_c + TITLE_WEIGHT * o / top_t
        score = math.exp(-s.index / POSITION_DECAY) * (1.0 + TOPIC_WEIGHT * topical)
        score *= min(1.0, s.words / SHORT_SENTENCE)
        if s.question:
            score *= QUESTION_PENALTY
        scores.append(score)
    top = max(scores, default=0.0) or 1.0
    return Ranked(sentences, [x / top for x in scores], vectors, lang)
