"""How fast `briefing make` is against the floor, cold and warm; peak memory; start-up.

The floor is the least work any tool could do with the same engine: the whole spoken
script synthesized in ONE call, then ONE ffmpeg encode of that WAV to MP3 at our settings
(64k, mono, 44.1 kHz, the same ffmpeg). Its synthesis is `espeak-ng -w` when that command
is installed; else bench/floor/espeak_floor.c, the same thing in 60 lines of C, compiled
here against the libespeak-ng briefing uses; else (no C compiler) libespeak-ng's
synchronous backend in a fresh Python process, ~0.1 s slower than the C, which flatters
briefing: the output says which floor was used.

Floor, cold and warm runs alternate within each round (the machines are noisy); medians
and ratios are printed, never a bare time alone. Asserts nothing.
Usage: python bench/speed.py [--rounds 3] [--minutes 3] [--long-minutes 30] [--skip-long]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "samples" / "peoples-daily-nev-cooperation.txt"
DEV = SHARED / "data" / "summ-dev.jsonl"
BRIEFING = [sys.executable, "-m", "briefing"]

FLOOR_SYNTH = """
import sys
from pathlib import Path
from briefing.models import Voice
from briefing.tts.backends.espeak import EspeakSynthesizer
text = Path(sys.argv[1]).read_text(encoding="utf-8")
EspeakSynthesizer().synthesize_unverified(text, Path(sys.argv[2]), Voice("en-us", 170, 50))
"""


def run(args: list[str], env: dict[str, str], **kw: object) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    took = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{proc.stderr}")
    return took


def floor_synth(work: Path, env: dict[str, str]) -> tuple[list[str], str]:
    """The command that speaks the whole script into a WAV (append: TEXT WAV), and what it is."""
    voice = ["en-us", "170", "50"]
    cli = shutil.which("espeak-ng")
    if cli:
        return [cli, "-v", voice[0], "-s", voice[1], "-p", voice[2], "-w", "{wav}", "-f",
                "{text}"], "espeak-ng -w (the command)"
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc:
        from briefing.tts.backends import espeak_lib

        lib = Path(espeak_lib.load().path)
        exe = work / "espeak_floor"
        link = [str(lib), f"-Wl,-rpath,{lib.parent}"] if lib.is_absolute() else [f"-l:{lib}"]
        proc = subprocess.run([cc, "-O2", "-o", str(exe), str(ROOT / "bench" / "floor" /
                               "espeak_floor.c"), *link], capture_output=True, text=True)
        if proc.returncode == 0:
            if os.environ.get("ESPEAK_DATA_PATH"):  # set by espeak_lib for the bundled copy
                env["ESPEAK_DATA_PATH"] = os.environ["ESPEAK_DATA_PATH"]
            return [str(exe), "{text}", "{wav}", *voice], (
                f"bench/floor/espeak_floor.c (espeak-ng -w in C, compiled here against {lib})")
        print(f"could not compile the C floor ({proc.stderr.strip()[-200:]}); using Python")
    return [sys.executable, "-c", FLOOR_SYNTH, "{text}", "{wav}"], (
        "EspeakSynthesizer in a fresh Python process (no espeak-ng command, no C compiler):"
        " ~0.1 s slower than espeak-ng -w, so the ratios below flatter briefing")


def floor(text_file: Path, work: Path, env: dict[str, str], ffmpeg: str,
          synth: list[str]) -> float:
    wav, mp3 = work / "floor.wav", work / "floor.mp3"
    took = run([a.format(text=text_file, wav=wav) for a in synth], env)
    took += run([ffmpeg, "-v", "error", "-y", "-i", str(wav), "-ar", "44100", "-ac", "1",
                 "-c:a", "libmp3lame", "-b:a", "64k", str(mp3)], env)
    return took


def edit_one_reader_line(md: str, round_no: int) -> str:
    """The script with one sentence of the reader's changed (a different one each round)."""
    lines = md.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("READER:"):
            lines[i] = line.rstrip("\n") + f" This sentence changed in round {round_no}.\n"
            return "".join(lines)
    raise SystemExit("no READER line found in the Markdown script")


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def long_episode(env: dict[str, str], minutes: float, work: Path) -> None:
    if not DEV.exists():
        print(f"long episode: skipped ({DEV} is missing)")
        return
    folder = work / "stories"  # temporary: the data set is never copied into the repo
    folder.mkdir()
    sources = []
    for n, row in enumerate(DEV.read_text(encoding="utf-8").splitlines()[:20]):
        article = json.loads(row)["article"]
        path = folder / f"story{n:02d}.txt"
        path.write_text(article, encoding="utf-8")
        sources.append(str(path))
    out = work / "long.mp3"
    gnu_time = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    args = [*BRIEFING, "-q", "make", *sources, "--minutes", str(minutes), "-o", str(out)]
    start = time.perf_counter()
    if gnu_time:
        proc = subprocess.run([gnu_time, "-v", *args], env=env, capture_output=True, text=True)
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
        peak_mb = int(found.group(1)) / 1024 if found else float("nan")
        how = "/usr/bin/time -v: the largest single process"
    else:
        import resource

        proc = subprocess.run(args, env=env, capture_output=True, text=True)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        how = "getrusage(RUSAGE_CHILDREN): the largest single process"
    took = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"long episode failed:\n{proc.stderr[-2000:]}")
        return
    manifest = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    stories = len(manifest["chapters"]) - 2
    print(f"long episode: {manifest['duration_ms'] / 60000:.1f} min, {stories} stories, "
          f"made in {took:.1f} s; peak RSS {peak_mb:.0f} MB ({how}; goal <= 300 MB)")


