"""A sentence cut to fit a budget at a clause boundary, the way an editor trims a lead."""

from __future__ import annotations

import re
from collections.abc import Callable

from briefing.summarize.stopwords import stopwords

# Where a clause (or, failing that, a phrase) ends: before a comma, dash, semicolon or colon,
# before a subordinating word, and, as a last resort, before a preposition. The prefix kept
# must still be a sentence: long enough, with a verb, and not inside brackets or quotes.
_CLAUSE_WORDS = {
    # not "and" or "or" without a comma: "between Britain | and Spain" splits a pair
    "en": r"that|which|who|whom|whose|where|while|whilst|when|as|after|before|because|since"
          r"|although|though|but|so|with|including|according|saying|adding|amid|despite"
          r"|following|until|unless|if|than|whereas|leaving|making|prompting|sending",
    "de": r"weil|während|nachdem|bevor|obwohl|aber|und|oder|sondern|wobei|als|wenn|da|damit"
          r"|dass",
    "fr": r"qui|que|dont|où|alors|après|avant|parce|puisque|bien|mais|et|ou|car|lorsque|quand",
    "es": r"que|quien|donde|mientras|cuando|después|antes|porque|aunque|pero|y|o|tras",
    "pt": r"que|quem|onde|enquanto|quando|depois|antes|porque|embora|mas|e|ou|após",
}
_PHRASE_WORDS = {
    "en": r"in|on|at|for|from|by|over|under|against|between|during|into|near|across|ahead"
          r"|amid|among|around|towards|within|without|to(?=\s+[\d$£€A-Z])",
}
_PUNCT_BREAK = re.compile(r"\s*(?:,|;|:|\s[-–—]{1,2})\s+")
# The prefix kept must read as a sentence: this many words at least (a subject, a verb and
# what the story is about; 4-5 word prefixes are mostly "The man, who ..." fragments).
MIN_WORDS = 6
# English verbs that make a prefix a clause: auxiliaries, common irregular past forms and the
# base forms of verbs news uses most (with their -s forms); any other past form ends in -ed.
_IRREGULAR = """
is are was were be been being am has have had will would can could may might must shall
should did does do made took gave won lost left came went got found became began brought built
bought caught chose drew drove fell felt fought flew grew heard held kept knew led meant met
paid ran rose saw sent shot sat sold spent spoke stood struck taught thought threw understood
wore wrote sought fled told said dead
"""
_BASE = """
say tell make take give win lose hit leave come go get find become begin bring build buy catch
choose cut draw drive fall feel fight fly grow hear hold keep know lead let mean meet pay put
run rise see send set shoot shut sit sell spend speak stand strike teach think throw wear write
seek flee face warn plan want need call claim show reveal announce launch open close remain
urge vow deny admit agree refuse reject back approve start end join die kill hope expect believe
look seem appear help try ask turn work use offer raise fail top rule ban sign vote reach drop
miss beat cost host mark fear threaten attend endure demand compete decide develop continue
suffer survive return receive report release respond represent require allow avoid cause
change charge create deliver describe discover earn enter explain extend force happen improve
increase introduce invest involve limit manage move order own prepare produce promise protect
prove provide publish push reduce remove replace rescue resign save serve share support
suspend travel treat watch include exist live play stay lie
"""
_VERBS = frozenset(
    _IRREGULAR.split()
    + [form for b in _BASE.split()
       for form in (b, b + "s", b + "es", b[:-1] + "ies" if b.endswith("y") else b + "s")]
)
_AUXILIARIES = {"is", "are", "was", "were", "be", "been", "am"}
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these",
                "those", "newly", "well", "highly", "so-called"}


def shorten(sentence: str, max_words: int, lang: str = "en") -> str | None:
    """`sentence` trimmed to at most `max_words` words at clause boundaries, or None.

    First what a sub-editor drops (brackets, an appositive after a name, a scene-setting
    opener), then the longest prefix that ends a clause: "The dollar has hit its highest level
    against the euro in almost three months after the Federal Reserve head said ..." -> "The
    dollar has hit its highest level against the euro in almost three months." A quotation
    is never cut, and an attribution ("..., police said.") is kept with what it attributes.
    """
    if len(sentence.split()) <= max_words:
        return sentence
    if max_words < MIN_WORDS:
        return None
    # The cut that reaches furthest into the sentence wins: "Negroponte says he is developing
    # a laptop that could sell for under $100" over "Negroponte, chairman and founder of MIT's
    # Media Labs, says he is developing a laptop".
    best: tuple[int, int, str] | None = None
    total = len(sentence.split())
    for variant in _variants(sentence, lang):
        words = len(variant.split())
        short = variant if words <= max_words else _prefix(variant, max_words, lang)
        if short:
            kept = len(short.split())
            reach = kept + total - words
            if best is None or (reach, kept) > best[:2]:
                best = (reach, kept, short)
    return best[2] if best else None


