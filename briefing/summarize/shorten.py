"""A sentence cut to fit a budget at a clause boundary, the way an editor trims a lead."""

from __future__ import annotations

import re

# Where a clause (or, failing that, a phrase) ends: before a comma, dash, semicolon or colon,
# before a subordinating word, and, as a last resort, before a preposition. The prefix kept
# must still be a sentence: long enough, with a verb, and not inside brackets or quotes.
_CLAUSE_WORDS = {
    "en": r"which|who|whom|whose|where|while|whilst|when|as|after|before|because|since|although"
          r"|though|but|and|or|so|with|including|according|saying|adding|amid|despite"
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
# English verbs that make a prefix a clause: auxiliaries, reporting verbs and common irregular
# past forms; any other past form ends in -ed.
_VERB_LIST = """
is are was were be been being has have had will would can could may might must shall should
did does do said says say told tells made makes took takes gave gives won wins lost loses hit
hits left leaves came comes went goes got gets found finds became becomes began begins brought
built bought caught chose cut drew drove fell felt fought flew grew heard held kept knew led
let meant met paid put ran rose saw sent set shot shut sat sold spent spoke stood struck
taught thought threw understood wore wrote sought fled faces faced warns warned plans wants
needs calls claims shows reveals announces launches opens rises falls remains seeks urges vows
denies admits agrees refuses rejects backs approves starts ends joins dies dead killed sees
"""
_VERBS = frozenset(_VERB_LIST.split())


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
    best: str | None = None
    for variant in _variants(sentence, lang):
        short = variant if len(variant.split()) <= max_words else _prefix(variant, max_words, lang)
        if short and (best is None or len(short.split()) > len(best.split())):
            best = short
    return best


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


# What a sub-editor cuts first, in order: "(£600m)"; ", chairman of MIT's Media Labs," before
# the verb; "On Tuesday, " before the subject.
_VERB_AHEAD = r"(?=(?:\w+ly\s+)?(?:has|have|had|is|are|was|were|will|would|says|said|\w+ed)\b)"
_DELETIONS = [
    (re.compile(r"\s*\([^()]{1,80}\)"), ""),
    (re.compile(rf"(?<=\w),\s+(?:who|which)\s+[^,\"“”]{{1,80}},\s+{_VERB_AHEAD}"), " "),
    (re.compile(rf"(?<=[A-Za-z]),\s+[^,\"“”]{{1,80}},\s+{_VERB_AHEAD}"), " "),
    (re.compile(r"^(?:On|In|At|By|After|Before|During|Since|Last|Earlier|Later|Speaking)\s"
                r"[^,\"“”]{1,40},\s+(?=\S)"), ""),
]
# ", police said." / ", said the minister." / ", according to officials.": who says so.
_ATTRIBUTION = re.compile(
    r",\s+(?:(?:[^,]{1,40}\s)?(?:said|says|added|told \w+|reported|announced)(?:\s[^,]{1,40})?"
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
    tail = [w.strip(".,;:'’\"“”").lower() for w in prefix.split()[1:]]
    if not tail or tail[-1] in _DANGLING_ENDS or tail[-1].endswith("ing"):
        return False
    # The main clause (before any "that", "who", "whose"...) and the last clause both need
    # a verb: "The Oscar-nominated actor, whose films include ..." is no sentence.
    opens = [k for k, w in enumerate(tail) if w in _NEEDS_VERB]
    main, last = tail[: opens[0]] if opens else tail, tail[opens[-1] + 1:] if opens else tail
    return _has_verb(main) and _has_verb(last)


def _has_verb(words: list[str]) -> bool:
    """A known verb, or a past form in -ed ("Oscar-nominated" is an adjective)."""
    return any(w in _VERBS or (w.endswith("ed") and len(w) > 4 and "-" not in w) for w in words)


# Words that open a clause: what follows them must have its own verb ("said that the theatre").
_NEEDS_VERB = {"that", "which", "who", "whom", "whose", "whether", "because", "although",
               "though", "while", "whilst", "where", "when", "whenever", "if", "unless",
               "whereas", "as"}
# A prefix that ends on one of these is left hanging: "... said the", "... one of".
_DANGLING_ENDS = {"the", "a", "an", "of", "to", "and", "or", "but", "his", "her", "its",
                  "their", "our", "my", "your", "this", "that", "these", "those", "is", "are",
                  "was", "were", "be", "been", "has", "have", "had", "not", "no", "very", "mr",
                  "mrs", "ms", "dr", "in", "on", "at", "for", "from", "by", "with", "as",
                  "into", "under", "over", "than", "expected", "set", "due", "likely", "able",
                  "just", "only", "about", "nearly", "almost", "around", "some", "more", "less",
                  "least", "most", "such", "so", "who", "which", "whose", "where", "when"}