def startup(env: dict[str, str]) -> float:
    exe = shutil.which("briefing", path=str(Path(sys.executable).parent)) or ""
    args = [exe, "--help"] if exe else [*BRIEFING, "--help"]
    return median([run(args, env) for _ in range(5)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--long-minutes", type=float, default=30.0)
    parser.add_argument("--skip-long", action="store_true")
    opts = parser.parse_args()

    from briefing.audio.ffmpeg import ffmpeg_version, find_ffmpeg

    ffmpeg, where = find_ffmpeg()
    # As `pip install` leaves a package: compiled to bytecode. (A checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every start,
    # in the floor's process as in ours.)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "briefing")],
                   check=True, capture_output=True)
    with tempfile.TemporaryDirectory(prefix="briefing-speed-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "BRIEFING_HOME": str(work / "home")}
        env.pop("BRIEFING_NO_CACHE", None)
        date = ["--date", "2026-11-28"]
        src = [str(SEED), "--minutes", str(opts.minutes), *date]
        # the spoken script, as text for the floor and as Markdown for the warm runs
        text = subprocess.run([*BRIEFING, "script", *src], env=env, capture_output=True,
                              text=True, check=True).stdout
        (work / "script.txt").write_text(text, encoding="utf-8")
        md = subprocess.run([*BRIEFING, "script", "--format", "md", *src], env=env,
                            capture_output=True, text=True, check=True).stdout
        (work / "script.md").write_text(md, encoding="utf-8")
        # once, untimed: the per-machine speaking-rate calibration and a filled cache
        run([*BRIEFING, "-q", "render", str(work / "script.md"), "-o", str(work / "w.mp3")], env)

        synth, synth_name = floor_synth(work, env)
        floors, colds, warms = [], [], []
        for n in range(opts.rounds):
            floors.append(floor(work / "script.txt", work, env, ffmpeg, synth))
            colds.append(run([*BRIEFING, "-q", "make", *src, "--no-cache",
                              "-o", str(work / "cold.mp3")], env))
            edited = work / f"edited{n}.md"
            edited.write_text(edit_one_reader_line(md, n), encoding="utf-8")
            warms.append(run([*BRIEFING, "-q", "render", str(edited),
                              "-o", str(work / "warm.mp3")], env))
        f, c, w = median(floors), median(colds), median(warms)
        words = len(text.split())
        print(f"input: {SEED.name}, --minutes {opts.minutes:g} ({words} words spoken); "
              f"{opts.rounds} rounds, alternating; ffmpeg: {where} ({ffmpeg_version()})")
        print(f"floor: the whole script in one call by {synth_name}, + one ffmpeg encode "
              "(libmp3lame 64k mono 44.1 kHz)")
        print(f"floor                      median {f:6.2f} s  (runs: "
              f"{', '.join(f'{x:.2f}' for x in floors)})")
        print(f"make, cold (--no-cache)    median {c:6.2f} s  = {c / f:.2f}x floor (goal <= 1.3x)"
              f"  (runs: {', '.join(f'{x:.2f}' for x in colds)})")
        print(f"render, warm (1 line new)  median {w:6.2f} s  = {w / f:.2f}x floor (goal <= 0.25x)"
              f"  (runs: {', '.join(f'{x:.2f}' for x in warms)})")
        print(f"briefing --help            median {startup(env):6.3f} s  (goal < 0.3 s)")
        if not opts.skip_long:
            long_episode(env, opts.long_minutes, work)


if __name__ == "__main__":
    main()
