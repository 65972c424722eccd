"""Glued-word repair: precision and recall of clean_text on words glued on purpose.

Cases glue one random pair of adjacent words (seeded) in a real sentence from
../shared/data/summ-dev.jsonl; the whole sentence is repaired with clean_text. Any
split that is not the glued one counts against precision, including splits made
on the same sentences left unglued. Also: the seed article's 16 known glued words
and 13 names, and the time to clean a 1,000-word article. Prints; asserts nothing.

    .venv/bin/python bench/repair.py [--cases 1000] [--seed 7] [--show 10]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

from briefing.clean import REPAIRS, clean, clean_text, split_glued_words
from briefing.clean.glue import Context, split_glued, zipf
from briefing.models import Article

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the seed cases live in tests/
from tests.seed_cases import SEED_GLUED, SEED_NAMES

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SUMM = SHARED / "data" / "summ-dev.jsonl"
SEED = SHARED / "samples" / "peoples-daily-nev-cooperation.txt"

GLUED_IS_WORD_ZIPF = 3.0  # "in"+"to" -> "into": a real word; no repair can or should split it
_WORD = re.compile(r"^[^\W\d_]+(?:[’'][^\W\d_]+)?$")


def sentences() -> list[str]:
    """Sentences of 8-60 words from the dev articles, Daily Mail marks already tidied."""
    out = []
    for line in SUMM.read_text(encoding="utf-8").splitlines():
        text = clean_text(json.loads(line)["article"])
        for s in re.split(r"(?<=[.!?])\s+(?=[\"“‘']?[A-Z])", text.replace("\n", " ")):
            if 8 <= len(s.split()) <= 60:
                out.append(s)
    return out


def boundaries(text: str) -> set[int]:
    """Offsets, counted in non-space characters, where a space separates two tokens."""
    cuts, n = set(), 0
    for tok in text.split():
        n += len(tok)
        cuts.add(n)
    return cuts


def glue_cases(sents: list[str], n: int, rng: random.Random) -> tuple[list[tuple], int]:
    cases: list[tuple[str, str, int, str]] = []
    excluded = 0
    while len(cases) < n:
        s = rng.choice(sents)
        words = s.split()
        i = rng.randrange(len(words) - 1)
        left, right = words[i], words[i + 1]
        if not _WORD.match(left) or not right[:1].isalpha():
            continue
        glued = left + right
        if zipf(re.sub(r"\W+$", "", glued).lower()) >= GLUED_IS_WORD_ZIPF:
            excluded += 1
            continue
        cut = len("".join(words[: i + 1]))
        cases.append((s, " ".join([*words[:i], glued, *words[i + 2 :]]), cut, glued))
    return cases, excluded


def articles() -> list[str]:
    out = [json.loads(line)["article"] for line in SUMM.read_text(encoding="utf-8").splitlines()]
    extract = SHARED / "data" / "extract-dev"
    for line in (extract / "index.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("lang_hint") == "en":
            page = json.loads((extract / f"{row['id']}.json").read_text(encoding="utf-8"))
            out.append(page["body"])
    return out


def full_article_splits() -> list[tuple[str, str]]:
    """(token, what the glue step made of it) over whole articles, steps before it applied."""
    made = []
    for text in articles():
        for step in REPAIRS:
            if step is split_glued_words:
                break
            text = step(text)
        context = Context.of(text)
        for old in text.split():
            new = split_glued(old, "en", context)
            if new != old:
                made.append((old, new))
    return made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show", type=int, default=10, help="misses and false splits to print")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    sents = sentences()
    cases, excluded = glue_cases(sents, args.cases, rng)

    tp = fn = fp_glued = 0
    misses, false_splits = [], []
    for original, glued, cut, token in cases:
        out = clean_text(glued)
        expected = boundaries(original)
        got = boundaries(out)
        wrong = got - expected
        fp_glued += len(wrong)
        if cut in got and not wrong:
            tp += 1
        elif cut in got:
            tp += 1
            false_splits.append((token, out))
        else:
            fn += 1
            misses.append(token)
            if wrong:
                false_splits.append((token, out))

    # The same sentences unglued: every split there is a false one.
    unglued = sorted({c[0] for c in cases})
    fp_clean, clean_splits = 0, []
    for s in unglued:
        new = boundaries(clean_text(s)) - boundaries(s)
        if new:
            fp_clean += len(new)
            clean_splits.append(clean_text(s))

    precision = tp / max(1, tp + fp_glued + fp_clean)
    recall = tp / max(1, len(cases))
    print(f"sentences: {len(sents)} from {SUMM.name}; seed {args.seed}")
    print(
        f"glued cases: {len(cases)} ({excluded} skipped: the glued form is itself a word "
        f"at zipf >= {GLUED_IS_WORD_ZIPF}, e.g. in+to)"
    )
    print(f"repaired: {tp}  missed: {fn}  wrong splits in glued sentences: {fp_glued}")
    print(f"unglued sentences: {len(unglued)}  splits made in them: {fp_clean}")
    print(f"precision: {precision:.3f} (goal >= 0.98)   recall: {recall:.3f} (goal >= 0.90)")
    if args.show:
        print("missed, e.g.:", ", ".join(misses[: args.show]))
        for token, out in false_splits[: args.show]:
            print(f"  wrong split near {token!r}: {out[:160]}")
        for out in clean_splits[: args.show]:
            print(f"  split in unglued sentence: {out[:160]}")

    # Whole unglued articles (summ-dev and the English extract-dev bodies): every split the
    # glue step makes there is listed; some are real glue in the source ("thefirst").
    made = full_article_splits()
    print(f"splits made in {len(articles())} whole unglued articles: {len(made)}")
    if args.show and made:
        print("  " + ", ".join(f"{a} -> {b}" for a, b in made[: args.show * 2]))

    seed_text = SEED.read_text(encoding="utf-8")
    seed = clean(Article(text=seed_text))
    fixed = [g for g, want in SEED_GLUED.items() if want in seed.text and g not in seed.text]
    kept = []
    for name in SEED_NAMES:
        whole = rf"(?<!\S){re.escape(name)}(?![^\s,.;:])"
        in_seed = re.search(whole, seed_text) is None or re.search(whole, seed.text)
        if split_glued(name) == name and in_seed:
            kept.append(name)
    print(f"seed glued words split: {len(fixed)}/{len(SEED_GLUED)}", end="")
    print("" if len(fixed) == len(SEED_GLUED) else f"  missing: {set(SEED_GLUED) - set(fixed)}")
    print(
        f"seed names left whole (alone and in the article): {len(kept)}/{len(SEED_NAMES)}", end=""
    )
    print("" if len(kept) == len(SEED_NAMES) else f"  split: {set(SEED_NAMES) - set(kept)}")
    print(f"seed by-line: author={seed.author!r} site_name={seed.site_name!r}")

    # Unseen text: the extraction pages' bodies, 1,000 words at a time (word lists loaded).
    bodies = sorted((SHARED / "data" / "extract-dev").glob("*.json"))
    words = " ".join(json.loads(p.read_text(encoding="utf-8"))["body"] for p in bodies).split()
    runs = []
    for k in range(5):
        article = " ".join(words[k * 1000 : (k + 1) * 1000])
        start = time.perf_counter()
        clean_text(article)
        runs.append((time.perf_counter() - start) * 1000)
    print(f"clean_text on 1,000 new words: {statistics.median(runs):.1f} ms (median of 5)")


if __name__ == "__main__":
    sys.exit(main())
