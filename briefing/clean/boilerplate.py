"""Scraped junk out: by-lines (kept as metadata), Daily Mail headers, captions, boilerplate."""

from __future__ import annotations

import re

from briefing.clean.glue import zipf

# --- By-lines -----------------------------------------------------------------------------

_BYLINE = re.compile(r"^\s*by\s+(?!\.)(\S[^\n]{1,119}?)\s*$", re.I)
_BYLINE_SPLIT = re.compile(r"\s*(?:,|\||\s[-–—]\s|\sfor\s)\s*")
MAX_BYLINE_WORDS = 12  # "By Jane Doe and John Roe, The Washington Post Staff" fits; prose not


def parse_byline(text: str) -> tuple[str, str, str]:
    """(author, site, rest) when the text's first line is a by-line, else ("", "", text).

    "By Li Tielin, People’s Daily" -> ("Li Tielin", "People’s Daily", rest).
    """
    head, _, rest = text.lstrip().partition("\n")
    m = _BYLINE.match(head)
    # A by-line is short and names someone: "By the time we arrived, ..." is prose.
    if not m or len(head.split()) > MAX_BYLINE_WORDS or head.rstrip()[-1] in ".!?:;":
        return "", "", text
    who = m.group(1)
    parts = _BYLINE_SPLIT.split(who, maxsplit=1)
    author = parts[0].strip()
    if not author[:1].isupper() or zipf(author.split()[0].lower()) >= 6.0:  # "By The", "By This"
        return "", "", text
    site = parts[1].strip() if len(parts) > 1 else ""
    return author, site, rest.lstrip("\n")


def drop_byline(text: str) -> str:
    """The by-line at the top removed (clean() keeps it as metadata first)."""
    return parse_byline(text)[2]


# Daily Mail pages scraped into one line: "By . Jill Reilly . PUBLISHED: . 08:06 EST, 5
# November 2012 . | . UPDATED: . 09:38 EST, 5 November 2012 . " and variants.
_DM_NAME = r"[A-Z][^.\n]{1,60}?"
_DM_DAY = r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}"  # 3 January 2014, 2nd March 2012
_DM_DATE = rf"\d{{1,2}}:\d{{2}}\s*(?:[AP]M\s*)?(?:[A-Z]{{2,4}})?,?\s*{_DM_DAY}"
_DM_BY = rf"By\s*\.\s*(?P<by>{_DM_NAME})\s*\.\s*(?:(?:and|&)\s+{_DM_NAME}\s*\.\s*)*"
_DM_STAMP = (
    r"(?:\|\s*\.?\s*)?(?:PUBLISHED|UPDATED|Last updated)\s*:?\s*\.?\s*(?:at\s+)?"
    rf"{_DM_DATE}(?:\s+[AP]M)?\s*\.?\s*"
)
_DM_LAST = rf"Last updated at\s+\d{{1,2}}:\d{{2}}\s*[AP]M\s+on\s+{_DM_DAY}\s*\.\s*"
_DM_HEADER = re.compile(rf"^\s*(?:{_DM_BY})?(?:{_DM_STAMP}|{_DM_LAST})*")


def drop_dailymail_header(text: str) -> str:
    """ "By . Associated Press . PUBLISHED: . 14:11 EST, 3 January 2014 . | ..." removed."""
    m = _DM_HEADER.match(text)
    return text[m.end() :] if m and m.end() else text


def dailymail_author(text: str) -> str:
    """The name in a Daily Mail header, or ""."""
    m = _DM_HEADER.match(text)
    return m.group("by").strip() if m and m.group("by") else ""


# --- Boilerplate --------------------------------------------------------------------------

