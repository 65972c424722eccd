"""How many episodes per minute `briefing batch` makes: 1 and 2 local workers, and a
`dask scheduler` with 2 `dask worker` processes started apart (as on other machines),
against the same jobs made one `briefing make` after another.

Every configuration makes the same 20 episodes (two stories each, --minutes long) into
fresh archives with the segment cache off (BRIEFING_NO_CACHE=1: every line is spoken, as
for a day's new stories), the rate calibration warmed beforehand as a machine that runs
daily has it. Wall time is noisy on a shared machine, so CPU-seconds (the whole process
tree: client, workers, speech engines, ffmpeg) are printed beside it. Asserts nothing.
Usage: python bench/batch.py [--jobs 20] [--minutes 2] [--engine pyttsx3] [--skip-make]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "summ-dev.jsonl"
OWN = [ROOT / "samples" / "community-solar.txt",
       *sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))]
BRIEFING = [sys.executable, "-m", "briefing"]


def articles(work: Path, count: int) -> tuple[list[Path], str]:
    """Story files for the jobs: ../shared's news articles, else the project's own few."""
    if DEV.exists():
        folder = work / "stories"  # temporary: the data set is never copied into the repo
        folder.mkdir()
        paths = []
        for n, row in enumerate(DEV.read_text(encoding="utf-8").splitlines()[:count]):
            path = folder / f"story{n:02d}.txt"
            path.write_text(json.loads(row)["article"], encoding="utf-8")
            paths.append(path)
        return paths, f"{len(paths)} CNN/DM and BBC articles from {DEV}"
    return OWN, (f"{len(OWN)} articles of the project's own, reused across jobs "
                 f"({DEV} is missing; its 108 articles make every job different)")


def write_jobs(path: Path, stories: list[Path], jobs: int, minutes: float, engine: str,
               archives: Path) -> list[list[Path]]:
    picks = [[stories[(2 * i) % len(stories)], stories[(2 * i + 1) % len(stories)]]
             for i in range(jobs)]
    lines = ["[defaults]", f"minutes = {minutes}", f'synthesizer = "{engine}"',
             f'output_dir = "{archives}"', ""]
    for i, pick in enumerate(picks, 1):
        lines += ["[[briefing]]", f'title = "Briefing {i}"']
        for story in pick:
            lines += ["[[briefing.sources]]", f'location = "{story}"', "max_stories = 1"]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return picks


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree_cpu(pids: list[int]) -> float:
    """CPU-seconds of running processes and of their children that have been waited for."""
    total = 0.0
    for pid in pids:
        times = psutil.Process(pid).cpu_times()
        total += times.user + times.system + times.children_user + times.children_system
    return total


def run_batch(jobs: Path, env: dict[str, str], extra: list[str],
              servers: tuple[int, ...] = ()) -> dict[str, float]:
    cpu0, server0 = children_cpu(), tree_cpu(list(servers))
    start = time.perf_counter()
    proc = subprocess.run([*BRIEFING, "-q", "batch", str(jobs), "--json", *extra], env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"batch failed ({proc.returncode}):\n{proc.stderr[-3000:]}\n{proc.stdout[-2000:]}")
    report = json.loads(proc.stdout)
    made = report["made"]
    seconds = [r["seconds"] for r in report["results"] if r["status"] == "made"]
    return {
        "made": made, "wall": wall, "inside": report["seconds"],
        "cpu": children_cpu() - cpu0 + tree_cpu(list(servers)) - server0,
        "job_wall": statistics.median(seconds),
        "job_cpu": statistics.median(r["cpu_seconds"] for r in report["results"]
                                     if r["status"] == "made"),
    }


def run_makes(picks: list[list[Path]], env: dict[str, str], minutes: float, engine: str,
              out: Path) -> dict[str, float]:
    cpu0 = children_cpu()
    walls = []
    for pick in picks:
        start = time.perf_counter()
        subprocess.run([*BRIEFING, "-q", "make", *map(str, pick), "--minutes", str(minutes),
                        "--output-dir", str(out), "-n", "1"],
                       env={**env, "BRIEFING_SYNTHESIZER": engine}, check=True,
                       capture_output=True)
        walls.append(time.perf_counter() - start)
    return {"made": len(picks), "wall": sum(walls), "inside": sum(walls),
            "cpu": children_cpu() - cpu0, "job_wall": statistics.median(walls),
            "job_cpu": (children_cpu() - cpu0) / len(picks)}


class Cluster:
    """`dask scheduler` and `dask worker` processes, as an admin would start them."""

    def __init__(self, work: Path, env: dict[str, str], workers: int) -> None:
        self.file = work / "scheduler.json"
        self.procs = [subprocess.Popen(
            [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
             "--no-dashboard", "--scheduler-file", str(self.file)], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        while not (self.file.is_file() and self.file.stat().st_size):
            time.sleep(0.05)
        self.address = json.loads(self.file.read_text())["address"]
        for n in range(workers):
            self.procs.append(subprocess.Popen(
                [sys.executable, "-m", "dask", "worker", self.address, "--nthreads", "1",
                 "--no-dashboard", "--no-nanny", "--host", "127.0.0.1", "--name", f"w{n}"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.kill()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--engine", default="pyttsx3", help="e.g. piper, with its extra")
    parser.add_argument("--skip-make", action="store_true", help="no one-by-one baseline")
    opts = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "BRIEFING_HOME": str(work / "home"), "BRIEFING_NO_CACHE": "1"}
        stories, which = articles(work, 2 * opts.jobs)
        print(f"{opts.jobs} jobs of two stories, --minutes {opts.minutes}, engine "
              f"{opts.engine}, segment cache off; stories: {which}")
        print(f"machine: {os.cpu_count()} cores, load average at start "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        # warm what a daily machine has warm: rates measured, word lists built
        warm = work / "warm.toml"
        write_jobs(warm, stories[-2:], 1, opts.minutes, opts.engine, work / "warm")
        run_batch(warm, env, ["--workers", "1"])

        results: dict[str, dict[str, float]] = {}
        picks: list[list[Path]] = []
        for name, extra in (("local, 1 worker", ["--workers", "1"]),
                            ("local, 2 workers", ["--workers", "2"])):
            jobs = work / f"{len(results)}.toml"
            picks = write_jobs(jobs, stories, opts.jobs, opts.minutes, opts.engine,
                               work / f"out{len(results)}")
            results[name] = run_batch(jobs, env, extra)
            print(f"  {name}: done", flush=True)
        cluster = Cluster(work, env, 2)
        try:
            jobs = work / "cluster.toml"
            write_jobs(jobs, stories, opts.jobs, opts.minutes, opts.engine, work / "outc")
            results["scheduler + 2 dask workers"] = run_batch(
                jobs, env, ["--scheduler", cluster.address], tuple(cluster.pids))
        finally:
            cluster.stop()
        print("  scheduler + 2 workers: done", flush=True)
        if not opts.skip_make:
            results["one `make` after another"] = run_makes(picks, env, opts.minutes,
                                                             opts.engine, work / "outm")

    print(f"load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    # cores used = CPU-s / wall s: how much of the machine the run got (others share it)
    print(f"{'':28} {'wall s':>7} {'ep/min':>7} {'ep/h':>6} {'CPU s':>7} {'cores':>5} "
          f"{'CPU s/ep':>8} {'job wall':>8} {'job CPU':>8}")
    for name, r in results.items():
        per_min = r["made"] * 60 / r["wall"]
        print(f"{name:28} {r['wall']:7.1f} {per_min:7.2f} {per_min * 60:6.0f} {r['cpu']:7.1f} "
              f"{r['cpu'] / r['wall']:5.2f} {r['cpu'] / r['made']:8.2f} {r['job_wall']:8.2f} "
              f"{r['job_cpu']:8.2f}")
    cores = len(os.sched_getaffinity(0))
    best = min(r["cpu"] / r["made"] for r in results.values())
    print(f"\nall {cores} cores busy with jobs: {cores * 3600 / best:.0f} episodes per hour "
          f"at {best:.2f} CPU-s each (the least any configuration above spent)")
    one, two = results["local, 1 worker"], results["local, 2 workers"]
    print(f"\nscaling efficiency, 1 -> 2 local workers: "
          f"{one['wall'] / two['wall'] / 2:.0%} by wall time (whole command, start-up "
          f"included), {one['inside'] / two['inside'] / 2:.0%} inside the batch")
    ext = results["scheduler + 2 dask workers"]
    print(f"scheduler + 2 dask workers vs 2 local workers: {two['wall'] / ext['wall']:.2f}x "
          f"by wall time")
    if "one `make` after another" in results:
        make = results["one `make` after another"]
        print(f"a job on a worker vs a single `make`: {one['job_wall'] / make['job_wall']:.2f}x "
              f"wall (median, 1 worker), {one['cpu'] / make['cpu']:.2f}x CPU-seconds for "
              "the whole batch vs all the makes")
        print(f"20 episodes: 2 local workers take {two['wall'] / make['wall']:.2f}x the time "
              "of one make after another")


if __name__ == "__main__":
    main()
