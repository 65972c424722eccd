"""Summary quality against human references: ours beside lead and sumy's classics.

Prints a table and asserts nothing.

Run from the repository root:  .venv/bin/python bench/summarize.py [path/to/summ-dev.jsonl]

Each system gets a budget equal to the reference's word count and its output is cut at that
many words; ROUGE-1/2/L F1 (rouge-score, stemmed) is averaged over the CNN/DailyMail half
(ids "cnndm...") and the BBC half. sumy runs on the same sentence splitter as ours, through
a tokenizer object, so it needs no NLTK data.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rouge_score import rouge_scorer
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from briefing.summarize import summarize
from briefing.summarize.sentences import split_sentences

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "summ-dev.jsonl"
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

Summarizer = Callable[[str, str, int], list[str]]  # (text, title, budget) -> sentences


class SplitterTokenizer:
    """sumy's tokenizer interface (to_sentences, to_words) over our splitter: no NLTK data."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return split_sentences(paragraph)

    def to_words(self, sentence: str) -> list[str]:
        return WORD.findall(sentence)


def ours(text: str, title: str, budget: int) -> list[str]:
    return summarize(text, budget, title=title)


def ours_untitled(text: str, title: str, budget: int) -> list[str]:
    return summarize(text, budget)


def lead(text: str, title: str, budget: int) -> list[str]:
    out: list[str] = []
    for sentence in split_sentences(text):
        if sum(len(s.split()) for s in out) >= budget:
            break
        out.append(sentence)
    return out


def sumy_system(cls: type) -> Summarizer:
    tokenizer = SplitterTokenizer()
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def run(text: str, title: str, budget: int) -> list[str]:
        document = PlaintextParser.from_string(text, tokenizer).document
        total = len(document.sentences)

        def pick(count: int) -> list[str]:
            return [str(s) for s in summarizer(document, count)]

        # The fewest top-ranked sentences that reach the budget (sumy takes a count, not words).
        lo, hi = 1, max(total, 1)
        while lo < hi:
            mid = (lo + hi) // 2
            if sum(len(s.split()) for s in pick(mid)) >= budget:
                hi = mid
            else:
                lo = mid + 1
        return pick(lo)

    return run


SYSTEMS: dict[str, Summarizer] = {
    "briefing (ours)": ours,
    "briefing, no title": ours_untitled,
    "lead": lead,
    "sumy LexRank": sumy_system(LexRankSummarizer),
    "sumy TextRank": sumy_system(TextRankSummarizer),
    "sumy LSA": sumy_system(LsaSummarizer),
    "sumy Luhn": sumy_system(LuhnSummarizer),
    "sumy SumBasic": sumy_system(SumBasicSummarizer),
    "sumy KL": sumy_system(KLSummarizer),
}


def cut(sentences: list[str], budget: int) -> str:
    return " ".join(" ".join(sentences).split()[:budget])


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    halves = {"CNN/DM": [r for r in rows if r["id"].startswith("cnndm")],
              "BBC": [r for r in rows if not r["id"].startswith("cnndm")]}
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    print(f"{path.name}: " + ", ".join(f"{len(v)} {k}" for k, v in halves.items()))
    print()
    header = "| system | " + " | ".join(
        f"{h} {m}" for h in halves for m in ("R1", "R2", "RL")) + " |"
    print(header)
    print("|---" * (1 + 3 * len(halves)) + "|")
    for name, system in SYSTEMS.items():
        cells = []
        for half in halves.values():
            scores: dict[str, list[float]] = {"rouge1": [], "rouge2": [], "rougeL": []}
            for row in half:
                budget = len(row["reference"].split())
                output = cut(system(row["article"], row.get("title", ""), budget), budget)
                for key, value in scorer.score(row["reference"], output).items():
                    scores[key].append(value.fmeasure)
            cells += [f"{100 * statistics.mean(v):.2f}" for v in scores.values()]
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    print()
    timing(rows)


def timing(rows: list[dict[str, str]]) -> None:
    """Mean time per article for ours, and for the article nearest 1,000 words."""
    start = time.perf_counter()
    for row in rows:
        summarize(row["article"], len(row["reference"].split()), title=row.get("title", ""))
    per_article = (time.perf_counter() - start) * 1000 / len(rows)
    row = min(rows, key=lambda r: abs(len(r["article"].split()) - 1000))
    repeats = 20
    start = time.perf_counter()
    for _ in range(repeats):
        summarize(row["article"], 250)
    per_call = (time.perf_counter() - start) * 1000 / repeats
    print(f"ours: {per_article:.1f} ms per article on average over {len(rows)} articles")
    print(f"ours: {per_call:.1f} ms for a {len(row['article'].split())}-word article "
          f"({row['id'][:16]}, 250-word budget)")


if __name__ == "__main__":
    main()
