"""Rule-based sentence splitting for news text in en, de, fr, es and pt, no data downloads."""

from __future__ import annotations

import re

from briefing.summarize.stopwords import stopwords

# Terminal punctuation, then closing quotes or brackets, then whitespace: a candidate boundary.
# A dot glued to the next word ("Pony.ai", "$1.13bn", "U.S.-based") is never one. Chinese and
# Japanese full stops need no space after them; Devanagari, Arabic, Urdu, Armenian, Ethiopic
# and Burmese have their own sentence ends.
_SCRIPT_ENDS = "。！？｡।॥؟۔։።။"
_CANDIDATE = re.compile(
    rf"(\.{{3}}|…|[.!?]+|[{_SCRIPT_ENDS}]+)([\"'”’»)\]」』）〕】〉》]*)(\s*)"
)
_QUOTE_PARTICLES = "とっ"  # Japanese quotative particles
_LOOKAHEAD = 64  # characters after a mark that decide whether it ends a sentence
_WORD = re.compile(r"[^\W\d_]+")
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_OPENERS = "\"'“‘«([¿¡—–-"
_LINE_END = re.compile(r"[.!?…:;\"'”’»)\]]$")
_DOTTED = re.compile(r"^(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}$")  # U.S, e.g, a.m, EE.UU, z.B

# Abbreviations that never end a sentence: titles before a name, "vs.", "No. 3"...
_NEVER_END = {
    "en": {
        "mr", "mrs", "ms", "mssrs", "messrs", "dr", "prof", "sen", "rep", "gov", "gen", "col",
        "lt", "sgt", "capt", "cmdr", "adm", "maj", "cpl", "pvt", "supt", "insp", "det", "rev",
        "hon", "pres", "mt", "ft", "vs", "v", "fig", "figs", "approx", "cf", "ca", "vol",
    },
    "de": {
        "hr", "hrn", "fr", "dr", "prof", "bzw", "ca", "vgl", "nr", "str", "abs", "art", "bd",
        "sog", "evtl", "ggf", "inkl", "zzgl", "mio", "mrd", "tsd", "geb", "gest", "st", "z",
    },
    "fr": {"m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "mgr", "st", "ste", "cf",
           "env", "av", "bd", "vol", "chap", "p"},
    "es": {"sr", "sres", "sra", "sras", "srta", "dr", "dra", "drs", "lic", "ing", "arq", "prof",
           "d", "dña", "ud", "uds", "vd", "vds", "av", "avda", "núm", "pág", "aprox", "cf"},
    "pt": {"sr", "srs", "sra", "sras", "srta", "dr", "dra", "drs", "prof", "profa", "eng", "av",
           "pág", "núm", "aprox", "cf", "d"},
}
# English titles turn up in every language's news ("Mr. Trump", "Dr. Fauci").
_TITLES_EVERYWHERE = {"mr", "mrs", "ms", "dr", "prof", "vs", "st"}
# Words that take a number after them: "No. 3", "Nr. 5", "p. 12".
_BEFORE_NUMBER = {"no", "nos", "nr", "n", "nº", "núm", "art", "p", "pp", "vol", "ch", "sec",
                  "tel", "fig", "op", "ed", "ver", "pag", "pág"}
