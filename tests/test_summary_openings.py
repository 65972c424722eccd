"""No summary opens, or goes on after a gap, with a pronoun or connective left hanging.

Checked over the project's own fixture articles (tests/data/articles, written for this) and,
when ../shared is beside the project, over the development articles.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from briefing.summarize import summarize, summarize_articles
from briefing.summarize.rank import prepare

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = sorted([*(ROOT / "tests" / "data" / "articles").glob("*.txt"),
                   *(ROOT / "samples").glob("*.txt")])
DEV = Path(os.environ.get("BRIEFING_SHARED", ROOT.parent / "shared")) / "data" / "summ-dev.jsonl"
BUDGETS = (15, 30, 60, 100, 250)

# Written out here, not imported: the words a listener cannot place without what came before.
HANGING = re.compile(
    r"^[\"“‘'(]*(?:he|she|it|they|his|her|its|their|him|them|this|these|those|that|such|but"
    r"|however|and|also|so|yet|then|meanwhile|moreover|furthermore|instead|nevertheless"
    r"|nonetheless|still,|another|both|besides|therefore|thus|indeed|equally|similarly|likewise"
    r"|\w+ (?:among|of) (?:these|those|them))\b"
    r"(?!\s+(?:year|week|month|morning|afternoon|evening|weekend|season|summer|winter|spring"
    r"|autumn|century|decade)\b)",
    re.IGNORECASE,
)


def hanging(summary: list[str], article: str, readable: list[str] | None = None) -> list[str]:
    """Sentences of `summary` that open it, or follow a gap, with a hanging word.

    A gap is a sentence the summarizer could have read (not a caption, by-line or heading:
    those are never read) left out between two chosen ones.
    """
    readable = readable or [s.text for s in prepare(article, "en")]
    found = []
    previous = -1
    for n, sentence in enumerate(summary):
        at = _locate(sentence, readable, previous + 1)
        if (n == 0 or at < 0 or at != previous + 1) and HANGING.match(sentence):
            found.append(sentence)
        previous = at
    return found


def _locate(sentence: str, readable: list[str], start: int) -> int:
    """Which readable sentence, from `start` on, a summary sentence comes from (a named
    pronoun or a trimmed opener changes its first words, so later stretches are tried too)."""
    probe = 25
    for k in range(0, max(len(sentence) - probe, 1), 5):
        stretch = sentence[k:k + probe].rstrip(".")
        for at in range(start, len(readable)):
            if stretch in readable[at]:
                return at
    return -1


def _check(article: str, title: str = "", both: bool = True) -> list[str]:
    """Hanging sentences in the article's summaries at every budget: as the pipeline asks
    for them (fill) and, with `both`, as summarize() gives them."""
    readable = [s.text for s in prepare(article, "en")]
    problems = []
    for budget in BUDGETS:
        summaries = [summarize_articles([article], budget, [title], fill=True)[0]]
        if both or budget == BUDGETS[0]:
            summaries.append(summarize(article, budget, title=title))
        for summary in summaries:
            problems += [f"{budget}: {s}" for s in hanging(summary, article, readable)]
    return problems


def test_the_checker_catches_what_it_should() -> None:
    won = "Mary Smith won the city race on Sunday."
    trained = "She trained for the race for years."
    rained = "But it rained all through the race."
    article = f"{won} {trained} {rained}"
    assert hanging([trained], article) == [trained]
    assert hanging([won, trained], article) == []
    assert hanging([won, rained], article) == [rained]
    assert hanging([won, trained, rained], article) == []
    assert hanging(["This year the race was very wet."], "This year the race was very wet.") == []


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_fixture_articles(path: Path) -> None:
    assert _check(path.read_text(encoding="utf-8")) == []


def test_there_are_fixture_articles() -> None:
    assert len(ARTICLES) >= 5


@pytest.mark.skipif(not DEV.exists(), reason=f"needs the dev articles at {DEV}")
def test_dev_articles() -> None:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    problems = {}
    for row in rows:
        found = _check(row["article"], row.get("title", ""), both=False)
        if found:
            problems[row["id"]] = found
    assert problems == {}
