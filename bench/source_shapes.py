"""Worst-case inputs for the sources stage: 5 MB of every awkward shape, accepted or refused.

Each shape is written to a file and read with `briefing.sources.load` in a child process
(killed at --limit seconds, so a quadratic case cannot hang the bench). The baseline is
the same stage on 5 MB of ordinary prose, measured in the same run; the ratio says how far
a shape is from it. A second table times `prose.has_sentence` alone against the regex it
replaced, on growing single words (that one grows as n^2). Prints; asserts nothing.

    .venv/bin/python bench/source_shapes.py [--mb 5] [--limit 60] [--only NAME]
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "samples" / "community-solar.txt"


def _fill(unit: bytes, size: int, head: bytes = b"", tail: bytes = b"") -> bytes:
    body = size - len(head) - len(tail)
    return head + (unit * (body // len(unit) + 1))[:body] + tail


def shapes(size: int) -> dict[str, tuple[str, Callable[[], bytes]]]:
    """name -> (file suffix, bytes maker)."""
    prose = SAMPLE.read_bytes()
    words = b"harbour council ferry timetable winter storm repairs budget "
    return {
        "prose (baseline)": (".txt", lambda: _fill(prose + b"\n\n", size)),
        "one huge word": (".txt", lambda: _fill(b"a", size)),
        "words, no punctuation": (".txt", lambda: _fill(words, size)),
        "lines, no punctuation": (".txt", lambda: _fill(words + b"\n", size)),
        "full stops only": (".txt", lambda: _fill(b".", size)),
        "dots between letters": (".txt", lambda: _fill(b"a.", size)),
        "www. repeated": (".txt", lambda: _fill(b"www.", size)),
        "spaces after a heading": (".md", lambda: _fill(b" ", size, b"# ", b"x")),
        "unclosed fences": (".md", lambda: _fill(b"```\nx\n", size)),
        "unclosed <script": (".md", lambda: _fill(b"<script ", size)),
        "unclosed emphasis": (".md", lambda: _fill(b"*a ", size)),
        "unclosed [links": (".md", lambda: _fill(b"[a](", size)),
        "unclosed <a tags": (".md", lambda: _fill(b"<a ", size)),
        "unclosed autolinks": (".md", lambda: _fill(b"<http://a ", size)),
        "ref definitions": (".md", lambda: _fill(b"[x\n", size)),
        "blank lines": (".md", lambda: _fill(b"\n", size, b"x\n")),
        "spaces before a mark": (".md", lambda: _fill(b" ", size, b"a", b"b")),
        "brackets, sniffed": (".txt", lambda: _fill(b"[", size, b"", b"\n")),
        "brackets, no suffix": ("", lambda: _fill(b"[", size)),
        "html, one word": (".html", lambda: _fill(b"a", size, b"<html><body><p>",
                                                  b"</p></body></html>")),
        "html, no punctuation": (".html", lambda: _fill(words, size, b"<html><body><p>",
                                                        b"</p></body></html>")),
        "html, 150 KB page": (".html", lambda: _fill(words, 150_000, b"<html><body><p>",
                                                     b"</p></body></html>")),
        "html, one sentence": (".html", lambda: _fill(words, size, b"<html><body><p>",
                                                      b". The end came after all.</p></body>"
                                                      b"</html>")),
        "html, 2 MB page": (".html", lambda: _fill(b"<p>" + prose.replace(b"\n\n", b"</p><p>")
                                                   + b"</p>\n", 2 * 1024 * 1024,
                                                   b"<html><body><article>",
                                                   b"</article></body></html>")),
        "feed, DOCTYPE repeated": (".rss", lambda: _fill(b"<!DOCTYPE ", size,
                                                         b"<rss version='2.0'>")),
        "latin-1 prose": (".txt", lambda: _fill(
            "Les élèves sont rentrés à Noël, déjà fatigués. ".encode("latin-1"), size)),
        "utf-8, a few bad bytes": (".txt", lambda: _fill(prose + b"\xe9\n\n", size)),
    }


def _load(path: str, queue: multiprocessing.Queue[tuple[str, float]]) -> None:
    from briefing.errors import BriefingError
    from briefing.sources import load

    start = time.perf_counter()
    try:
        articles = load(path, offline=True)
        outcome = f"accepted ({sum(len(a.text) for a in articles):,} chars)"
    except BriefingError as error:
        outcome = "refused: " + str(error).split(": ", 2)[1][:40]
    queue.put((outcome, time.perf_counter() - start))


def run_shape(path: Path, limit: float) -> tuple[str, float]:
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[tuple[str, float]] = context.Queue()
    child = context.Process(target=_load, args=(str(path), queue))
    start = time.perf_counter()
    child.start()
    child.join(limit)
    if child.is_alive():
        child.kill()
        child.join()
        return f"KILLED after {limit:g} s", time.perf_counter() - start
    if queue.empty():
        return f"crashed (exit {child.exitcode})", time.perf_counter() - start
    return queue.get()


# The regex has_sentence used before issue 17 (kept here to show what changed).
_OLD_SENTENCE = re.compile(r"[^.!?。！？।؟\n]+[.!?。！？।؟…]+[\"'”’)\]]*(?=\s|$)")


def _old_has_sentence(text: str) -> bool:
    return any(len(m.group(0).split()) >= 4 for m in _OLD_SENTENCE.finditer(text))


def sentence_table(limit_s: float) -> None:
    from briefing.sources.prose import has_sentence

    print("\nhas_sentence on one word without punctuation (seconds)")
    print(f"{'size':>10} {'before':>10} {'now':>10}")
    for size in (5_000, 10_000, 20_000, 40_000, 5 * 1024 * 1024):
        text = "a" * size
        old = "skipped"
        if size <= 40_000:
            start = time.perf_counter()
            _old_has_sentence(text)
            old = f"{time.perf_counter() - start:.3f}"
        start = time.perf_counter()
        has_sentence(text)
        now = time.perf_counter() - start
        print(f"{size:>10,} {old:>10} {now:>10.3f}")
        if old != "skipped" and float(old) > limit_s:
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="size of each shape")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a kill")
    parser.add_argument("--only", default="", help="run the shapes whose name holds this")
    args = parser.parse_args()
    size = int(args.mb * 1024 * 1024) - 1  # just under the cap: every shape is admitted
    table = shapes(size)
    print(f"sources.load on {args.mb:g} MB of each shape (child process, killed at "
          f"{args.limit:g} s)")
    print(f"{'shape':<26} {'seconds':>8} {'x prose':>8}  outcome")
    baseline = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, (suffix, make) in table.items():
            if args.only and args.only not in name and name != "prose (baseline)":
                continue
            path = Path(folder) / f"shape{suffix}"
            path.write_bytes(make())
            outcome, seconds = run_shape(path, args.limit)
            baseline = baseline or seconds
            print(f"{name:<26} {seconds:>8.2f} {seconds / baseline:>8.2f}  {outcome}")
            path.unlink()
    if not args.only:
        sentence_table(args.limit)


if __name__ == "__main__":
    main()
