"""Summary quality against human references, ours beside lead and sumy's classics; and 5 MB.

Prints tables and asserts nothing.

Run from the repository root:  .venv/bin/python bench/summarize.py [path/to/summ-dev.jsonl]

Every set we can build from the dev data is reported, at budgets of 15, 30, 60 and 100 words
and at the reference's length: the CNN/DailyMail half (ids "cnndm...") and the BBC half, each
split in two by a hash of the id: "tune" (what the ranking's numbers were chosen on) and
"held-out" (never looked at while tuning). Output is cut at the budget as in DUC and scored
with ROUGE-1/2/L F1 (rouge-score, stemmed). The best sumy system per row is the one with the
highest ROUGE-2. sumy runs on our sentence splitter through a tokenizer object (no NLTK data).

briefing is called as the pipeline calls it (summarize_articles, fill=True) and never goes
over the budget: it reads whole sentences, or a lead trimmed at a clause. "lead" is cut at
the budget mid-sentence, as in DUC; "lead, clauses" obeys briefing's rule (whole sentences, the
last one trimmed at a clause), to show what reading only whole clauses costs at small budgets.

Then the cost of summarizing an input as large as the size caps admit (5 MB of prose, as
paragraphs and as one line), in a child process: seconds and peak resident memory, beside
the same process with the text loaded and one ordinary article summarized.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
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

from briefing.summarize import summarize_articles
from briefing.summarize.sentences import split_sentences
from briefing.summarize.shorten import shorten

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "summ-dev.jsonl"
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
BUDGETS: tuple[int | None, ...] = (15, 30, 60, 100, None)  # None: the reference's length
METRICS = ("rouge1", "rouge2", "rougeL")
CAP_BYTES = 5 * 1024 * 1024  # the sources' size cap

# A system ranks an article once: (text, title) -> a function from budget to sentences.
System = Callable[[str, str], Callable[[int], list[str]]]


class SplitterTokenizer:
    """sumy's tokenizer interface (to_sentences, to_words) over our splitter: no NLTK data."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return split_sentences(paragraph)

    def to_words(self, sentence: str) -> list[str]:
        return WORD.findall(sentence)


def ours(text: str, title: str) -> Callable[[int], list[str]]:
    return lambda budget: summarize_articles([text], budget, [title], fill=True)[0]


def lead(text: str, title: str) -> Callable[[int], list[str]]:
    sentences = split_sentences(text)

    def run(budget: int) -> list[str]:
        out: list[str] = []
        for sentence in sentences:
            if sum(len(s.split()) for s in out) >= budget:
                break
            out.append(sentence)
        return out

    return run


def lead_clauses(text: str, title: str) -> Callable[[int], list[str]]:
    sentences = split_sentences(text)

    def run(budget: int) -> list[str]:
        out: list[str] = []
        left = budget
        for sentence in sentences:
            if len(sentence.split()) > left:
                short = shorten(sentence, left)
                return [*out, short] if short else out
            out.append(sentence)
            left -= len(sentence.split())
        return out

    return run


def sumy_system(cls: type) -> System:
    tokenizer = SplitterTokenizer()
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def rank(text: str, title: str) -> Callable[[int], list[str]]:
        document = PlaintextParser.from_string(text, tokenizer).document
        ranked: list[tuple[int, str]] = []

        def everything(infos: list) -> list:  # sumy's "count" may be a callable: keep all
            ranked.extend((i.order, str(i.sentence)) for i in infos)
            return infos

        summarizer(document, everything)

        def run(budget: int) -> list[str]:
            # The fewest top-ranked sentences that reach the budget (sumy counts sentences).
            picked: list[tuple[int, str]] = []
            for item in ranked:
                if sum(len(s.split()) for _, s in picked) >= budget:
                    break
                picked.append(item)
            return [s for _, s in sorted(picked)]

        return run

    return rank


SYSTEMS: dict[str, System] = {
    "briefing": ours,
    "lead": lead,
    "lead, clauses": lead_clauses,
    "sumy LexRank": sumy_system(LexRankSummarizer),
    "sumy TextRank": sumy_system(TextRankSummarizer),
    "sumy LSA": sumy_system(LsaSummarizer),
    "sumy Luhn": sumy_system(LuhnSummarizer),
    "sumy SumBasic": sumy_system(SumBasicSummarizer),
    "sumy KL": sumy_system(KLSummarizer),
}


def cut(sentences: list[str], budget: int) -> str:
    return " ".join(" ".join(sentences).split()[:budget])


def held_out(row_id: str) -> bool:
    """A fixed half of the rows, by a hash of the id: never used to choose the ranking."""
    return hashlib.sha1(row_id.encode()).digest()[0] % 2 == 1