_CREDIT = (
    r"(?:Getty(?: Images)?|AFP|Reuters|AP(?: Photo)?|EPA|PA(?: Wire)?|Shutterstock|Alamy|Xinhua)"
)
# Each matches a whole line (case-insensitive); lines are prose otherwise.
_BOILERPLATE_LINES = [
    r"leave a (?:reply|comment)",
    r"(?:post|add|write|view|show|load|hide) (?:a |all |more )?comments?",
    r"(?:\d+\s+)?comments?(?: \(\d+\))?",
    r"please enter your (?:comment|name|email(?: address)?)(?: here)?!?",
    r"you have entered an incorrect email address!?",
    r"save my name, email, and website in this browser.*",
    r"(?:share|tweet|email|print|pin|whatsapp|reddit|linkedin|facebook|twitter)(?: this)?"
    r"(?: (?:article|story|page|post))?(?: (?:on|via) \w+)?",
    r"share (?:on|via|with) .{1,40}",
    r"(?:advertisement|advertising|sponsored(?: content)?|promoted(?: content)?)",
    r"(?:read|see|show|load) more(?: (?:news|stories|articles))?\W*",
    r"read more ?: .{1,120}",
    r"(?:related|recommended|more from|also read|you may also like|most read)\b.{0,60}",
    r"continue reading.{0,40}",
    r"click here .{1,100}",
    r"scroll down for (?:video|videos)\W*",
    r"(?:sign up|subscribe|register)\b.{0,100}(?:newsletter|inbox|updates|free|today|now)\W*",
    r".{0,60}\bnewsletter\b.{0,60}\b(?:sign up|subscribe)\b.{0,40}",
    r"(?:follow|like|find) us on .{1,80}",
    r"(?:we|this (?:web)?site|our (?:web)?site) uses? cookies.*",
    r".{0,200}\b(?:accept|allow|manage) (?:all )?cookies\b.{0,100}",
    r"cookie (?:policy|settings|preferences)",
    r"(?:photo|image|picture|pictures|photograph|video|caption|credit|source)s?"
    r"(?: credit| courtesy)?\s*:.{0,200}",
    r"\(?(?:photo|image|picture)s? (?:by|courtesy of|credit)\b.{0,120}\)?",
    rf"\(?{_CREDIT}\)?",
    r"image copyright .{0,120}",
    r"image caption .{0,300}",
    r"media playback is (?:unsupported|not supported) on your device",
    r"(?:copyright\s*)?(?:©|\(c\)).{0,120}",
    r"all rights reserved\.?",
    r"(?:skip to (?:main )?content|back to top|top of form|bottom of form|loading\W*)",
]
_BOILERPLATE = re.compile(r"^(?:" + "|".join(_BOILERPLATE_LINES) + r")$", re.I)
# A short line ending in a photo agency's name is a caption: "Li Na in Beijing (Getty Images)".
_CAPTION = re.compile(rf"^.{{0,200}}(?:\(|/|\||-|–)\s*{_CREDIT}(?:/{_CREDIT})*\s*\)?\.?$")
_INLINE_CREDIT = re.compile(
    rf"\s*\((?:photo:?\s*)?(?:[^()]{{0,40}}/)?{_CREDIT}(?:/[^()]{{0,30}})?\)", re.I
)
_INLINE_JUNK = re.compile(r"\s*\bscroll down for videos?\b(?:\s*\.)?(?=\s|$)", re.I)
MAX_CAPTION_WORDS = 40  # captions are a sentence or two; a long paragraph ending so is prose


