"""Names, atomic moves, transcripts and chapters files."""

import json
from pathlib import Path

import pytest

from briefing.errors import OutputError
from briefing.models import Chapter, Cue, Line, Script, Section
from briefing.publish import files, transcript


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("China’s NEV industry: a new era", "chinas-nev-industry-a-new-era"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c\0d", "a-b-c-d"),
        ("🚗🚗", "briefing"),
        ("", "briefing"),
        ("x" * 300, "x" * 60),
        ("word " * 100, ("word-" * 12).rstrip("-")),
    ],
)
def test_slugify_is_short_and_safe(title, slug):
    assert files.slugify(title) == slug


def test_inside_refuses_escapes(tmp_path):
    assert files.inside(tmp_path, tmp_path / "a" / "b.mp3") == (tmp_path / "a" / "b.mp3").resolve()
    with pytest.raises(OutputError):
        files.inside(tmp_path, tmp_path / ".." / "x.mp3")


def test_staging_leaves_nothing_behind_on_error(tmp_path):
    with pytest.raises(RuntimeError), files.staging(tmp_path) as tmp:
        (tmp / "half.mp3").write_bytes(b"x")
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []


def test_sweep_removes_leftovers_of_killed_runs(tmp_path):
    (tmp_path / (files.STAGING_PREFIX + "abc")).mkdir()
    (tmp_path / "keep.mp3").write_bytes(b"x")
    files.sweep_staging(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.mp3"]


def test_vtt_and_srt_timing_and_wrapping():
    cues = [Cue("Hello there.", 0, 1500), Cue("word " * 30, 1500, 62_001)]
    vtt = transcript.vtt(cues)
    assert vtt.startswith("WEBVTT\n")
    assert "00:00:00.000 --> 00:00:01.500" in vtt
    assert "00:00:01.500 --> 00:01:02.001" in vtt
    assert all(len(line) <= transcript.CUE_LINE_CHARS for line in vtt.splitlines())
    srt = transcript.srt(cues)
    assert srt.startswith("1\n00:00:00,000 --> 00:00:01,500\nHello there.\n")


def test_chapters_json_is_podcasting_2_format():
    data = json.loads(transcript.chapters_json(
        [Chapter("Intro", 0, 5000), Chapter("Story", 5000, 65_500, "https://example.org/a")]))
    assert data["version"] == "1.2.0"
    assert data["chapters"][1] == {"startTime": 5.0, "endTime": 65.5, "title": "Story",
                                   "url": "https://example.org/a"}


def test_transcript_lists_sections():
    script = Script("S", "S, today", "2026-11-28", "en",
                    (Section("Intro", (Line("Hi.", "host", "intro"),)),
                     Section("Story", (Line("One.",), Line("Two.",)), url="https://x.org/1")))
    text = transcript.transcript(script)
    assert "## Story\nhttps://x.org/1\nOne. Two.\n" in text


def test_commit_moves_files(tmp_path):
    staged = tmp_path / "s.txt"
    staged.write_text("x")
    final = tmp_path / "out" / "f.txt"
    final.parent.mkdir()
    files.commit({staged: final}, backup_dir=tmp_path)
    assert final.read_text() == "x" and not staged.exists()


def test_sample_paths_exist():
    assert (Path(__file__).parents[1] / "samples" / "community-solar.txt").is_file()


def test_chapter_frames_are_written_in_time_order_with_short_ids(tmp_path):
    """mutagen sorts frames by size: a long first title would put its CHAP frame last."""
    import json
    import shutil
    import subprocess

    from briefing.models import Chapter
    from briefing.publish.tags import write_tags
    from tests.episodes import fake_episode

    mp3 = fake_episode(tmp_path / "out", "2026-12-01")
    titles = ["A much longer first chapter title than any other " * 2, "Mid", "Outro"]
    chapters = [Chapter(t, i * 2000, (i + 1) * 2000) for i, t in enumerate(titles)]
    write_tags(mp3, title="T", show="S", date="2026-12-01", chapters=chapters)
    probe = shutil.which("ffprobe")
    assert probe, "the tests need ffprobe"
    out = subprocess.run([probe, "-v", "error", "-show_chapters", "-of", "json", str(mp3)],
                         capture_output=True, text=True, check=True).stdout
    found = json.loads(out)["chapters"]
    assert [c["tags"]["title"] for c in found] == titles
    assert [c["start_time"] for c in found] == ["0.000000", "2.000000", "4.000000"]
    from mutagen.id3 import ID3

    assert sorted(k for k in ID3(mp3) if k.startswith("CHAP")) == [
        "CHAP:ch0", "CHAP:ch1", "CHAP:ch2"]