def _variants(sentence: str, lang: str) -> list[str]:
    """The sentence, then with more and more of what it can lose removed."""
    out = [sentence]
    if lang != "en":
        return out
    for pattern, repl in _DELETIONS:
        text = pattern.sub(repl, out[-1])
        text = text[:1].upper() + text[1:]
        if text != out[-1]:
            out.append(text)
    return out


def _prefix(sentence: str, max_words: int, lang: str) -> str | None:
    """The longest prefix within `max_words` that ends a clause (attribution kept), or None."""
    body, tail = sentence, ""
    m = _ATTRIBUTION.search(sentence)
    if m:
        body, tail = sentence[:m.start()], sentence[m.start():].rstrip(" .")
    room = max_words - len(tail.split())
    words = _CLAUSE_WORDS.get(lang, "")
    if lang in _PHRASE_WORDS:
        words += "|" + _PHRASE_WORDS[lang]
    for cut in sorted(_cuts(body, words), reverse=True):
        prefix = body[:cut].rstrip(" ,;:-–—")
        n = len(prefix.split())
        if MIN_WORDS <= n <= room and _is_clause(prefix, lang):
            return prefix + tail + "."
    return None


def _appositive(m: re.Match[str]) -> str:
    """", chairman of MIT's Media Labs, " goes; ", appear on the web hours after ..., " opens
    on a verb: the clause of a list's subject ("New episodes of 24, Desperate Housewives and Six
    Feet Under, appear ..."), not an aside about a name; it stays."""
    span = m.group(0)
    first = span.split()[1].lower() if len(span.split()) > 1 else ""
    return span if first in _VERBS else " "


# What a sub-editor cuts first, in order: "(£600m)"; ", chairman of MIT's Media Labs," before
# the verb; "On Tuesday, " before the subject.
_VERB_AHEAD = r"(?=(?:\w+ly\s+)?(?:has|have|had|is|are|was|were|will|would|says|said|\w+ed)\b)"
_DELETIONS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"\s*\([^()]{1,80}\)"), ""),
    (re.compile(rf"(?<=\w),\s+(?:who|which)\s+[^,\"“”]{{1,80}},\s+{_VERB_AHEAD}"), " "),
    (re.compile(rf"(?<=[A-Za-z]),\s+[^,\"“”]{{1,80}},\s+{_VERB_AHEAD}"), _appositive),
    (re.compile(r"^(?:On|In|At|By|After|Before|During|Since|Last|Earlier|Later|Speaking)\s"
                r"[^,\"“”]{1,40},\s+(?=\S)"), ""),
]
# ", police said." / ", said the minister." / ", according to officials.": who says so.
_ATTRIBUTION = re.compile(
    r",\s+(?:(?:[^,]{1,40}\s)?(?:said|says|added|told \w+|reported|announced|shows?|found|finds"
    r"|suggests?|claims?|claimed|warned|warns|insisted|admitted|believes?)(?:\s[^,]{1,40})?"
    r"|according to [^,]{1,60})\s*[.!]?$"
)


def _cuts(sentence: str, words: str) -> set[int]:
    """Offsets where a clause may end, outside quotation marks and brackets."""
    protected = _protected(sentence)
    cuts = {m.start() for m in _PUNCT_BREAK.finditer(sentence)}
    if words:
        cuts |= {m.start() for m in re.finditer(rf"\s(?:{words})\b", sentence)}
    return {c for c in cuts if c > 0 and not protected[c]}


def _protected(sentence: str) -> list[bool]:
    """For each offset, whether it is inside a quotation or brackets (never cut there)."""
    out = []
    depth = 0
    quoted = False
    for ch in sentence:
        if ch in "([{":
            depth += 1
        elif ch in ")]}" and depth:
            depth -= 1
        elif ch in "“«":
            quoted = True
        elif ch in "”»":
            quoted = False
        elif ch == '"':
            quoted = not quoted
        out.append(depth > 0 or quoted)
    out.append(False)
    return out


