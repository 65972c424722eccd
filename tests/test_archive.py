"""The archive: episodes found by manifest, retention, latest.mp3, the M3U, leftovers swept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefing.publish import archive
from briefing.publish.files import STAGING_PREFIX
from tests.episodes import fake_episode


def test_scan_finds_complete_episodes_newest_first(tmp_path: Path):
    out = tmp_path / "output"
    fake_episode(out, "2026-01-01")
    fake_episode(out, "2026-01-03", "b")
    half = fake_episode(out, "2026-01-02", "half")
    half.unlink()  # a killed run: manifest in place, MP3 never moved in
    (out / "2026-01-04").mkdir()
    (out / "2026-01-04" / "orphan.mp3").write_bytes(b"x")  # MP3 without manifest
    (out / "notes").mkdir()
    episodes = archive.scan(out)
    assert [e.relpath for e in episodes] == ["2026-01-03/b.mp3", "2026-01-01/morning-briefing.mp3"]
    first = episodes[0]
    assert first.size == first.mp3.stat().st_size
    assert first.duration_ms == 6000 and first.chapters[1].url.startswith("https://")
    assert first.sidecar_relpath(".vtt") == "2026-01-03/b.vtt"


def test_scan_skips_a_broken_manifest(tmp_path: Path):
    out = tmp_path / "output"
    mp3 = fake_episode(out, "2026-01-01")
    mp3.with_suffix(".json").write_text("{not json")
    assert archive.scan(out) == ()
    assert archive.scan(tmp_path / "missing") == ()


def test_retention_removes_exactly_the_old_ones(tmp_path: Path):
    out = tmp_path / "output"
    today = dt.date(2026, 3, 20)
    for days in (20, 15, 14, 3, 0):
        fake_episode(out, (today - dt.timedelta(days=days)).isoformat())
    old = archive.expired(archive.scan(out), today, 14)
    assert sorted(e.date for e in old) == ["2026-02-28", "2026-03-05"]
    for e in old:
        archive.remove(e)
    assert sorted(e.date for e in archive.scan(out)) == ["2026-03-06", "2026-03-17", "2026-03-20"]
    assert not (out / "2026-02-28").exists()  # the day folder goes with its last episode
    assert archive.expired(archive.scan(out), today, 0) == []  # 0 keeps everything


def test_latest_and_playlist(tmp_path: Path):
    out = tmp_path / "output"
    fake_episode(out, "2026-01-01", seconds=3)
    newest = fake_episode(out, "2026-01-02", "new", seconds=4)
    episodes = archive.scan(out)
    archive.update_latest(out, episodes)
    assert (out / "latest.mp3").read_bytes() == newest.read_bytes()
    archive.update_latest(out, episodes)  # again: nothing to do, and no temp file left
    assert sorted(p.name for p in out.iterdir()) == ["2026-01-01", "2026-01-02", "latest.mp3"]
    path = archive.write_playlist(out, episodes)
    lines = path.read_text().splitlines()
    assert lines[0] == "#EXTM3U"
    assert lines[2:] == ["#EXTINF:4,Morning Briefing  2026-01-02", "2026-01-02/new.mp3",
                         "#EXTINF:3,Morning Briefing  2026-01-01",
                         "2026-01-01/morning-briefing.mp3"]
    archive.update_latest(out, ())
    assert not (out / "latest.mp3").exists()


def test_sweep_removes_leftovers_only(tmp_path: Path):
    out = tmp_path / "output"
    keep = fake_episode(out, "2026-01-01")
    (out / "2026-01-01" / f"{STAGING_PREFIX}abc").mkdir()
    (out / "2026-01-01" / f"{STAGING_PREFIX}abc" / "episode.wav").write_bytes(b"x")
    (out / f"{archive.TEMP_PREFIX}xyz").write_text("half a feed")
    (out / "2026-01-05").mkdir()  # created by a run killed before anything landed
    archive.sweep(out)
    assert sorted(p.name for p in out.iterdir()) == ["2026-01-01"]
    assert sorted(p.name for p in keep.parent.iterdir()) == sorted(
        ["morning-briefing" + s for s in (".mp3", *archive.SIDECARS)])


def test_write_atomic_leaves_no_temp_file(tmp_path: Path):
    target = tmp_path / "feed.xml"
    archive.write_atomic(target, "one")
    archive.write_atomic(target, b"two")
    assert target.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]
    assert oct(target.stat().st_mode & 0o777) == "0o644"
