"""Named people and organisations in English news sentences, by rule: no model, no data."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from briefing.summarize.stopwords import stopwords

_NAME = r"[A-Z][\w'’.-]*[\w.]|[A-Z]"
_SEQUENCE = re.compile(
    rf"(?:\b(?:the|The)\s+)?(?:{_NAME})(?:\s+(?:(?:of|for|and|&|de|van|von|der|al|bin|da|du|la|le)"
    rf"\s+)?(?:{_NAME}))*"
)
_TITLES_M = {"mr", "mr.", "sir", "lord", "king", "prince", "father", "pope", "brother"}
_TITLES_F = {"mrs", "mrs.", "ms", "ms.", "miss", "lady", "dame", "queen", "princess", "sister"}
_TITLES = _TITLES_M | _TITLES_F | {
    "dr", "dr.", "prof", "prof.", "president", "minister", "chancellor", "senator", "sen.",
    "rep.", "gov.", "governor", "judge", "justice", "rev.", "captain", "capt.", "general",
    "gen.", "col.", "sgt.", "officer", "detective", "inspector", "coach", "chairman", "mayor",
    "councillor", "secretary", "premier", "ambassador", "bishop", "archbishop", "cardinal",
    "professor", "manager", "striker", "defender", "midfielder", "goalkeeper",
}
# Words that make a capitalised name an organisation ("Miami-Dade Police Department").
_ORG_WORDS = {
    "inc", "inc.", "corp", "corp.", "corporation", "ltd", "ltd.", "plc", "llc", "co.", "group",
    "company", "bank", "council", "department", "ministry", "party", "police", "university",
    "college", "school", "agency", "commission", "committee", "court", "federation",
    "association", "union", "army", "navy", "airlines", "airways", "motors", "fc", "united",
    "city", "rovers", "athletic", "institute", "foundation", "organisation", "organization",
    "service", "office", "authority", "board", "parliament", "congress", "senate",
    "government", "administration", "club", "league", "society", "trust", "network", "news",
    "times", "post", "press", "studios", "records", "bros", "holdings", "partners", "fund",
    "reserve", "house", "assembly", "cabinet", "hospital", "church", "museum", "cooperative",
    "co-operative", "alliance", "coalition", "institution", "charity", "corps",
}
# Capitals that are not entities of either kind: units, time zones, roles.
_NOT_ORG_ACRONYMS = {"US", "USA", "UK", "GMT", "BST", "EST", "EDT", "PST", "CET", "AM", "PM",
                     "TV", "CEO", "CFO", "MP", "MPS", "OK", "ID", "DNA", "HIV", "AIDS", "GDP",
                     "PR", "AI", "IT", "UN", "EU", "CCTV", "MRI", "PhD", "US$", "NHS"}
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
# What follows a person's name: an age, "who", an appositive role, a reporting verb.
_AGE_OR_ROLE = re.compile(
    r"^(?:,\s+\d{1,3}\b|,\s+who\b|,\s+(?:the|a|an)\s+[a-z]|\s+(?:said|says|told|added))"
)


@dataclass(frozen=True)
class Entity:
    """A named person or organisation as written: full name and the short form for repeats."""

    kind: str  # "person" or "org"
    full: str
    short: str
    gender: str = ""  # "m" or "f" when a title says so ("Mr", "Mrs"), else ""

    @property
    def key(self) -> str:
        return self.short.lower()


@dataclass(frozen=True)
class Names:
    """What the whole article says about capitalised words: which stand alone as surnames."""

    alone: frozenset[str]  # capitalised words used on their own mid-sentence ("Mata said")
    inside: frozenset[str]  # capitalised words seen mid-sentence at all ("met David Cameron")
    people: dict[str, str]  # surname -> full name, for names the article shortens ("Mata")
    genders: dict[str, str]  # entity key -> "m" or "f", from the pronouns that follow it


def article_names(sentences: Iterable[str]) -> Names:
    """Collect which capitalised words the article uses mid-sentence, alone or in names."""
    alone: set[str] = set()
    inside: set[str] = set()
    sentences = list(sentences)
    for sentence in sentences:
        for m in _SEQUENCE.finditer(sentence):
            if m.start() == 0:
                continue
            tokens = _tokens(m.group(0))
            inside.update(tokens)
            if len(tokens) == 1:
                alone.add(tokens[0])
    names = Names(frozenset(alone), frozenset(inside), {}, {})
    for sentence in sentences:
        for e in entities(sentence, names):
            if e.kind == "person" and " " in e.full and not e.gender:
                names.people.setdefault(e.short, e.full)
    # "Tomas Keller retired on Friday. He started as a deckhand": Keller is "he". A sentence
    # naming one person, then one that opens on a pronoun, is a vote; the majority decides.
    votes: dict[str, list[str]] = {}
    for sentence, after in itertools.pairwise(sentences):
        people = {e.key for e in entities(sentence, names) if e.kind == "person"}
        opener = _NEXT_PRONOUN.match(after)
        if len(people) == 1 and opener:
            votes.setdefault(people.pop(), []).append(_PRONOUN_GENDER[opener.group(1).lower()])
    for key, said in votes.items():
        names.genders[key] = max(("m", "f"), key=said.count)
    return names


_NEXT_PRONOUN = re.compile(r"^(?:[^,\"“”'‘]{1,50},\s+)?(he|his|him|she|her)\b", re.IGNORECASE)
_PRONOUN_GENDER = {"he": "m", "his": "m", "him": "m", "she": "f", "her": "f"}


def gender(entity: Entity, names: Names) -> str:
    """ "m", "f" or "" (unknown) for a person, from a title or from the article's pronouns."""
    return entity.gender or names.genders.get(entity.key, "")


