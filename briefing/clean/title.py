"""Every story has a title: its own, else its first sentence cut short, else its file name."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePath

from briefing.models import Article

TITLE_CHARS = 70  # about a headline's length: a podcast app shows ~60-80 characters of a chapter
# a sentence ends at . ! ? (or the CJK and Devanagari marks) before a space or the end
_SENTENCE_END = re.compile(r"[.!?。！？।؟](?=[\"'”’)\]]*(\s|$))")


def first_sentence(text: str) -> str:
    """The first sentence of `text`, cut at a word boundary (…) when it is long."""
    body = " ".join(text.split())
    end = _SENTENCE_END.search(body)
    sentence = body[: end.start()] if end else body
    if len(sentence) <= TITLE_CHARS:
        return sentence.strip()
    cut = sentence[:TITLE_CHARS].rsplit(" ", 1)[0]
    if len(cut) < TITLE_CHARS // 2:  # no space in sight (Chinese, a long compound): cut anyway
        cut = sentence[:TITLE_CHARS]
    return cut.rstrip(" ,;:–—-") + "…"


def titled(article: Article) -> Article:
    """`article` with a title: its own, its first sentence, or its source's file name."""
    if article.title.strip():
        return article
    title = first_sentence(article.text)
    if not title and article.source not in ("", "-"):
        title = PurePath(article.source).name
    return replace(article, title=title or "Untitled story")
