"""Glued-word repair: split tokens like "andsophisticated" using wordfreq's word frequencies."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from briefing.clean import wordlists

# A word's cost is -log10 of its unigram probability: 9 - zipf (zipf 7 is "the", 1 is rare).
# A split is accepted only when its parts together cost well below what the token itself costs.
# A token wordfreq has never seen: as unlikely as a zipf-0 word when short, less likely as
# it grows; an unknown 15-letter string is rarely a word, an unknown 6-letter one often a name.
OOV_COST = 7.5
OOV_COST_PER_CHAR = 0.35
PART_PENALTY = 0.35  # each extra word must pay for itself; stops "a" + "rad" + "on" games
MARGIN = 0.4  # a split must beat the unsplit token by this much (tuned on bench/repair.py)
KNOWN_MARGIN = 1.5  # a word wordfreq knows ("thereof") splits only when glue is glaring ("ofthe")
CAP_EXTRA = 1.5  # a capitalized unknown is often a name (Volklec, Xpeng): demand more
MIN_CAP_LEN = 7  # short capitalized unknowns are names far more often than glue: Canas, Thea
NAME_REST_ZIPF = 4.5  # what may follow a name seen in the text: "has", "said", "sales"
SHORT_REST_ZIPF = 5.0  # ... unless a function word is glued to a common one: Itwas, Thepop
REPEAT_EXTRA = 2.5  # the same token seen twice in one text is probably meant that way
MAX_WORD = 24  # longer "words" in wordfreq are junk; keeps the Viterbi loop short
MAX_TOKEN = 40  # longer tokens are URLs, hashes or worse: not ours to split

# Frequency a part must have to count as a plausible word, by length: short strings in
# wordfreq are mostly initials and fragments ("ley", "tia", "ai"), long ones real words.
MIN_ZIPF_BY_LEN = {1: 6.5, 2: 4.6, 3: 3.6, 4: 3.2}
MIN_ZIPF_LONG = 2.5
ONE_LETTER_WORDS = {"en": frozenset("ai")}


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Clitics that may follow an apostrophe in English ("China’s", "don’t", "they’re").
CLITICS = ("s", "t", "re", "ve", "ll", "d", "m")
# Name particles look like lowercase words glued to a name (vanDyke, deGrasse): keep them.
PARTICLES = _words(
    "van von de del della di da du la le mac mc al el bin ibn den der ter ten dos das"
)
# Closed-class words (articles, prepositions, conjunctions, subject pronouns) do not start
# brand names, so "TheEmpire" or "Itwas" is glue even when short or capitalized.
FUNCTION_WORDS = _words(
    "the a an and but or nor of in on at as to for by from with into onto than that when "
    "while after before if he she it we they"
)
HONORIFICS = _words("mr mrs ms dr st sir prof rev")  # MrCameron, StTropez
# Productive prefixes make real words wordfreq lacks: "underdelivering", "hypergrowth".
PREFIXES = _words(
    "un re dis non pre post over under up out down multi hyper super sub inter intra trans "
    "micro macro mega mini geo bio eco electro cyber anti pro co counter semi mid head self "
    "auto tele"
)
SUFFIXES = _words("ness ism ist ists able ible ment ments ship hood")
# Only languages whose words are not routinely compounded are segmented with the Viterbi
# model; German or Dutch "Fahrzeugindustrie" must never become "Fahrzeug industrie".
SEGMENT_LANGUAGES = frozenset({"en"})

_APOSTROPHES = "'’"
_LETTERS = re.compile(r"^[^\W\d_]+$")
_LOWER = re.compile(r"^[^\W\d_A-Z]+$")
_EDGE = re.compile(r"^([\W_]*)(.*?)([\W_]*)$", re.S)


def _frequencies(language: str) -> dict[str, float]:
    return wordlists.frequencies(language)


@lru_cache(maxsize=200_000)
def zipf(word: str, language: str = "en") -> float:
    """Zipf frequency of a lowercase word (0 when unknown); ’ counts as '."""
    freq = _frequencies(language).get(word.replace("’", "'"), 0.0)
    if freq <= 0.0:
        return 0.0
    import math

    return math.log10(freq) + 9.0


