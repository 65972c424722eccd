"""Stress the pyttsx3 backend: empty and wrong-rate segments, retries, fallbacks, time.

Each run synthesizes N segments alternating two voices and rates through one
Pyttsx3Synthesizer; every segment's length is compared with the same text spoken alone
by a fresh synthesizer (a fresh process's first synthesis is reproducible). Prints
figures, asserts nothing. Usage: python bench/tts_stress.py [--runs 5] [--segments 180]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from briefing.errors import EngineError
from briefing.models import Voice
from briefing.tts.backends.pyttsx3 import Pyttsx3Synthesizer
from briefing.tts.calibrate import PASSAGES
from briefing.tts.wavfile import duration_s

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "summ-dev.jsonl"
VOICES = (Voice("en-us", 170, 50), Voice("en-gb-x-rp+f3", 140, 60))
WRONG_RATE = 0.05  # more than 5% longer or shorter than the reference


def sentences(count: int) -> list[str]:
    """News sentences of 8-40 words from the dev set (or our own passage if it is absent)."""
    texts = []
    if DATA.exists():
        for line in DATA.read_text(encoding="utf-8").splitlines():
            texts.extend(re.split(r"(?<=[.!?])\s+", json.loads(line)["article"]))
    else:
        texts = re.split(r"(?<=[.!?])\s+", PASSAGES["en"])
    good = [t.strip() for t in texts if 8 <= len(t.split()) <= 40]
    return [good[i % len(good)] for i in range(count)]


def _naive_worker(items: list[tuple[str, Voice]], folder: str) -> list[float]:
    """What a plain pyttsx3 user writes: one engine, voice and rate switched per segment."""
    from briefing.tts.backends import espeak_lib

    espeak_lib.load()
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - "Audio saved to ..." per file
    import pyttsx3

    engine = pyttsx3.init("espeak")
    out = []
    for i, (text, voice) in enumerate(items):
        path = Path(folder) / f"naive{i}.wav"
        engine.setProperty("voice", voice.id)
        engine.setProperty("rate", voice.rate)
        engine.setProperty("pitch", voice.pitch)
        engine.save_to_file(text, str(path))
        engine.runAndWait()
        deadline = time.monotonic() + 5  # the first runAndWait returns before the file exists
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.02)
        out.append(duration_s(path) if path.exists() else 0.0)
    return out


def naive(items: list[tuple[str, Voice]], reference: list[float], work: Path) -> None:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    start = time.monotonic()
    with ctx.Pool(1) as pool:
        got = pool.apply(_naive_worker, (items, str(work)))
    empty = sum(1 for g in got if g == 0)
    wrong = sum(1 for g, r in zip(got, reference, strict=True) if g and abs(g - r) / r > WRONG_RATE)
    print(
        f"naive pyttsx3 (one engine, no checks): {len(items)} segments, {empty} empty, "
        f"{wrong} wrong-rate, {time.monotonic() - start:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--segments", type=int, default=180)
    parser.add_argument(
        "--naive", action="store_true", help="also run plain pyttsx3 (one engine) for comparison"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")

    with tempfile.TemporaryDirectory(prefix="tts-stress-") as tmp:
        work = Path(tmp)
        os.environ["BRIEFING_HOME"] = str(work / "home")  # a clean words-per-minute cache
        items = [(t, VOICES[i % 2]) for i, t in enumerate(sentences(args.segments))]

        start = time.monotonic()
        reference: list[float] = []
        for i, (text, voice) in enumerate(items):
            alone = Pyttsx3Synthesizer()
            try:
                alone.synthesize(text, work / f"ref{i}.wav", voice)
            finally:
                alone.close()
            reference.append(duration_s(work / f"ref{i}.wav"))
        print(
            f"references: {len(items)} segments, each alone in a fresh synthesizer, "
            f"{time.monotonic() - start:.1f} s"
        )
        print(f"voices: {VOICES[0]} / {VOICES[1]}")
        print("run  segments  empty  wrong-rate  failed  retries  timeouts  fallbacks  seconds")
        for run in range(1, args.runs + 1):
            synth = Pyttsx3Synthesizer()
            empty = wrong = failed = 0
            worst = 0.0
            start = time.monotonic()
            try:
                for i, (text, voice) in enumerate(items):
                    wav = work / f"run{run}-{i}.wav"
                    try:
                        synth.synthesize(text, wav, voice)
                    except EngineError as exc:
                        failed += 1
                        print(f"  segment {i} failed: {exc}", file=sys.stderr)
                        continue
                    seconds = duration_s(wav)
                    if seconds == 0:
                        empty += 1
                        continue
                    off = abs(seconds - reference[i]) / reference[i]
                    worst = max(worst, off)
                    wrong += off > WRONG_RATE
            finally:
                synth.close()
            elapsed = time.monotonic() - start
            s = synth.stats
            print(
                f"{run:>3}  {len(items):>8}  {empty:>5}  {wrong:>10}  {failed:>6}  {s.retries:>7}"
                f"  {s.timeouts:>8}  {s.fallbacks:>9}  {elapsed:>7.2f}"
                f"   (worst {100 * worst:.1f}% off)"
            )
        if args.naive:
            naive(items, reference, work)


if __name__ == "__main__":
    main()
