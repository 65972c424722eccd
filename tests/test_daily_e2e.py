"""`briefing daily` end to end: the real CLI, real speech, real ffmpeg; concurrency and kills."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest

from briefing.config import load_config
from briefing.daily.run import publish
from tests.bad_input_cases import default_sigint
from tests.conftest import SAMPLE
from tests.episodes import fake_episode
from tests.probe import ffprobe

pytestmark = pytest.mark.e2e

# Retention counts from the real today (a --date never decides what is removed), so the
# runs here are dated today and the earlier episodes so many days before it.
DAY = dt.date.today()


def ago(days: int) -> str:
    return (DAY - dt.timedelta(days=days)).isoformat()

LOCKED = "another `briefing daily` is running"


def write_config(tmp_path: Path, source: Path = SAMPLE, retention: int = 14) -> Path:
    config = tmp_path / "briefing.toml"
    config.write_text(f"""[briefing]
title = "Test Briefing"
minutes = 0.5
output_dir = "{tmp_path / 'output'}"
retention_days = {retention}
feed_base_url = "http://127.0.0.1:8000/"
offline = true

[[sources]]
location = "{source}"
max_stories = 1
""")
    return config


def daily(config: Path, *args: str, cache: bool = True) -> subprocess.Popen[str]:
    # cache=False for a run to be killed mid-speech: with every line cached (an earlier test
    # made the same script) it finishes before the signal lands
    env = {**os.environ, **({} if cache else {"BRIEFING_NO_CACHE": "1"})}
    return subprocess.Popen([sys.executable, "-m", "briefing", "daily", "--config", str(config),
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, preexec_fn=default_sigint)


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def feed_matches_files(out: Path) -> int:
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    for entry in parsed.entries:
        enclosure = entry.enclosures[0]
        path = out / enclosure.href.removeprefix("http://127.0.0.1:8000/")
        assert int(enclosure.length) == path.stat().st_size
        assert enclosure.type == "audio/mpeg"
    return len(parsed.entries)


def test_runs_at_once_and_in_a_row_make_one_episode(tmp_path: Path):
    config = write_config(tmp_path)
    out = tmp_path / "output"
    runs = [daily(config, "--date", DAY.isoformat()), daily(config, "--date", DAY.isoformat()),
            daily(config, "--date", DAY.isoformat(), "--wait")]
    results = [finish(p) for p in runs]
    made = [r for r in results if r[0] == 0 and r[1].strip().endswith(".mp3")
            and "Made " in r[2]]
    assert len(made) == 1, results
    for (code, _, err), waited in zip(results, (False, False, True), strict=True):
        if (code, _, err) in made:
            continue
        if waited:
            assert code == 0 and "already has an episode" in err, err
        else:
            assert code == 1 and LOCKED in err and "Traceback" not in err, err
    episodes = list(out.glob("*/*.mp3"))
    assert len(episodes) == 1
    info = ffprobe(episodes[0])
    assert info["streams"][0]["codec_name"] == "mp3"
    assert 20 <= float(info["format"]["duration"]) <= 60
    assert feed_matches_files(out) == 1

    # again the same day: nothing to do
    before = snapshot(out)
    code, stdout, err = finish(daily(config, "--date", DAY.isoformat()))
    assert code == 0 and "nothing to do" in err and stdout.strip() == str(episodes[0])
    assert snapshot(out).keys() == before.keys()
    assert (out / episodes[0].relative_to(out)).read_bytes() == before[
        episodes[0].relative_to(out).as_posix()]
    # the next day, the same story: no empty episode
    code, stdout, err = finish(daily(config, "--date", (DAY + dt.timedelta(days=1)).isoformat()))
    assert code == 0 and "Nothing new" in err and stdout == ""
    assert not (out / ago(-1)).exists()
    assert (out / "latest.mp3").read_bytes() == episodes[0].read_bytes()
    log = Path(os.environ["BRIEFING_HOME"]) / "state" / "daily.log"
    assert f"already spoken on {DAY.isoformat()}" in log.read_text()


def wait_for_staging(out: Path, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if list(out.glob(f"*/.briefing-tmp-{proc.pid}-*/*")):
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    raise AssertionError("the run never started staging an episode")


def test_killed_runs_leave_the_archive_and_the_next_run_succeeds(tmp_path: Path):
    config_path = write_config(tmp_path, retention=14)
    out = tmp_path / "output"
    for days in (20, 14, 3):
        fake_episode(out, (DAY - dt.timedelta(days=days)).isoformat(), "earlier")
    publish(out, load_config(config_path))
    before = snapshot(out)
    assert len(before) > 20

    # SIGKILL in the middle of speaking: nothing of the archive changes
    proc = daily(config_path, "--date", DAY.isoformat(), cache=False)
    wait_for_staging(out, proc)
    time.sleep(0.5)
    proc.kill()
    proc.communicate(timeout=30)
    after = snapshot(out)
    assert {k: v for k, v in after.items() if k in before} == before
    assert all(".briefing-tmp-" in k for k in set(after) - set(before)), set(after) - set(before)

    # SIGTERM: exit 143 with the temporary files removed; the dead run's lock is taken over
    proc = daily(config_path, "--date", DAY.isoformat(), cache=False)
    wait_for_staging(out, proc)
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    code, _, err = finish(proc)
    assert code == 143, err
    assert "Terminated." in err and not re.search(r'File ".*/briefing/', err), err
    assert "stale lock" in err
    assert snapshot(out) == before
    assert not list(out.rglob(".briefing-*"))

    # SIGINT (Ctrl-C): exit 130, likewise clean
    proc = daily(config_path, "--date", DAY.isoformat(), cache=False)
    wait_for_staging(out, proc)
    proc.send_signal(signal.SIGINT)
    code, _, err = finish(proc)
    assert code == 130, err
    # no traceback at all: not ours, and not a speech worker's (they ignore Ctrl-C, and
    # the run stops them as it unwinds)
    assert "Interrupted." in err and "Traceback" not in err, err
    assert snapshot(out) == before

    # the next run cleans up, makes the episode and retires exactly the old one
    code, stdout, err = finish(daily(config_path, "--date", DAY.isoformat()))
    assert code == 0, err
    made = Path(stdout.strip())
    assert made.parent.name == DAY.isoformat() and made.is_file()
    assert f"Removed 1 old episode(s): {ago(20)}/earlier.mp3" in err
    assert sorted(p.parent.name for p in out.glob("*/*.mp3")) == [
        ago(14), ago(3), ago(0)]
    assert feed_matches_files(out) == 3
    assert not list(out.rglob(".briefing-*"))
    for name in (f"{ago(14)}/earlier.mp3", f"{ago(3)}/earlier.mp3"):
        assert (out / name).read_bytes() == before[name]