@lru_cache(maxsize=200_000)
def _part_cost(part: str, language: str) -> float | None:
    """Cost of a part as a word, or None when it is no plausible word on its own."""
    z = zipf(part, language)
    if len(part) == 1 and part not in ONE_LETTER_WORDS.get(language, frozenset()):
        return None
    if z < MIN_ZIPF_BY_LEN.get(len(part), MIN_ZIPF_LONG):
        return None
    return 9.0 - z


@lru_cache(maxsize=50_000)
def _segment(low: str, language: str) -> tuple[float, tuple[str, ...]]:
    """Cheapest split of a lowercase string into plausible words (Viterbi)."""
    n = len(low)
    inf = float("inf")
    best = [0.0] + [inf] * n
    back = [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(max(0, j - MAX_WORD), j):
            if best[i] == inf:
                continue
            cost = _part_cost(low[i:j], language)
            if cost is None:
                continue
            total = best[i] + cost + PART_PENALTY
            if total < best[j]:
                best[j], back[j] = total, i
    if best[n] == inf:
        return inf, (low,)
    parts: list[str] = []
    j = n
    while j > 0:
        parts.append(low[back[j] : j])
        j = back[j]
    return best[n] - PART_PENALTY, tuple(reversed(parts))


def _own_cost(low: str, language: str) -> float:
    z = zipf(low, language)
    # A clitic adds letters, not unlikeliness: "Bywater's" is as plausible as "Bywater".
    return 9.0 - z if z > 0 else OOV_COST + OOV_COST_PER_CHAR * len(low.split("'")[0])


@dataclass(frozen=True)
class Context:
    """What the rest of the text says about a token: seen as is, or as a name."""

    counts: Counter[str] = field(default_factory=Counter)
    names: frozenset[str] = frozenset()

    @classmethod
    def of(cls, text: str) -> Context:
        cores = [_EDGE.match(tok).group(2) for tok in text.split()]  # type: ignore[union-attr]
        names = frozenset(c for c in cores if c[:1].isupper() and len(c) >= 3)
        return cls(Counter(cores), names)


_EMPTY = Context()


def _split_letters(word: str, language: str, ctx: Context) -> str | None:
    """Split a letters-only word (lowercase or Capitalized) if the model is sure enough."""
    if language not in SEGMENT_LANGUAGES or len(word) < 3 or len(word) > MAX_TOKEN:
        return None
    if not (_LOWER.match(word[1:]) and word[:1].isalpha()):
        return None
    if word[0].isupper() and len(word) < MIN_CAP_LEN:
        return _short_capitalized(word, language, ctx)
    return _viterbi_split(word, language, ctx)


def _viterbi_split(word: str, language: str, ctx: Context) -> str | None:
    """The cheapest split of `word` when it beats the word itself by the margins above."""
    low = word.lower().replace("’", "'")
    own = _own_cost(low, language)
    if own < 9.0 - MIN_ZIPF_LONG - 1.5:  # a common word (zipf >= 4) is never glue
        return None
    cost, parts = _segment(low, language)
    if len(parts) < 2:
        return None
    if parts[-1] in SUFFIXES and zipf(parts[-2], language) < 5.5:  # "broke ness"; "was able"
        return None
    if parts[0] in PREFIXES and zipf(parts[1], language) < 6.0:  # "up sample", not "up the"
        return None
    known = own < OOV_COST
    threshold = own - (KNOWN_MARGIN if known else MARGIN)
    # Capitalized unknowns are often names, unless they open with "But", "The", "And"... (not
    # "A" or "By": Adarius, Bywater)
    if word[0].isupper() and not known and (parts[0] not in FUNCTION_WORDS or len(parts[0]) < 3):
        threshold -= CAP_EXTRA
    if ctx.counts[word] >= 2:
        threshold -= REPEAT_EXTRA
    if cost > threshold:
        return None
    out, i = [], 0
    for part in parts:
        out.append(word[i : i + len(part)])
        i += len(part)
    return " ".join(out)


def _short_capitalized(word: str, language: str, ctx: Context) -> str | None:
    """Itwas -> It was, Thepop -> The pop; but Canas, Thea and Aseem stay names."""
    low = word.lower()
    if zipf(low, language) >= 2.0 or ctx.counts[word] >= 2:
        return None
    for i in range(2, len(low) - 1):
        head, rest = low[:i], low[i:]
        if head not in FUNCTION_WORDS or head == "an" or len(rest) < 2:
            continue
        if _part_cost(rest, language) is not None and zipf(rest, language) >= SHORT_REST_ZIPF:
            return f"{word[:i]} {word[i:]}"
    return None


def _good_words(s: str, language: str, ctx: Context) -> str | None:
    """s itself if it is a plausible word, or its split into words, else None."""
    if _part_cost(s.lower(), language) is not None:
        return s
    return _split_letters(s, language, ctx)


def _name_prefix(word: str, language: str, ctx: Context) -> str | None:
    """Split "Xpenghas" when "Xpeng" stands alone elsewhere in the text."""
    if zipf(word.lower(), language) >= 2.0:  # "There" is no "The" + "re"
        return None
    for i in range(len(word) - 2, 2, -1):
        head, rest = word[:i], word[i:]
        # The head is a name, not a word ("The"); the rest starts with a common word, so
        # "Cleggmania" stays whole while "Xpenghas" splits.
        if head not in ctx.names or zipf(head.lower(), language) >= 4.0 or not _LOWER.match(rest):
            continue
        tail = _good_words(rest, language, ctx)
        if tail is not None and zipf(tail.split()[0], language) >= NAME_REST_ZIPF:
            return f"{head} {tail}"
    return None


def _camel(core: str, language: str, ctx: Context) -> str | None:
    """Split at case changes that mark glue, not at ones that make a name (DeepSeek)."""
    if zipf(core.lower(), language) >= 2.5:  # "YouTube", "iPhone", "QAnon" are known words
        return None
    m = re.match(r"^([^\W\d_A-Z]+)([A-Z][^\W\d_]*)$", core)
    if m:  # brandAudi, theUK; never iPhone, eBay, vanDyke
        left, right = m.groups()
        if left in PARTICLES or (len(left) == 1 and left not in ONE_LETTER_WORDS.get(language, "")):
            return None
        acronym = re.match(r"^[A-Z]+(?![^\W\d_])", right)
        if len(right) == 1 or (acronym and len(acronym.group(0)) < 3):
            ok = zipf(left, language) >= 5.5  # "theUK" but not "macOS", "watchOS"
            head = left if ok else None
        else:
            head = _good_words(left, language, ctx)
        if head is None:
            return None
        return f"{head} {_repair_core(right, language, ctx)}"
    m = re.match(r"^([A-Z][^\W\d_A-Z]+)([A-Z][^\W\d_A-Z]+)(.*)$", core)
    if m:  # ToyotaMotor when "Toyota" stands alone elsewhere; never DeepSeek alone
        left, right, more = m.groups()
        evidence = (left in ctx.names or right in ctx.names) and ctx.counts[core] < 2
        grammar = left.lower() in FUNCTION_WORDS | HONORIFICS and ctx.counts[core] < 2
        if grammar or (evidence and (right in ctx.names or zipf(right.lower(), language) >= 3.0)):
            return f"{left} {_repair_core(right + more, language, ctx)}"
        return None
    if language not in SEGMENT_LANGUAGES:
        return None
    m = re.match(r"^([A-Z]{2,})([^\W\d_A-Z]{3,})$", core)
    if m:  # NEVsector, but not NEVs or CEOs
        caps, rest = m.groups()
        tail = _good_words(rest, language, ctx)
        if tail is not None:
            return f"{caps} {tail}"
        if rest.startswith("s"):  # AAAstitle -> AAAs title
            tail = _good_words(rest[1:], language, ctx)
            if tail is not None:
                return f"{caps}s {tail}"
    return None


def _dotted(core: str, language: str, ctx: Context) -> str | None:
    """Pony.aihas -> Pony.ai has: a domain-like name with a word glued after it."""
    head, _, last = core.rpartition(".")
    if language not in SEGMENT_LANGUAGES or not _LOWER.match(last) or zipf(last, language):
        return None
    if not re.match(r"^[^\W_]{2,}(\.[^\W_]+)*$", head):
        return None
    for i in range(2, min(4, len(last) - 2) + 1):
        rest = last[i:]
        if zipf(rest, language) >= 4.5 and len(rest) >= 2:
            return f"{head}.{last[:i]} {rest}"
    return None


def _apostrophe(core: str, language: str, ctx: Context) -> str | None:
    """China’sauto -> China’s auto; Icouldn’t -> I couldn’t; Taylor’sThe -> Taylor’s The."""
    m = re.match(r"^([^\W\d_]+)([" + _APOSTROPHES + r"])([^\W\d_]+)$", core)
    if language not in SEGMENT_LANGUAGES or not m or zipf(core.lower(), language) >= 2.0:
        return None
    head, mark, tail = m.groups()
    if tail in CLITICS:  # the clitic stays with its word: "couldn't" is one word in wordfreq
        if not _LOWER.match(head[1:]) or ctx.counts[core] >= 2:
            return None
        return _viterbi_split(core, language, ctx)
    for clitic in CLITICS:
        rest = tail[len(clitic) :]
        if not tail.startswith(clitic) or not rest:
            continue
        if rest[0].isupper():  # Chelsea’sFernando
            return f"{head}{mark}{clitic} {_repair_core(rest, language, ctx)}"
        if rest == "a" and clitic == "s":  # There’sa
            return f"{head}{mark}s a"
        words = _good_words(rest, language, ctx) if len(rest) >= 2 else None
        if words is not None:
            return f"{head}{mark}{clitic} {words}"
    return None


def _repair_core(core: str, language: str, ctx: Context) -> str:
    """A token without its surrounding punctuation, split where it was glued."""
    if not core or len(core) > MAX_TOKEN or any(c in core for c in "@/\\_:=&?#%+"):
        return core
    if "-" in core:  # azero-sum: each piece on its own, hyphens kept
        pieces = core.split("-")
        return "-".join(_repair_core(p, language, ctx) for p in pieces)
    if any(c.isdigit() for c in core):
        return core
    if "." in core:
        return _dotted(core, language, ctx) or core
    if any(c in core for c in _APOSTROPHES):
        return _apostrophe(core, language, ctx) or core
    if not _LETTERS.match(core):
        return core
    if any(c.isupper() for c in core[1:]):
        return _camel(core, language, ctx) or core
    if core[0].isupper() and ctx.counts[core] < 2:
        named = _name_prefix(core, language, ctx)
        if named:
            return named
    return _split_letters(core, language, ctx) or core


def split_glued(token: str, language: str = "en", context: Context | None = None) -> str:
    """Split one whitespace-free token where words were glued ("andsophisticated").

    Surrounding punctuation is kept; a token that looks right is returned unchanged.
    Pass a Context built from the whole text to use what the text says elsewhere.
    """
    m = _EDGE.match(token)
    if m is None or any(c in token for c in "@#/\\") or "www." in token:
        return token
    lead, core, trail = m.groups()
    if not core:
        return token
    return f"{lead}{_repair_core(core, language, context or _EMPTY)}{trail}"


def split_glued_text(text: str, language: str = "en") -> str:
    """Every token of a text through split_glued, with the text itself as context."""
    lang = language.lower().split("-")[0]
    if not _frequencies(lang):
        return text
    ctx = Context.of(text)

    def fix(m: re.Match[str]) -> str:
        return split_glued(m.group(0), lang, ctx)

    return re.sub(r"\S+", fix, text)


def warm(languages: Iterable[str] = ("en",)) -> None:
    """Load the word lists now rather than on the first article."""
    for lang in languages:
        _frequencies(lang)
