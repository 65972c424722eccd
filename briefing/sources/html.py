"""HTML page -> Article: trafilatura's precise extraction, checked against readability's.

Two independent extractors rarely make the same mistake. trafilatura (precision mode)
is the base; readability-style scoring replaces it when it found much more of the same
text (trafilatura stopped at an ad block), and trailing lines readability does not
have (related links, author blurbs, consent forms) are dropped. bench/extract.py
measures each step.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from briefing.errors import EmptyArticleError

# readability wins when it holds this many times trafilatura's words and nearly all of them:
# trafilatura stopped early (measured 1.5..2.0 equal on extract-dev; 1.2 swaps in boilerplate).
READABILITY_MORE = 1.5
READABILITY_CONTAINS = 0.9
# A trailing line whose words are mostly missing from readability's text is page furniture.
TRAIL_AGREEMENT = 0.7  # 0.5 keeps author blurbs; 0.7..0.9 measured equal on extract-dev
AGREE_MIN = 0.5  # below this share in common the two extractors saw different pages: no trim

_TOKEN = re.compile(r"\w+", re.UNICODE)
_ESCAPED_MARKUP = re.compile(r"<(?:p|div|br|a|span|!--)[\s>/]", re.I)
# (no "<" inside a tag: each try stops where the next could start)
_LANG = re.compile(r"""<html[^<>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)""",
                   re.I)  # fmt: skip
_META_LANG = re.compile(
    r"""<meta[^<>]+(?:http-equiv\s*=\s*["']content-language["'][^<>]*content|property\s*=\s*"""
    r"""["']og:locale["'][^<>]*content)\s*=\s*["']([A-Za-z]{2,3})""",
    re.I,
)
UNESCAPE_ROUNDS = 3  # feeds escape their HTML twice at most (reddit); more is not a page
# htmldate's extensive date search runs its patterns over the whole page (~1.3 s a MB); a
# page this big keeps its date in its metadata, which the plain search reads.
EXTENSIVE_DATE_MAX_CHARS = 1_000_000
_TAG = re.compile(r"<[^<>]*>")
_SPACES = re.compile(r"\s+")
_ENTITY = re.compile(r"&#?\w{1,32};")


@dataclass(frozen=True)
class Extracted:
    """Main text and metadata of one page; "" where unknown."""

    text: str
    title: str = ""
    author: str = ""
    site_name: str = ""
    date: str = ""
    language: str = ""  # as the page declares it (<html lang>, og:locale), not detected


def extract_html(html: str, *, url: str = "") -> Extracted:
    """Main text of `html` with title, author, site name, date and declared language."""
    import trafilatura
    from trafilatura.settings import set_date_params

    doc = trafilatura.bare_extraction(
        html,
        url=url or None,
        favor_precision=True,  # measured: +0.013 mean F1 over defaults on extract-dev
        include_comments=False,  # readers' comments are not the story
        with_metadata=True,
        date_extraction_params=set_date_params(len(html) <= EXTENSIVE_DATE_MAX_CHARS),
    )
    text = (getattr(doc, "text", "") or "") if doc is not None else ""
    title = _clean(getattr(doc, "title", "") if doc is not None else "")
    other = _readability_text(html)
    if other:
        text = _combine(text, other)
    text = _drop_title_line(text, title)
    return Extracted(
        text=text,
        title=title,
        author=_clean(getattr(doc, "author", "") if doc is not None else ""),
        site_name=_clean(getattr(doc, "sitename", "") if doc is not None else ""),
        date=_clean(getattr(doc, "date", "") if doc is not None else ""),
        language=_declared_language(html),
    )


def _combine(base: str, other: str) -> str:
    base_tokens, other_tokens = _bag(base), _bag(other)
    n_base, n_other = sum(base_tokens.values()), sum(other_tokens.values())
    common = sum((base_tokens & other_tokens).values())
    if n_other > n_base * READABILITY_MORE and common >= READABILITY_CONTAINS * n_base:
        return other
    if not n_base or common < AGREE_MIN * n_base:
        return base
    lines = [line for line in base.split("\n") if line.strip()]
    while lines and not _agrees(lines[-1], other_tokens):
        lines.pop()
    return "\n".join(lines)


def _agrees(line: str, reference: Counter[str]) -> bool:
    words = _TOKEN.findall(line)
    return not words or sum(1 for w in words if w in reference) / len(words) >= TRAIL_AGREEMENT


def _bag(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text))


def _readability_text(html: str) -> str:
    """readability-lxml's article, as text with one paragraph a line ("" if it finds none)."""
    try:
        import lxml.html
        from readability import Document
        from readability.readability import Unparseable
    except ImportError:  # readability-lxml is optional: trafilatura alone still works
        return ""
    try:
        summary = Document(html).summary(html_partial=True)
        if not summary.strip():
            return ""
        root = lxml.html.fromstring(summary)
    except (Unparseable, ValueError, lxml.etree.ParserError):
        return ""
    return _blocks_to_text(root)


def html_to_text(fragment: str, rounds: int = UNESCAPE_ROUNDS) -> str:
    """Text of an HTML fragment (a feed item's content), one block a line, no scripts or figures."""
    import lxml.html

    if not fragment.strip():
        return ""
    if "<" not in fragment and "&" not in fragment:  # plain text (entities need parsing)
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in root.xpath(".//script|.//style|.//figure|.//figcaption|.//iframe|.//noscript"):
        bad.drop_tree()
    text = _blocks_to_text(root)
    if rounds > 1 and _ESCAPED_MARKUP.search(text) and text != fragment:
        return html_to_text(text, rounds - 1)  # some feeds escape their HTML twice (reddit)
    return text


def _blocks_to_text(root: Any) -> str:
    for block in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr",
                           "blockquote"):  # fmt: skip
        block.tail = "\n" + (block.tail or "")
    lines = (_SPACES.sub(" ", line).strip() for line in str(root.text_content()).split("\n"))
    return "\n".join(line for line in lines if line)


def _drop_title_line(text: str, title: str) -> str:
    """trafilatura repeats the headline as the first line; the title is spoken on its own."""
    if not title:
        return text
    first, _, rest = text.partition("\n")
    if _bag(first) and _bag(first) == _bag(title):
        return rest
    return text


def _declared_language(html: str) -> str:
    head = html[:20000]
    match = _LANG.search(head) or _META_LANG.search(head)
    return match.group(1) if match else ""


def _clean(value: object) -> str:
    return _SPACES.sub(" ", str(value or "")).strip()


def might_hold_prose(html: str) -> bool:
    """Could the page hold a sentence at all? Its text with every tag dropped is read.

    Extraction keeps a subset of that text, so a page failing this would fail the prose
    check after it too, but only after trafilatura and readability had their seconds on it.
    """
    from briefing.sources.prose import has_sentence

    # Tags go without a trace (a tag inside a word leaves it whole), entities become spaces
    # (an &nbsp; between words must not glue them into one).
    return has_sentence(_ENTITY.sub(" ", _TAG.sub("", html)))


def require_article(extracted: Extracted, source: str) -> Extracted:
    """SourceError unless the page gave some text (prose checks come after, on all sources)."""
    if not extracted.text.strip():
        raise EmptyArticleError(
            f"{source}: no article text found in the HTML (a front page, an app shell, or a "
            "page that needs JavaScript?): give the article's own page"
        )
    return extracted