# Months take a day after them: "Dec. 2", "Sept. 30" (but "in Dec. 2,000 jobs" is rare).
_MONTHS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
# Abbreviations that may end a sentence: split only if a common sentence opener follows.
_MAYBE_END = {
    "inc", "ltd", "co", "corp", "plc", "llc", "bros", "jr", "sr", "st", "etc", "ave", "blvd",
    "rd", "dept", "est", "univ", "assn", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "usw", "ua",
    "cie", "ltda", "cia", "sa", "al", "ff",
}


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Split text into sentences.

    Paragraph breaks always end a sentence; so does a line break in text that is not
    hard-wrapped (a line on its own is a heading or a sentence). Inside a block, a full
    stop ends a sentence unless it closes an abbreviation, a title before a name, an
    initial, or a German ordinal ("am 3. Oktober"), or the next word is lower case.
    """
    lang = language.lower()[:2]
    out: list[str] = []
    for block in _blocks(text):
        out.extend(_split_block(block, lang))
    return out


def _blocks(text: str) -> list[str]:
    """Paragraphs, and the lines of paragraphs whose line breaks carry meaning."""
    blocks: list[str] = []
    for para in _PARAGRAPH.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [ln.strip() for ln in para.split("\n") if ln.strip()]
        if not lines:
            continue
        if _hard_wrapped(lines):
            blocks.append(" ".join(lines))
            continue
        # Not wrapped: a line break ends a sentence, except when the next line plainly
        # continues the previous one (it starts in lower case after no punctuation).
        current = lines[0]
        for line in lines[1:]:
            if not _LINE_END.search(current) and line[0].islower():
                current += " " + line
            else:
                blocks.append(current)
                current = line
        blocks.append(current)
    return blocks


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether lines were wrapped at a fixed width (e-mail, plain-text newsletters)."""
    if len(lines) < 3:
        return False
    widths = [len(ln) for ln in lines[:-1]]
    # Wrapped text fills every line but the last to about the same width (60-80 columns
    # in practice); lines of real paragraphs or sentences vary far more than 20 columns.
    return max(widths) <= 100 and max(widths) - min(widths) <= 20 and min(widths) >= 40


def _split_block(block: str, lang: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for m in _CANDIDATE.finditer(block):
        if m.end() >= len(block):
            break
        if not m.group(3) and m.group(1)[0] not in _SCRIPT_ENDS:
            continue  # a dot glued to the next word: "Pony.ai", "$1.13bn", "U.S.-based"
        if _is_boundary(block, start, m, lang):
            piece = block[start:m.end(2)].strip()
            if piece:
                sentences.append(piece)
            start = m.end()
    piece = block[start:].strip()
    if piece:
        sentences.append(piece)
    return sentences


def _is_boundary(block: str, start: int, m: re.Match[str], lang: str) -> bool:
    """Whether the punctuation matched by `m` in `block` ends a sentence begun at `start`.

    Looks only at the word before and the text just after, so that splitting stays linear
    in the length of the block (a 5 MB paragraph is an input the size caps admit).
    """
    mark = m.group(1)
    if mark[0] in _SCRIPT_ENDS:
        # No abbreviations end in these marks; only Japanese quoted speech runs on after one:
        # 「行こう。」と彼は言った。
        return not (m.group(2) and block[m.end():m.end() + 1] in _QUOTE_PARTICLES)
    nxt = block[m.end():m.end() + _LOOKAHEAD].lstrip(_OPENERS)
    if not nxt:
        return True
    first = nxt[0]
    if first.islower():
        return False  # "Yahoo! said", "p.m. on Tuesday", "... and then"
    if mark != ".":
        return True
    space = max(block.rfind(" ", start, m.start()), block.rfind("\n", start, m.start()))
    prev = block[max(space + 1, start):m.start()].lstrip(_OPENERS)
    key = prev.lower()
    if first.isdigit():
        return key not in _BEFORE_NUMBER and key not in _MONTHS
    if not prev:
        return True
    if key in _NEVER_END.get(lang, _NEVER_END["en"]) or key in _TITLES_EVERYWHERE:
        return False
    if len(prev) == 1 and prev.isupper():
        return False  # an initial: "J. K. Rowling", "George W. Bush"
    if lang == "de" and prev.isdigit() and len(prev) <= 2:
        return False  # German ordinals: "am 3. Oktober", "der 2. Weltkrieg"
    if _DOTTED.match(prev) or key in _MAYBE_END:
        return _opens_sentence(nxt, lang)
    return True


def _opens_sentence(nxt: str, lang: str) -> bool:
    """Whether the next word is a common sentence opener ("The", "He", "But", "Der")."""
    word = _WORD.match(nxt)
    return word is not None and word.group(0).lower() in stopwords(lang)


_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
CJK_CHARS_PER_WORD = 2  # Chinese words average under two characters; Japanese kana runs longer


def word_count(text: str) -> int:
    """Words in text; in Chinese and Japanese, which leave no spaces, two characters a word."""
    cjk = len(_CJK_CHAR.findall(text))
    return len(text.split()) + (cjk + CJK_CHARS_PER_WORD - 1) // CJK_CHARS_PER_WORD
