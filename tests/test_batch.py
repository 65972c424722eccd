"""`briefing batch` end to end: a real `dask scheduler` and `dask worker` processes on
127.0.0.1 (and the embedded local cluster), the real speech engine and ffmpeg, sources from
files and a local HTTP server; a failing job, a worker killed mid-job, an interrupted client."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import feedparser
import pytest

from tests.bad_input_cases import default_sigint
from tests.conftest import ROOT, SAMPLE
from tests.dask_cluster import Cluster
from tests.episodes import fake_episode
from tests.probe import ffprobe

pytest.importorskip("distributed", reason="the batch extra is not installed: "
                                          "scripts/setup.sh test installs it")
pytestmark = pytest.mark.e2e

ARTICLES = ROOT / "tests" / "data" / "articles"
DAY = dt.date.today()  # retention counts from the real today
MINUTES = 0.3  # short episodes: the batch is under test, not the voice
PAGE = """<!doctype html><html><head><title>Harbour ferries return</title></head><body>
<article><h1>Harbour ferries return after the winter</h1>
<p>The harbour ferries return to service on Monday after three months in dry dock, the
port authority said on Thursday. Two of the four boats have new engines that burn less fuel.</p>
<p>Commuters had crowded onto buses during the winter, and the authority said it would add
an early sailing at six o'clock to win them back. Fares stay the same until the summer.</p>
<p>The oldest boat, built in 1968, will be retired in the autumn and sold to a museum.</p>
</article></body></html>"""


class _Pages(BaseHTTPRequestHandler):
    hits: ClassVar[Counter[str]] = Counter()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        type(self).hits[self.path] += 1
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def pages() -> Iterator[tuple[str, Counter[str]]]:
    """A page on 127.0.0.1 and how often each path was asked for."""
    hits: Counter[str] = Counter()
    handler = type("Pages", (_Pages,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, warm_cache: Path) -> Iterator[Cluster]:
    """`dask scheduler` and two `dask worker` processes, shared by the tests that kill none."""
    root = tmp_path_factory.mktemp("dask")
    home = root / "home"
    home.mkdir()
    (home / "cache").symlink_to(warm_cache, target_is_directory=True)
    started = Cluster(root, home)
    try:
        yield started.start(2)
    finally:
        started.stop()


def job(title: str, *sources: str, **settings: object) -> str:
    lines = ["[[briefing]]", f'title = "{title}"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    for source in sources:
        lines += ["[[briefing.sources]]", f'location = "{source}"', "max_stories = 1"]
    return "\n".join(lines) + "\n"


def jobs_file(tmp_path: Path, *jobs: str, minutes: float = MINUTES) -> Path:
    path = tmp_path / "jobs.toml"
    path.write_text(f'[defaults]\nminutes = {minutes}\noutput_dir = "archives"\n'
                    'public_url = "http://127.0.0.1:8000/"\n\n' + "\n".join(jobs))
    return path


def four_jobs(tmp_path: Path, base: str) -> Path:
    """Four briefings; two of them share a web page, read once for both."""
    return jobs_file(
        tmp_path,
        job("Solar", str(SAMPLE)),
        job("Markets", str(ARTICLES / "company-results.txt")),
        job("Harbour", f"{base}/ferries.html"),
        job("Commute", f"{base}/ferries.html", str(ARTICLES / "quotes-british.txt")),
    )


def batch(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "briefing", "batch", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_sigint)


def finish(proc: subprocess.Popen[str], timeout: float = 300) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def check_archive(out: Path, episodes: int = 1) -> list[Path]:
    """The archive holds `episodes` whole episodes, its feed lists them with exact sizes,
    and nothing half-made lies about."""
    mp3s = sorted(out.glob("*/*.mp3"))
    assert len(mp3s) == episodes, mp3s
    for mp3 in mp3s:
        info = ffprobe(mp3)
        assert info["streams"][0]["codec_name"] == "mp3"
        assert 5 <= float(info["format"]["duration"]) <= 60
        for suffix in (".json", ".txt", ".vtt", ".srt", ".chapters.json"):
            assert mp3.with_name(mp3.stem + suffix).is_file(), suffix
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == episodes
    for entry in parsed.entries:
        enclosure = entry.enclosures[0]
        path = out / enclosure.href.removeprefix("http://127.0.0.1:8000/")
        assert int(enclosure.length) == path.stat().st_size
    assert not [p for p in out.rglob(".briefing-*")]
    stems = {p.name.split(".")[0] for p in out.glob("*/*")}
    assert stems == {p.stem for p in mp3s}, "files of an episode that is not there"
    return mp3s


def test_four_jobs_on_a_scheduler_and_two_workers(tmp_path: Path, cluster: Cluster, pages):
    base, hits = pages
    path = four_jobs(tmp_path, base)
    archives = tmp_path / "archives"
    old = fake_episode(archives / "solar", (DAY - dt.timedelta(days=30)).isoformat(), "old")

    code, out, err = finish(batch(path, "--scheduler", cluster.address, "--json",
                                  "--date", DAY.isoformat()))
    assert code == 0, err
    report = json.loads(out)
    assert (report["jobs"], report["made"], report["failed"]) == (4, 4, 0)
    assert {r["status"] for r in report["results"]} == {"made"}
    assert {r["worker"].split(":")[0] for r in report["results"]} == {socket.gethostname()}
    assert hits == {"/ferries.html": 1}, "a source two jobs share is fetched once"
    for name in ("solar", "markets", "harbour", "commute"):
        (mp3,) = check_archive(archives / name)
        assert str(mp3) in {r["mp3"] for r in report["results"]}
        assert mp3.parent.name == DAY.isoformat()
    assert not old.exists(), "retention retired the 30-day-old episode"
    assert "ferries" in next((archives / "harbour").glob("*/*.txt")).read_text()
    assert "Made 4 of 4 episodes" in err and "Traceback" not in err

    # again: every archive has the day's episode, nothing is made or changed
    before = snapshot(archives)
    code, out, err = finish(batch(path, "--scheduler", cluster.address,
                                  "--date", DAY.isoformat()))
    assert code == 0, err
    assert "4 already made" in err
    assert len(out.split()) == 4
    assert {k: v for k, v in snapshot(archives).items() if not k.endswith(
        ("feed.xml", "index.html"))} == {k: v for k, v in before.items() if not k.endswith(
            ("feed.xml", "index.html"))}

    # the next day, the same sources: each archive has spoken its stories already
    code, out, err = finish(batch(path, "--scheduler", cluster.address,
                                  "--date", (DAY + dt.timedelta(days=1)).isoformat()))
    assert code == 0, err
    assert "4 with nothing new" in err and out == ""
    assert not list(archives.glob(f"*/{(DAY + dt.timedelta(days=1)).isoformat()}"))


def test_a_failing_job_is_reported_and_the_others_go_on(tmp_path: Path, cluster: Cluster):
    path = jobs_file(
        tmp_path,
        job("Good one", str(ARTICLES / "company-results.txt")),
        job("No engine", str(SAMPLE), synthesizer="no-such-engine"),  # raises on the worker
        job("No file", str(tmp_path / "missing.txt")),  # fails on the client
        job("Good two", str(ARTICLES / "wire-dateline.txt")),
    )
    code, out, err = finish(batch(path, "--scheduler", cluster.address))
    assert code == 1, err
    lines = err.splitlines()
    failed = [ln for ln in lines if ln.startswith("job 2 ('No engine'): ")]
    assert len(failed) == 1 and failed[0].startswith(
        "job 2 ('No engine'): unknown speech engine 'no-such-engine': choose one of the "
        "installed espeak-ng, "), failed
    assert any(ln.startswith("job 3 ('No file'): ") and "missing.txt" in ln for ln in lines)
    assert "Made 2 of 4 episodes" in err and "2 failed" in err and "Traceback" not in err
    archives = tmp_path / "archives"
    check_archive(archives / "good-one")
    check_archive(archives / "good-two")
    assert not list((archives / "no-engine").rglob("*.mp3"))
    assert not list((archives / "no-file").rglob("*.mp3"))
    assert len(out.split()) == 2


def test_a_worker_killed_mid_job_hands_it_to_the_other(tmp_path: Path):
    # a cold speech cache of their own: the jobs take long enough to be caught mid-way
    home = tmp_path / "workers-home"
    own = Cluster(tmp_path / "dask", home).start(2)
    try:
        path = jobs_file(tmp_path,
                         job("Solar", str(SAMPLE)),
                         job("Markets", str(ARTICLES / "company-results.txt")),
                         job("Wire", str(ARTICLES / "wire-dateline.txt")),
                         job("Quotes", str(ARTICLES / "quotes-british.txt")),
                         minutes=0.5)
        proc = batch(path, "--scheduler", own.address, "--json")
        deadline = time.monotonic() + 120
        while (victim := own.busy()) is None:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no worker ever started a job"
            time.sleep(0.02)
        victim_pid = own.workers[victim].pid
        own.kill(victim)
        code, out, err = finish(proc)
        assert code == 0, err
        report = json.loads(out)
        assert report["made"] == 4
        # the job the victim was making was made again by the other worker
        by = Counter(int(r["worker"].rsplit(":", 1)[1]) for r in report["results"])
        assert by[victim_pid] < 4 and sum(by.values()) == 4
        (survivor,) = set(by) - {victim_pid}
        assert survivor == own.workers[next(n for n in own.workers if n != victim)].pid
        for name in ("solar", "markets", "wire", "quotes"):
            check_archive(tmp_path / "archives" / name)
    finally:
        own.stop()


def test_an_interrupted_client_commits_nothing_partial_and_a_rerun_finishes(
        tmp_path: Path, cluster: Cluster):
    path = jobs_file(tmp_path,
                     job("Solar", str(SAMPLE)),
                     job("Markets", str(ARTICLES / "company-results.txt")),
                     job("Wire", str(ARTICLES / "wire-dateline.txt")),
                     job("Quotes", str(ARTICLES / "quotes-british.txt")),
                     job("Profile", str(ARTICLES / "profile-pronouns.txt")),
                     job("Lead", str(ARTICLES / "cataphora-lead.txt")))
    archives = tmp_path / "archives"
    proc = batch(path, "--scheduler", cluster.address)
    deadline = time.monotonic() + 120
    while not list(archives.glob("*/*/*.mp3")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)  # Ctrl-C
    code, _, err = finish(proc)
    assert code == 130, err
    assert "Interrupted." in err and "Traceback" not in err
    made = sorted(archives.glob("*/*/*.mp3"))
    assert 1 <= len(made) < 6, "stopped part-way"
    for folder in archives.iterdir():
        check_archive(folder, len(list(folder.glob("*/*.mp3"))))

    code, _, err = finish(batch(path, "--scheduler", cluster.address))
    assert code == 0, err
    assert f"{len(made)} already made" in err
    for name in ("solar", "markets", "wire", "quotes", "profile", "lead"):
        check_archive(archives / name)


def test_the_local_cluster_by_default(tmp_path: Path, pages):
    base, hits = pages
    path = four_jobs(tmp_path, base)
    path.write_text(path.read_text() + job("No engine", str(SAMPLE), synthesizer="nope"))
    archives = tmp_path / "archives"

    # Ctrl-C at a terminal reaches the whole process group: the client, the worker
    # processes it started and their speech engines; one line, nothing half-made
    proc = subprocess.Popen([sys.executable, "-m", "briefing", "batch", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=default_sigint)
    deadline = time.monotonic() + 120
    while not list(archives.glob("*/*/*.mp3")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGINT)
    code, _, err = finish(proc)
    assert code == 130, err
    assert "Traceback" not in err and "Interrupted." in err, err
    for folder in archives.iterdir():
        check_archive(folder, len(list(folder.glob("*/*.mp3"))))

    code, out, err = finish(batch(path, "--json"))
    assert code == 1, err
    report = json.loads(out)
    assert report["made"] + sum(r["status"] == "exists" for r in report["results"]) == 4
    failed = [r for r in report["results"] if r["status"] == "failed"]
    assert failed[0]["index"] == 5 and "unknown speech engine 'nope'" in failed[0]["error"]
    assert "job 5 ('No engine'): unknown speech engine 'nope'" in err
    assert hits["/ferries.html"] in (1, 2)  # once per run at most
    for name in ("solar", "markets", "harbour", "commute"):
        check_archive(archives / name)


def test_an_unreachable_scheduler_is_one_line_and_writes_nothing(tmp_path: Path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    path = jobs_file(tmp_path, job("Solar", str(SAMPLE)))
    code, out, err = finish(batch(path, "--scheduler", f"tcp://127.0.0.1:{port}"))
    assert code == 1, err
    (line,) = err.strip().splitlines()
    assert f"tcp://127.0.0.1:{port}" in line and "`dask scheduler`" in line
    assert not (tmp_path / "archives").exists() and out == ""

    # the same from the jobs file, and from BRIEFING_SCHEDULER
    path.write_text(f'scheduler = "tcp://127.0.0.1:{port}"\n' + path.read_text())
    code, _, err = finish(batch(path))
    assert code == 1 and f"tcp://127.0.0.1:{port}" in err and "Traceback" not in err
    code, _, err = finish(batch(path, "--workers", "2"))
    assert code == 2 and "--workers" in err