def _is_clause(prefix: str, lang: str) -> bool:
    """Whether a prefix reads as a sentence: no open bracket or quote at its end and (en) a
    verb after its first word and after its last "that", "which", "who"..., and no hanging
    last word ("... said the", "... living")."""
    if prefix.rstrip()[-1:] in "\"“”'’«»([":
        return False
    if lang != "en":  # no verb list: at least the clause must not end on its linking word
        end = prefix.split()[-1].strip(".,;:").lower()
        return not re.fullmatch(_CLAUSE_WORDS.get(lang, "x^"), end)
    words = [w.strip(".,;:'’\"“”").lower() for w in prefix.split()]
    if len(words) < 2 or words[-1] in _DANGLING_ENDS:
        return False
    # "... citizens living." hangs; "... he is urgently asking." does not.
    if words[-1].endswith("ing") and not _AUXILIARIES & set(words[-3:-1]):
        return False
    # "In a statement recorded for television," and "If we give a moment's thought" are
    # where a sentence starts, not a sentence.
    if words[0] in _PREPOSITIONS or words[0] in _NEEDS_VERB:
        comma = prefix.find(",")
        if comma < 0:
            return False
        words = [words[0], *[w.strip(".,;:'’\"“”").lower() for w in prefix[comma:].split()]]
    # A finite verb, and one for the main clause and each "that", "who", "when"... it opens,
    # the last clause's among them: "The Oscar-nominated actor, whose films include ..." and
    # "... said that the theatre" are no sentences; "A tree that can receive texts has been
    # unveiled" is; "To become law both the European Parliament" is not. What follows "said"
    # needs its verb too: "Google said none of the companies" is no sentence.
    if _reported_without_verb(prefix):
        return False
    opens = [k for k, w in enumerate(words) if w in _NEEDS_VERB]
    last = opens[-1] if opens else 0
    return (_verb_groups(words, 1, infinitives=False) > 0
            and _verb_groups(words, 1, infinitives=True) > len(opens)
            and _verb_groups(words, last + 1, infinitives=True) > 0)


def _reported_without_verb(prefix: str) -> bool:
    """Whether a verb of saying is followed by words with no verb of their own: "Google said
    none of the companies". Not after a quotation or a comma ("...," said the minister), nor
    before "that" (which is checked as a clause of its own)."""
    raw = prefix.split()
    words = [w.strip(".,;:'’\"“”").lower() for w in raw]
    for k, w in enumerate(words[:-1]):
        if w not in _REPORTING or k == 0 or raw[k - 1][-1] in ",\"”'’":
            continue
        if words[k + 1] in _NEEDS_VERB:
            continue
        return _verb_groups(words, k + 1, infinitives=True) == 0
    return False


def _verb_groups(words: list[str], start: int, infinitives: bool) -> int:
    """Runs of verbs from `start` on ("has been unveiled" is one): known forms and past forms
    in -ed; "to" and a verb only with `infinitives`. The first word is the subject's."""
    groups = 0
    before = False
    for k in range(max(start, 1), len(words)):
        w = words[k]
        verb = w in _VERBS or _past(words, k)
        if verb and words[k - 1] == "to":
            verb = infinitives
        groups += verb and not before
        before = verb
    return groups


def _past(words: list[str], k: int) -> bool:
    """A past form in -ed used as a verb: not "Oscar-nominated", not "the revised design" or
    "industrialised nations" (an adjective before its noun)."""
    w = words[k]
    if not w.endswith("ed") or len(w) <= 4 or "-" in w:
        return False
    if k and words[k - 1] in _DETERMINERS:
        return False
    after = words[k + 1] if k + 1 < len(words) else ""
    return not (after.isalpha() and not after.endswith("ly") and after not in stopwords("en"))


# Words that open a clause: what follows them must have its own verb ("said that the theatre").
_NEEDS_VERB = {"that", "which", "who", "whom", "whose", "whether", "because", "although",
               "though", "while", "whilst", "where", "when", "whenever", "if", "unless",
               "whereas", "as"}
# Verbs of saying whose object is a clause: "said none of the companies [which ...] had paid".
_REPORTING = {"said", "says", "believes", "believe", "believed", "thinks", "think", "claims",
              "claimed", "insists", "insisted", "argues", "argued", "admits", "admitted",
              "adds", "added"}
# A prefix that ends on one of these is left hanging: "... said the", "... one of".
_DANGLING_ENDS = {"the", "a", "an", "of", "to", "and", "or", "but", "his", "her", "its",
                  "their", "our", "my", "your", "this", "that", "these", "those", "is", "are",
                  "was", "were", "be", "been", "has", "have", "had", "not", "no", "very", "mr",
                  "mrs", "ms", "dr", "in", "on", "at", "for", "from", "by", "with", "as",
                  "into", "under", "over", "than", "expected", "set", "due", "likely", "able",
                  "just", "only", "about", "nearly", "almost", "around", "some", "more", "less",
                  "least", "most", "such", "so", "who", "which", "whose", "where", "when",
                  # a reporting verb without what was reported: "... David Moorcroft said."
                  "said", "says", "told", "added", "warned", "claimed", "announced", "revealed",
                  "believes", "thinks", "explained", "insisted", "stated", "argued", "known",
                  "found", "finds", "showed", "shows", "suggested", "suggests", "concluded",
                  "noted", "believed", "feared", "reported",
                  # a complement cut off: "... a link to a website based."
                  "based", "aimed", "related", "compared", "similar", "responsible", "part"}
_PREPOSITIONS = {"in", "on", "at", "for", "after", "before", "during", "despite", "since", "by",
                 "with", "from", "under", "over", "to", "amid", "following", "as"}
