"""What a sentence leans on: opening pronouns and connectives, quotes and their speakers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.summarize.entities import Entity, Names, entities, gender

_QUOTES_OPEN = "\"“‘«„"
_QUOTES_CLOSE = "\"”’»“"
_LEADING = "\"“‘«„(['¿¡—–- "

# Sentence openers that point back at something said before. The lists are the closed-class
# words of each language (pronouns, demonstratives, discourse connectives), not tuned values.
_CONNECTIVES = {
    "en": r"but|however|also|and|or|nor|so|yet|then|meanwhile|moreover|furthermore|instead"
          r"|nevertheless|nonetheless|therefore|thus|hence|besides|otherwise|indeed|likewise"
          r"|similarly|consequently|additionally|still(?=,)|in addition|as a result"
          r"|on the other hand|by contrast|in contrast|even so|at the same time|for example"
          r"|for instance|in fact|that said|in response|in turn|the latter|the former|another"
          r"|equally|further(?=,)|notably(?=,)|in particular|specifically|what's more|above all"
          r"|for (?:its|his|her|their) part|whatever the \w+"
          r"|both|neither|(?:despite|after|because of|before|besides|following|like|unlike|in"
          r"|at|by|with|for|of|from|since|until|during) (?:this|that|these|those|it|them|him"
          r"|her)\b|(?:\w+ ){1,2}(?:among|of) (?:these|those|them)\b",  # "Foremost among these"
    "de": r"aber|jedoch|auch|dann|damit|deshalb|daher|dabei|trotzdem|dennoch|außerdem|zudem"
          r"|und|oder|doch|allerdings|stattdessen|darüber hinaus",
    "fr": r"mais|cependant|aussi|alors|donc|pourtant|toutefois|néanmoins|en outre|de plus"
          r"|par ailleurs|et|ou|ainsi|enfin",
    "es": r"pero|sin embargo|también|además|por eso|así|entonces|y|o|no obstante|aun así",
    "pt": r"mas|porém|também|além disso|no entanto|contudo|então|e|ou|assim|todavia",
}
# Pronouns that need an antecedent; "this year" and "this week" do not.
_PRONOUNS = {
    # "he" covers "he's" and "he'd": the apostrophe ends the word
    "en": r"he|she|it|they|his|her|its|their|him|them|this|these|those|that|such",
    "de": r"er|sie|es|dies|diese|dieser|dieses|diesen|diesem|sein|seine|seiner|seinen|seinem"
          r"|ihr|ihre|ihrer|ihren|ihrem",
    "fr": r"il|elle|ils|elles|cela|ceci|ces|son|sa|ses|leur|leurs|celui-ci|celle-ci",
    "es": r"él|ella|ellos|ellas|esto|eso|esta|este|estos|estas|su|sus",
    "pt": r"ele|ela|eles|elas|isso|isto|esta|este|estes|estas|seu|sua|seus|suas",
}
_TIME_NOUNS = (r"year|week|month|morning|afternoon|evening|night|weekend|season|summer|winter"
               r"|spring|autumn|fall|century|decade|jahr|woche|monat|année|semaine|mois|año"
               r"|semana|mes|ano|mês")
# A short scene-setting phrase before the subject: "On Tuesday, he said", "Yesterday he ...",
# "In its monthly bulletin, it flagged ...": a time word, or a phrase led by a preposition.
_SCENE = (r"(?:on|in|at|for|after|before|during|despite|since|by|with|from|under|over|last"
          r"|earlier|later|speaking|asked|am|im|nach|vor|seit|le|en|après|avant|el|en|tras"
          r"|no|na|após)\b[^,\"“”«»]{0,45},\s+")
_LEAD_IN = (r"(?:(?:yesterday|today|tonight|later|earlier|now|gestern|heute|hier|aujourd'hui"
            rf"|ayer|hoy|ontem|hoje),?\s+|{_SCENE})?")
# Before a pronoun, any short opening phrase will do: "Whatever the truth, he might ...".
_PHRASE_THEN_PRONOUN = re.compile(
    r"^(?:[^\s,\"“”«»]+\s){0,5}[^\s,\"“”«»]+,\s+(he|she|it|they|his|her|its|their)\b",
    re.IGNORECASE,
)
# A connective set off by commas after the subject points back just the same: "The company,
# however, said ...", "Today, however, the dynamic has shifted".
_INNER_CONNECTIVE = re.compile(
    r"^[^,.;:\"“”«»]{1,60},\s+(?:however|meanwhile|instead|therefore|nevertheless|nonetheless"
    r"|though|too|in turn|in contrast|by contrast|as a result|in addition|moreover|furthermore"
    r"|for example|for instance|in fact|also)\s*,",
    re.IGNORECASE,
)
# A possessive inside that phrase points back as well: "In its monthly bulletin, ...".
_POSSESSIVE_LEAD_IN = re.compile(
    r"^(?:on|in|at|for|after|before|during|despite|since|by|with|from|under|over)\s"
    r"(?:[^,\"“”«»]{0,30}?\s)?(its|his|her|their)\b[^,\"“”«»]{0,40},\s",
    re.IGNORECASE,
)
_ATTRIBUTION_PRONOUN = re.compile(
    r"[,.!?…][\"”’»]\s+(?:(he|she|they)\s+(?:said|says|added|told|asked|wrote|explained"
    r"|continued|insisted|warned)|(?:said|says|added|asked|wrote)\s+(he|she|they))\b",
    re.IGNORECASE,
)
_SPEECH_VERB = re.compile(r"\b(?:said|says|say|added|adds|told|tells|asked|asks|wrote|writes"
                          r"|according to|explained|insisted|warned|declared|announced"
                          r"|sagte|sagt|erklärte|a déclaré|a dit|dijo|afirmó|disse|afirmou)\b",
                          re.IGNORECASE)


def _opener(lang: str) -> re.Pattern[str]:
    words = f"{_CONNECTIVES.get(lang, _CONNECTIVES['en'])}|{_PRONOUNS.get(lang, _PRONOUNS['en'])}"
    return re.compile(rf"^{_LEAD_IN}((?:{words}))\b(?!\s+(?:{_TIME_NOUNS})\b)", re.IGNORECASE)


_OPENERS = {lang: _opener(lang) for lang in _CONNECTIVES}
_CONNECTIVE_ONLY = {lang: re.compile(rf"^(?:{words})\b", re.I) for lang, words in
                    _CONNECTIVES.items()}


@dataclass(frozen=True)
class Leaning:
    """How a sentence depends on its neighbours."""

    needs_prev: bool = False  # a connective or bare quote: only after the sentence before
    needs_next: bool = False  # a quotation that closes (and finds its speaker) in the next one
    pronoun: tuple[int, int] | None = None  # span of an unresolved pronoun, resolvable


def leaning(sentence: str, lang: str) -> Leaning:
    """Whether `sentence`, heard on its own, points at something said before or after it."""
    body = sentence.lstrip(_LEADING)
    quote = _quotation(sentence)
    opens_quote = sentence[:1] in _QUOTES_OPEN or bool(_OPEN_SINGLE.match(sentence))
    needs_next = quote == "opens"  # '"We will win.' ... 'We always do," he said.'
    needs_prev = quote == "closes" or (
        quote == "whole" and not _SPEECH_VERB.search(_outside_quotes(sentence))
    )  # the end of a quotation, or a bare one: its speaker is named before
    if _CONNECTIVE_ONLY.get(lang, _CONNECTIVE_ONLY["en"]).match(body) or (
        lang == "en" and _INNER_CONNECTIVE.match(body)
    ):
        return Leaning(needs_prev=True, needs_next=needs_next)
    m = _OPENERS.get(lang, _OPENERS["en"]).match(body)
    if m and opens_quote:  # a pronoun inside an opening quotation: not ours to resolve
        return Leaning(needs_prev=True, needs_next=needs_next)
    span = None
    if m:
        if _CONNECTIVE_ONLY.get(lang, _CONNECTIVE_ONLY["en"]).match(m.group(1)):
            return Leaning(needs_prev=True, needs_next=needs_next)
        offset = len(sentence) - len(body)
        span = (offset + m.start(1), offset + m.end(1))
    elif lang == "en" and not opens_quote and (
        p := _POSSESSIVE_LEAD_IN.match(sentence) or _PHRASE_THEN_PRONOUN.match(sentence)
    ):
        span = (p.start(1), p.end(1))
    elif a := _ATTRIBUTION_PRONOUN.search(sentence):
        group = 1 if a.group(1) else 2
        span = (a.start(group), a.end(group))
    return Leaning(needs_prev=needs_prev, needs_next=needs_next, pronoun=span)


# British papers quote with single marks, which double as apostrophes: a single mark opens a
# quotation at the start of a sentence or after a space, and closes one after punctuation.
_OPEN_SINGLE = re.compile(r"^['‘](?=[^\W\d_])")
_SINGLE_OPENS = re.compile(r"(?:^|\s)['‘](?=[^\W\d_])")
_SINGLE_CLOSES = re.compile(r"[.!?,…]['’](?=\s|$)")


def _quotation(sentence: str) -> str:
    """"opens" (a quotation that goes on into the next sentence), "closes" (one that began
    before), "whole" (the sentence is one quotation), or "" (none, or one inside)."""
    s = sentence.rstrip()
    doubles = sum(s.count(q) for q in "\"“”«»„")
    first_double = s[:1] in _QUOTES_OPEN and s[:1] not in "'‘"
    if doubles % 2 == 1:  # the unpaired mark opens or closes, by what stands before it
        at = max(s.rfind(q) for q in "\"“”«»„")
        return "opens" if at == 0 or s[at - 1].isspace() or s[at - 1] in ":(" else "closes"
    if first_double:
        return "whole" if s.rstrip(".").endswith(tuple(_QUOTES_CLOSE)) else ""
    opens, closes = _SINGLE_OPENS.findall(s), _SINGLE_CLOSES.findall(s)
    if _OPEN_SINGLE.match(s):
        if not closes:
            return "opens"
        return "whole" if s.endswith(("'", "’")) and len(closes) == 1 else ""
    if closes and not opens:
        return "closes"
    return ""


def _outside_quotes(sentence: str) -> str:
    return re.sub(r"[\"“«„][^\"”»“]*[\"”»“]", " ", sentence)


@dataclass(frozen=True)
class Resolution:
    """An opening pronoun and the named entity that replaces it when read on its own."""

    start: int
    end: int
    entity: Entity
    possessive: bool


_PERSON = {"he", "she", "his", "her", "him"}
_POSSESSIVE = {"his", "her", "its"}
# Mostly the dummy subject ("It is thought...", "It was the first time..."): never an entity.
_EXPLETIVE_IT = re.compile(
    r"^it(?:'s|\s+(?:is|was|has|had|will|would|seems|seemed|appears|appeared|remains|remained"
    r"|took|takes|came|comes|may|might|could|can|should|must|emerged|emerges|happened"
    r"|follows|followed|turned out|began|started|means|meant|did|does|is not|was not))\b",
    re.IGNORECASE,
)
WINDOW = 3  # sentences back to look for an antecedent: further back is rarely the referent


def resolve(sentence: str, span: tuple[int, int], before: list[str], lang: str, names: Names
            ) -> Resolution | None:
    """The entity an opening pronoun refers to, when that is unambiguous, else None.

    The antecedent is the nearest preceding named person (he, she, his, her) or organisation
    (it, its) within WINDOW sentences; two candidates of that kind in that sentence make it
    ambiguous. English only: elsewhere a pronoun is left to its context.
    """
    if lang != "en":
        return None
    word = sentence[span[0]:span[1]].lower()
    if word in _PERSON:
        kind = "person"
    elif word in {"it", "its"} and not _EXPLETIVE_IT.match(sentence[span[0]:]):
        kind = "org"
    else:
        return None
    wanted = {"he": "m", "his": "m", "him": "m", "she": "f", "her": "f"}.get(word, "")
    for previous in reversed(before[-WINDOW:]):
        found = {e.key: e for e in entities(previous, names) if e.kind == kind}
        # Someone named "he" or "she" elsewhere in the article is not the other.
        fits = [e for e in found.values() if not wanted or gender(e, names) in ("", wanted)]
        if len(fits) > 1:
            return None
        if fits:
            return Resolution(span[0], span[1], fits[0], word in _POSSESSIVE)
    return None


def apply(sentence: str, r: Resolution, said: str) -> str:
    """The sentence with its pronoun replaced: the short name when `said` already has the full."""
    name = r.entity.short if r.entity.full in said else r.entity.full
    if r.possessive:
        name += "'" if name.endswith("s") else "'s"
    if not sentence[:r.start].strip(_LEADING):  # it opens the sentence: "The council ..."
        name = name[:1].upper() + name[1:]
    return sentence[:r.start] + name + sentence[r.end:]
