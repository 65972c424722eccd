"""HTML main-text extraction: our extractor vs trafilatura and readability-lxml, token P/R/F1.

Run from the repository root: `.venv/bin/python bench/extract.py [--limit N] [--show-worst K]`.
Scores follow scrapinghub/article-extraction-benchmark: word tokens (\\w+), bag-of-words
overlap between extracted text and the ground-truth `body`, per page, then averaged.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "extract-dev"
GOAL_F1 = 0.97
sys.path.insert(0, str(ROOT))  # run as a script from a checkout, installed or not
GOAL_SHARE = 0.92
GOOD_F1 = 0.9  # a page "reads right" from here: a stray line or two, nothing missing

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text or ""))


def prf(truth: str, pred: str) -> tuple[float, float, float]:
    t, p = tokens(truth), tokens(pred)
    tp = sum((t & p).values())
    if not t and not p:
        return 1.0, 1.0, 1.0
    precision = tp / sum(p.values()) if p else 0.0
    recall = tp / sum(t.values()) if t else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def ours(html: str, url: str) -> str:
    from briefing.sources.html import extract_html

    return extract_html(html, url=url).text


def trafilatura_default(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def readability_default(html: str, url: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(html, url=url).summary(html_partial=True)
    if not summary.strip():
        return ""
    root = lxml.html.fromstring(summary)
    for block in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "br", "tr"):
        block.tail = "\n" + (block.tail or "")
    return str(root.text_content())


EXTRACTORS: dict[str, Callable[[str, str], str]] = {
    "briefing": ours,
    "trafilatura": trafilatura_default,
    "readability": readability_default,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--show-worst", type=int, default=0, help="list our K worst pages")
    parser.add_argument("--only", default="", help="comma-separated extractor names")
    args = parser.parse_args()

    if not DATA.is_dir():
        sys.exit(f"no benchmark data at {DATA}")
    index = [json.loads(line) for line in (DATA / "index.jsonl").read_text().splitlines() if line]
    if args.limit:
        index = index[: args.limit]
    names = [n for n in EXTRACTORS if not args.only or n in args.only.split(",")]

    scores: dict[str, list[tuple[float, float, float]]] = {n: [] for n in names}
    seconds: dict[str, float] = dict.fromkeys(names, 0.0)
    worst: list[tuple[float, str]] = []
    for row in index:
        html = (DATA / f"{row['id']}.html").read_bytes().decode("utf-8", errors="replace")
        truth = json.loads((DATA / f"{row['id']}.json").read_text())["body"]
        for name in names:
            start = time.perf_counter()
            pred = EXTRACTORS[name](html, row["url"])
            seconds[name] += time.perf_counter() - start
            score = prf(truth, pred)
            scores[name].append(score)
            if name == "briefing":
                worst.append((score[2], f"{row['id'][:12]} {row['url']}"))

    print(f"extract-dev: {len(index)} pages, bag-of-words token P/R/F1 per page, then mean")
    print(f"{'extractor':<12} {'P':>6} {'R':>6} {'F1':>6} {'F1>=0.9':>8} {'s/page':>7}")
    for name in names:
        rows = scores[name]
        n = len(rows)
        p = sum(r[0] for r in rows) / n
        r = sum(r[1] for r in rows) / n
        f = sum(r[2] for r in rows) / n
        good = sum(1 for r in rows if r[2] >= GOOD_F1) / n
        print(f"{name:<12} {p:6.3f} {r:6.3f} {f:6.3f} {good:8.1%} {seconds[name] / n:7.3f}")
    print(f"goal: mean F1 >= {GOAL_F1}, share of pages at F1 >= {GOOD_F1}: >= {GOAL_SHARE:.0%}")
    if args.show_worst and "briefing" in names:
        for f1, label in sorted(worst)[: args.show_worst]:
            print(f"  {f1:.3f} {label}")


if __name__ == "__main__":
    main()