def _is_boilerplate(line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if _BOILERPLATE.match(s):
        return True
    return len(s.split()) <= MAX_CAPTION_WORDS and bool(_CAPTION.match(s))


def drop_boilerplate(text: str) -> str:
    """Comment forms, share prompts, ads, cookie notices, credits and captions removed."""
    lines = [ln for ln in text.split("\n") if not _is_boilerplate(ln)]
    text = "\n".join(lines)
    text = _INLINE_JUNK.sub("", text)
    return _INLINE_CREDIT.sub("", text)


# --- Sentences that are not the story (what a summary must never read out) -----------------
# The cleaner drops whole junk lines above; these catch the same junk once scraped text has
# been run together into one paragraph (CNN/DailyMail dumps, feeds' descriptions), sentence
# by sentence.

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
_JUNK_PHRASE = re.compile(
    r"click here|leave a (?:reply|comment)|please enter your|\bsign up (?:for|to) (?:our|the)\b"
    r"|\bsubscribe (?:to|now|today)\b|follow (?:us|me) on|follow \w+ on (?:twitter|facebook|x\b)"
    r"|share (?:this|on)\b|read more\b|read also\b|all rights reserved|copyright ©|© \d{4}"
    r"|(?:we|site|website) uses? cookies|scroll down|watch the video|download (?:our|the) app"
    r"|terms of (?:use|service)|privacy policy|e-?mail us\b|contact us\b|comments? below"
    r"|related articles?|https?://|www\.|e-?mail to a friend",
    re.IGNORECASE,
)
# "07:21 EST, 28 December 2012 ." - a time stamp, or a heading in Title Case: in a Latin
# script, a sentence has at least two words that start in lower case.
_LOWER_WORD = re.compile(r"(?:^|\s)[\"'“‘(]?[a-zà-ÿ]")
_LATIN = re.compile(r"[A-Za-z]")
# "(pictured)", "(left)", "(second from right)": a sentence pointing at a photo is its caption.
_CAPTION_PAREN = re.compile(
    r"\((?:pictured|picture|photo|file photo|above|below|left|right|centre|center|top|bottom|inset"
    r"|second (?:left|right)|far (?:left|right)|[\w ]{0,20} from (?:left|right))\)",
    re.IGNORECASE,
)
# "Up for the battle: Sheffield United's Michael Doyle challenges..." - a photo caption's label,
# unless the label is someone speaking ("The minister said: ...").
_LABEL = re.compile(r"^([A-Z][\w'’-]*(?:\s+[\w'’-]+){0,3}):\s+(?=[A-Z])")
_SPEECH = re.compile(r"(?:said|says|added|wrote|told|read|reads|asked|explained|admitted|ruled"
                     r"|concluded|stated|insisted|warned|declared|tweeted|posted|continued)$")
_SENTENCE_BYLINE = re.compile(r"^(?:By|Von|Par|Por)\s+[A-Z]")
MAX_SENTENCE_BYLINE_WORDS = 10  # "By Jane Doe, Reuters." - a longer "By ..." is prose


def drop_wire_header(text: str) -> str:
    """A by-line, Daily Mail by-line blocks and a wire dateline ("LONDON (Reuters) - ") off
    the top."""
    text = drop_byline(text)
    while m := _BYLINE_BLOCK.match(text):
        text = text[m.end():]
    return _DATELINE.sub("", text.lstrip())


def is_junk_sentence(sentence: str) -> bool:
    """Whether a sentence is boilerplate, a photo caption or a by-line rather than the story."""
    if _JUNK_PHRASE.search(sentence) or _CAPTION_PAREN.search(sentence):
        return True
    if _LATIN.search(sentence) and len(_LOWER_WORD.findall(sentence)) < 2:
        return True
    # "Flags outside the bank in Oslo (Reuters/File Photo)": a photo's caption and credit.
    if _INLINE_CREDIT.search(sentence) and not sentence.rstrip().endswith((".", "!", "?")):
        return True
    if _SENTENCE_BYLINE.match(sentence) and len(sentence.split()) <= MAX_SENTENCE_BYLINE_WORDS:
        return True
    label = _LABEL.match(sentence)
    return bool(label and not _SPEECH.search(label.group(1)))


def has_junk_phrase(sentence: str) -> bool:
    """Whether a sentence carries a share/subscribe/cookie/link phrase (kept out even of a
    summary that has nothing better)."""
    return bool(_JUNK_PHRASE.search(sentence))
