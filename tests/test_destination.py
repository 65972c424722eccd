"""Where an episode lands: never over a source or a stranger's file, all of its files or none,
and staging folders swept only when their run is dead."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.errors import DestinationError, OutputError
from briefing.lock import archive_lock
from briefing.publish import archive, files
from tests.clirun import RAIL, run, write
from tests.episodes import fake_episode

DAY = "2024-01-03"
SIDECARS = (".txt", ".json", ".vtt", ".srt", ".chapters.json")


def make(*args: str, cwd: Path | None = None):
    return run("make", *args, "--minutes", "0.3", "--date", DAY, cwd=cwd)


# --- 1. a sidecar never replaces a source or a file that is not a briefing's ------------------


@pytest.mark.parametrize("suffix", SIDECARS)
def test_a_sidecar_that_would_replace_the_input_is_refused_before_speaking(
        tone, tmp_path: Path, suffix: str) -> None:
    story = write(tmp_path / "out" / "g", f"story{suffix}", RAIL)  # read as text, any suffix
    before = story.read_bytes()
    ran = make(str(story), "-o", str(tmp_path / "out" / "g" / "story.mp3"))
    assert ran.code == 1
    line = ran.error_line
    assert str(story) in line and "sources" in line and "-o" in line
    assert story.read_bytes() == before
    assert tone.calls == []  # refused before any speech work
    assert sorted(p.name for p in story.parent.iterdir()) == [story.name]


def test_a_file_that_is_not_a_briefing_is_refused_and_force_replaces_it(
        tone, tmp_path: Path) -> None:
    story = write(tmp_path, "rail.txt", RAIL)
    notes = write(tmp_path / "out", "brief.vtt", "my own subtitles\n")
    ran = make(str(story), "-o", str(tmp_path / "out" / "brief.mp3"))
    assert ran.code == 1 and str(notes) in ran.error_line and "--force" in ran.error_line
    assert notes.read_text() == "my own subtitles\n" and tone.calls == []
    assert sorted(p.name for p in notes.parent.iterdir()) == ["brief.vtt"]
    forced = make(str(story), "-o", str(tmp_path / "out" / "brief.mp3"), "--force")
    assert forced.code == 0, forced.err
    assert notes.read_text().startswith("WEBVTT")


def test_an_mp3_that_is_not_a_briefing_is_refused(tone, tmp_path: Path) -> None:
    story = write(tmp_path, "rail.txt", RAIL)
    song = tmp_path / "song.mp3"
    song.write_bytes(b"ID3 not ours")
    ran = make(str(story), "-o", str(song))
    assert ran.code == 1 and str(song) in ran.error_line
    assert song.read_bytes() == b"ID3 not ours"


def test_an_earlier_briefing_at_the_o_path_is_replaced(tone, tmp_path: Path) -> None:
    story = write(tmp_path, "rail.txt", RAIL)
    first = make(str(story), "-o", str(tmp_path / "brief.mp3"))
    assert first.code == 0, first.err
    again = make(str(story), "-o", str(tmp_path / "brief.mp3"), "--minutes", "0.5")
    assert again.code == 0, again.err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["rail.txt", "brief.mp3", *(f"brief{s}" for s in SIDECARS)])


def test_claim_units(tmp_path: Path) -> None:
    mp3 = fake_episode(tmp_path / "out", DAY, "brief")
    assert files.from_briefing(mp3)
    files.claim(mp3)  # an earlier briefing: fine
    with pytest.raises(DestinationError, match="sources"):
        files.claim(mp3, inputs=[mp3.with_suffix(".txt")], force=True)  # never, even forced
    other = tmp_path / "other.mp3"
    other.with_suffix(".json").write_text('{"date": "2024-01-01"}')  # JSON, not a manifest
    with pytest.raises(DestinationError, match=r"other\.json"):
        files.claim(other)
    files.claim(other, force=True)
    with pytest.raises(DestinationError, match=r"end in \.mp3"):
        files.claim(tmp_path / "x.wav")


# --- 16#3, 16#4: a free name without -o; -o makes at most one folder ---------------------------


def test_without_o_a_taken_name_gives_a_numbered_one(tone, tmp_path: Path) -> None:
    story = write(tmp_path, "rail.txt", RAIL)
    names = []
    for _ in range(3):
        ran = make(str(story), "--output-dir", str(tmp_path / "out"))
        assert ran.code == 0, ran.err
        names.append(Path(ran.out.strip()).name)
    assert names == ["rail-line-reopens.mp3", "rail-line-reopens-2.mp3",
                     "rail-line-reopens-3.mp3"]
    assert len(archive.scan(tmp_path / "out")) == 3


def test_o_creates_one_missing_folder_not_a_tree(tone, tmp_path: Path) -> None:
    story = write(tmp_path, "rail.txt", RAIL)
    one = make(str(story), "-o", str(tmp_path / "new" / "brief.mp3"))
    assert one.code == 0, one.err
    assert (tmp_path / "new" / "brief.mp3").is_file()
    spoken = len(tone.calls)
    deep = make(str(story), "-o", str(tmp_path / "a" / "b" / "c" / "brief.mp3"))
    assert deep.code == 1
    assert str(tmp_path / "a" / "b") in deep.error_line and "does not exist" in deep.error_line
    assert not (tmp_path / "a").exists() and len(tone.calls) == spoken


# --- 4. all files of one episode or none; the error names the path ---------------------------


def test_a_sidecar_path_that_is_a_folder_is_refused_before_speaking(tone, tmp_path: Path) -> None:
    story = write(tmp_path, "rail.txt", RAIL)
    (tmp_path / "x.json").mkdir()
    ran = make(str(story), "-o", str(tmp_path / "x.mp3"))
    assert ran.code == 1 and str(tmp_path / "x.json") in ran.error_line
    assert "folder" in ran.error_line and tone.calls == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rail.txt", "x.json"]


def _staged(folder: Path, names: list[str]) -> dict[Path, Path]:
    folder.mkdir(exist_ok=True)
    staged = {}
    for name in names:
        src = folder / f"new-{name}"
        src.write_text(f"new {name}")
        staged[src] = folder.parent / name
    return staged


def test_commit_failing_half_way_puts_every_file_back(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    names = ["e.txt", "e.vtt", "e.json", "e.mp3"]
    for name in names[:3]:
        (tmp_path / name).write_text(f"old {name}")  # an earlier episode, but no MP3 yet
    real_replace = os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(13, "Permission denied", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", failing)
    with pytest.raises(OutputError, match=r"e\.json.*Permission denied.*nothing was changed"):
        files.commit(_staged(tmp_path / "stage", names), backup_dir=tmp_path / "stage")
    monkeypatch.setattr(files.os, "replace", real_replace)
    assert {p.name: p.read_text() for p in tmp_path.glob("e.*")} == {
        n: f"old {n}" for n in names[:3]}


def test_commit_interrupted_puts_every_file_back(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    names = ["e.txt", "e.vtt", "e.mp3"]
    real_replace = os.replace

    def interrupted(src, dst):
        if Path(dst).name == "e.mp3":
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.commit(_staged(tmp_path / "stage", names), backup_dir=tmp_path / "stage")
    assert not list(tmp_path.glob("e.*"))


def test_commit_into_a_folder_names_it(tmp_path: Path) -> None:
    (tmp_path / "e.json").mkdir()
    with pytest.raises(OutputError, match=r"e\.json: it is a folder"):
        files.commit(_staged(tmp_path / "stage", ["e.txt", "e.json", "e.mp3"]),
                     backup_dir=tmp_path / "stage")
    assert not (tmp_path / "e.txt").exists() and not (tmp_path / "e.mp3").exists()


# --- 3. only a dead run's staging is swept; make and daily share the output folder's lock ------


def _staging_name(pid: int, start: str) -> str:
    return f"{files.STAGING_PREFIX}{pid}-{start}-abc123"


def test_sweep_keeps_a_live_runs_staging_and_removes_dead_ones(tmp_path: Path) -> None:
    day = tmp_path / "out" / DAY
    me = os.getpid()
    live = day / _staging_name(me, files._start_ticks(me))
    dead = day / _staging_name(4194303, "1")  # above any default pid_max
    reused = day / _staging_name(me, "1")  # our pid, another process's start time
    legacy = day / f"{files.STAGING_PREFIX}k2j4h5"  # an older version's name
    for folder in (live, dead, reused, legacy):
        folder.mkdir(parents=True)
        (folder / "episode.wav").write_bytes(b"RIFF")
    files.sweep_staging(day)
    assert sorted(p.name for p in day.iterdir()) == [live.name]
    for folder in (dead, legacy):
        folder.mkdir()
    archive.sweep(tmp_path / "out")
    assert sorted(p.name for p in day.iterdir()) == [live.name]


def test_staging_names_its_owner(tmp_path: Path) -> None:
    with files.staging(tmp_path / "out") as tmp:
        assert tmp.name.startswith(f"{files.STAGING_PREFIX}{os.getpid()}-")
        assert files.owner_alive(tmp.name)
        files.sweep_staging(tmp_path / "out")
        assert tmp.is_dir()
    assert not (tmp_path / "out").exists()


def test_a_commit_waits_for_the_output_folders_lock(tmp_path: Path) -> None:
    """A daily run (here: the test) holds the lock of out/; a make into out/DAY/ waits."""
    story = write(tmp_path, "rail.txt", RAIL)
    out = tmp_path / "out"
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(BRIEFING_HOME=os.environ["BRIEFING_HOME"], BRIEFING_SYNTHESIZER="espeak-ng")
    with archive_lock(out):
        proc = subprocess.Popen(
            [sys.executable, "-m", "briefing", "make", str(story), "--output-dir", str(out),
             "--date", DAY, "--minutes", "0.2"], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        assert proc.stderr is not None
        waited = ""
        deadline = time.monotonic() + 120
        while "waiting" not in waited and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            waited += line
        assert "another briefing is writing into" in waited, waited
        time.sleep(0.5)
        assert proc.poll() is None and not list((out / DAY).glob("*.mp3"))
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert Path(stdout.strip()).is_file()