def _tokens(sequence: str) -> list[str]:
    """The name's words without "the", a possessive "'s" or a full stop that ends a sentence."""
    words = sequence.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    out = []
    for w in words:
        w = re.sub(r"['’]s$", "", w)
        if w.endswith(".") and len(w) > 2 and w.lower() not in _TITLES | _ORG_WORDS:
            w = w.rstrip(".")
        out.append(w)
    return out


def entities(sentence: str, names: Names) -> list[Entity]:
    """The people and organisations a sentence names, in order."""
    out = []
    stop = stopwords("en")
    for m in _SEQUENCE.finditer(sentence):
        tokens = _tokens(m.group(0))
        the = m.group(0).split()[0].lower() == "the"
        # A sentence's first word is capitalised anyway: it starts a name when the article
        # also writes it capitalised mid-sentence ("David"), or a capitalised word follows it
        # ("Tomas Keller retired"), unless it is a word that starts sentences ("Yesterday").
        if m.start() == 0 and not the and tokens and (
            tokens[0].lower() in _STARTERS
            or (tokens[0] not in names.inside and len(tokens) == 1)
        ):
            tokens = tokens[1:]
        while tokens and tokens[0].lower() in stop and tokens[0].lower() not in _TITLES:
            tokens = tokens[1:]
        if not tokens:
            continue
        entity = _classify(tokens, the, sentence[m.end():m.end() + 16], names)
        if entity:
            out.append(entity)
    return out


# Capitalised at the start of a sentence but not names: "Yesterday David Cameron was seen".
_STARTERS = {
    "yesterday", "today", "tonight", "tomorrow", "earlier", "later", "meanwhile", "former",
    "last", "next", "new", "now", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "british", "american", "french", "german", "veteran", "chief",
    "head", "world", "police", "officials", "critics", "experts", "fans", "labour", "tory",
}


def _classify(tokens: list[str], the: bool, after: str, names: Names) -> Entity | None:
    # "Police Chief John Smith", "Labour leader Keir Starmer": the name after the title.
    titled = [k for k, t in enumerate(tokens[:-1]) if t.lower() in _TITLES and k > 0]
    if titled:
        tokens = tokens[titled[-1]:]
    lowered = [t.lower().rstrip(".") for t in tokens]
    if any(t in _ORG_WORDS or t + "." in _ORG_WORDS for t in lowered) or (
        len(tokens) == 1 and _ACRONYM.match(tokens[0]) and tokens[0] not in _NOT_ORG_ACRONYMS
    ):
        full = " ".join(tokens)
        return Entity("org", ("the " if the else "") + full, ("the " if the else "") + full)
    title = tokens[0].lower()
    if title in _TITLES or title + "." in _TITLES:
        rest = tokens[1:]
        if not rest or len(rest) > 3:
            return None
        gender = "m" if title in _TITLES_M else "f" if title in _TITLES_F else ""
        if len(rest) == 1 or gender:
            short = f"{tokens[0]} {rest[-1]}" if gender else rest[0]
            return Entity("person", " ".join(rest) if not gender else short, short, gender)
        return Entity("person", " ".join(rest), rest[-1], gender)
    if len(tokens) == 1 and tokens[0] in names.people:
        return Entity("person", names.people[tokens[0]], tokens[0])
    if the or not 2 <= len(tokens) <= 3:
        return None
    if tokens[-1] in names.alone or _AGE_OR_ROLE.match(after):
        return Entity("person", " ".join(tokens), tokens[-1])
    return None