def sets(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for name, rows_of in (("CNN/DM", [r for r in rows if r["id"].startswith("cnndm")]),
                          ("BBC", [r for r in rows if not r["id"].startswith("cnndm")])):
        out[f"{name} tune"] = [r for r in rows_of if not held_out(r["id"])]
        out[f"{name} held-out"] = [r for r in rows_of if held_out(r["id"])]
        out[f"{name} all"] = rows_of
    return out


Scores = dict[tuple[str, str, int | None], list[float]]  # (system, row id, budget) -> R1,R2,RL


def score_all(rows: list[dict[str, str]], systems: dict[str, System]) -> Scores:
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    scores: Scores = {}
    for name, system in systems.items():
        for row in rows:
            run = system(row["article"], row.get("title", ""))
            for budget in BUDGETS:
                words = budget or len(row["reference"].split())
                result = scorer.score(row["reference"], cut(run(words), words))
                scores[name, row["id"], budget] = [100 * result[m].fmeasure for m in METRICS]
        print(f"  scored {name}", file=sys.stderr, flush=True)
    return scores


def mean(scores: Scores, system: str, rows: Sequence[dict[str, str]], budget: int | None
         ) -> list[float]:
    per_row = [scores[system, r["id"], budget] for r in rows]
    return [statistics.mean(col) for col in zip(*per_row, strict=True)]


def quality_table(rows: list[dict[str, str]], scores: Scores) -> list[str]:
    sumy = [name for name in SYSTEMS if name.startswith("sumy")]
    lines = [
        "| set | budget | briefing R1 / R2 / RL | lead R1 / R2 / RL | lead, clauses R1 / R2 / RL "
        "| best sumy (by R2) R1 / R2 / RL | briefing >= lead |",
        "|---|---|---|---|---|---|---|",
    ]
    below = 0
    for set_name, set_rows in sets(rows).items():
        for budget in BUDGETS:
            ours_ = mean(scores, "briefing", set_rows, budget)
            lead_ = mean(scores, "lead", set_rows, budget)
            clauses = mean(scores, "lead, clauses", set_rows, budget)
            best = max(sumy, key=lambda s: mean(scores, s, set_rows, budget)[1])
            best_ = mean(scores, best, set_rows, budget)
            ok = all(o >= le - 0.005 for o, le in zip(ours_, lead_, strict=True))
            below += not ok
            lines.append(
                f"| {set_name} ({len(set_rows)}) | {budget or 'ref'} | {fmt(ours_)} | "
                f"{fmt(lead_)} | {fmt(clauses)} | {best.removeprefix('sumy ')} {fmt(best_)} | "
                f"{'yes' if ok else 'NO'} |"
            )
    lines.append("")
    lines.append(f"briefing below lead (any of R1/R2/RL) in {below} of "
                 f"{len(sets(rows)) * len(BUDGETS)} rows")
    return lines


def fmt(values: list[float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


_BIG = """
import json, resource, statistics, sys, time
from briefing.summarize import summarize
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
shape, cap = sys.argv[2], int(sys.argv[3])
articles = [r["article"] for r in rows]
parts, size, k = [], 0, 0
while size < cap:  # the dev articles in turn until the cap, as one text
    parts.append(articles[k % len(articles)]); size += len(parts[-1].encode()) + 2; k += 1
text = "\\n\\n".join(parts) if shape == "paragraphs" else " ".join(" ".join(parts).split())
text = text.encode()[:cap].decode(errors="ignore")
small = []
for article in articles[:5]:
    start = time.perf_counter(); summarize(article, 250); small.append(time.perf_counter() - start)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter(); summarize(text, 250); big = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"mb": len(text.encode()) / 2**20, "seconds": big,
                  "small": statistics.median(small), "base_mb": base / 1024,
                  "peak_mb": peak / 1024}))
"""


def big_inputs(path: Path) -> list[str]:
    """Summarizing 5 MB of prose in a child process: time and peak RSS beside a baseline."""
    lines = ["| 5 MB input | seconds | one article (ms) | ratio | RSS before (MB) | "
             "peak RSS (MB) |", "|---|---|---|---|---|---|"]
    for shape in ("paragraphs", "one line"):
        done = subprocess.run([sys.executable, "-c", _BIG, str(path), shape, str(CAP_BYTES)],
                              capture_output=True, text=True, check=True, cwd=ROOT)
        r = json.loads(done.stdout)
        lines.append(f"| {r['mb']:.1f} MB, {shape} | {r['seconds']:.2f} | "
                     f"{r['small'] * 1000:.1f} | {r['seconds'] / r['small']:.0f}x | "
                     f"{r['base_mb']:.0f} | {r['peak_mb']:.0f} |")
    return lines


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    if not path.exists():
        sys.exit(f"no data at {path}: pass the path to summ-dev.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    print(f"{path.name}: " + ", ".join(f"{k} {len(v)}" for k, v in sets(rows).items()))
    print()
    for line in quality_table(rows, score_all(rows, SYSTEMS)):
        print(line)
    print()
    for line in big_inputs(path):
        print(line)


if __name__ == "__main__":
    main()
