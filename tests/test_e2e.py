"""End to end: the real CLI, the real speech engine, real ffmpeg; the real file is checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FEEDS, GLUED, SAMPLE, SEED, SHARED_FEEDS, needs_seed, needs_shared_feeds
from tests.probe import ffprobe, loudness, speech_onsets

pytestmark = pytest.mark.e2e

BOILERPLATE = ("LEAVE A REPLY", "Please enter your comment", "Please enter your name")


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        input=stdin.decode() if stdin else None, capture_output=True, text=True,
        cwd=cwd, env={**os.environ, **(env or {})}, timeout=600,
    )
    return proc


@pytest.fixture(scope="module")
def sample_episode(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("e2e") / "brief.mp3"
    home = tmp_path_factory.mktemp("home")
    proc = run_cli("make", str(SAMPLE), "-o", str(out), "--minutes", "2",
                   "--date", "2026-11-28", env={"BRIEFING_HOME": str(home)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    return out


def test_mp3_is_mono_44k_mp3_of_the_requested_length(sample_episode: Path):
    info = ffprobe(sample_episode)
    stream = info["streams"][0]
    assert stream["codec_name"] == "mp3"
    assert stream["channels"] == 1
    assert stream["sample_rate"] == "44100"
    assert 64_000 <= int(info["format"]["bit_rate"]) <= 96_500
    duration = float(info["format"]["duration"])
    assert 120 * 0.9 <= duration <= 120 * 1.1, duration


def test_tags_and_chapters(sample_episode: Path):
    info = ffprobe(sample_episode)
    tags = {k.lower(): v for k, v in info["format"]["tags"].items()}
    assert tags["artist"] == "Morning Briefing"
    assert tags["album"] == "Morning Briefing"
    # the day and the lead story: the show's name is the artist and album already
    assert tags["title"] == ("Saturday, November 28, 2026: Riverton switches on the region’s "
                             "largest community solar farm")
    # the source is named by its file name, never by where it sits on this machine
    assert tags["comment"] == "Sources: community-solar.txt"
    assert tags["date"].startswith("2026-11-28")
    assert tags["genre"] == "Podcast"
    titles = [c["tags"]["title"] for c in info["chapters"]]
    assert titles[0] == "Intro" and titles[-1] == "Outro" and len(titles) == 3
    starts = [float(c["start_time"]) for c in info["chapters"]]
    assert starts == sorted(starts)


def test_loudness_is_podcast_standard(sample_episode: Path):
    integrated, peak = loudness(sample_episode)
    assert -17.0 <= integrated <= -15.0
    assert peak <= -1.0


def test_duration_is_the_sum_of_segments_and_pauses(sample_episode: Path):
    manifest = json.loads(sample_episode.with_suffix(".json").read_text())
    info = ffprobe(sample_episode)
    # ffprobe counts whole MP3 frames from the encoder's delay on; players skip that delay
    start = float(info["streams"][0].get("start_time", 0))
    duration = (float(info["format"]["duration"]) - start) * 1000
    assert abs(duration - manifest["duration_ms"]) <= 50


def test_subtitles_follow_the_voice(sample_episode: Path):
    manifest = json.loads(sample_episode.with_suffix(".json").read_text())
    onsets = speech_onsets(sample_episode)
    assert onsets
    starts = [s["start_ms"] / 1000 for s in manifest["segments"]]
    # every sentence's cue starts within 150 ms of a detected speech onset
    for start in starts[1:]:
        nearest = min(onsets, key=lambda t: abs(t - start))
        assert abs(nearest - start) <= 0.150, (start, nearest)
    vtt = sample_episode.with_suffix(".vtt").read_text()
    assert vtt.startswith("WEBVTT") and vtt.count("-->") == len(starts)


def test_sidecars_and_script_have_no_boilerplate(sample_episode: Path):
    stem = sample_episode.with_suffix("")
    for suffix in (".txt", ".json", ".vtt", ".srt", ".chapters.json"):
        assert stem.with_name(stem.name + suffix).is_file(), suffix
    text = sample_episode.with_suffix(".txt").read_text()
    assert not any(b in text for b in BOILERPLATE)
    assert "Riverton Ledger" in text
    for glued in ("region,a", "town’selectricity", "andkeep", "thatit", "forlow-income"):
        assert glued not in text


def test_glued_article_from_stdin_to_default_destination(tmp_path: Path):
    # our seed-like article (the seed itself needs ../shared; the path is the same)
    proc = run_cli("make", "-", "--minutes", "1", "--date", "2026-11-28",
                   stdin=GLUED.read_bytes(), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    mp3 = Path(proc.stdout.strip())
    assert mp3.parent == (tmp_path / "output" / "2026-11-28").resolve()
    info = ffprobe(mp3)
    assert info["streams"][0]["codec_name"] == "mp3"
    assert 60 * 0.75 <= float(info["format"]["duration"]) <= 60 * 1.25
    text = mp3.with_suffix(".txt").read_text()
    assert not any(b in text for b in BOILERPLATE)
    assert "Norway’sferry" not in text and "Norway’s ferry" in text
    assert [p for p in mp3.parent.iterdir() if p.name.startswith(".")] == []


def test_five_minutes_is_five_minutes(tmp_path: Path):
    out = tmp_path / "long.mp3"
    proc = run_cli("make", str(GLUED), str(SAMPLE), "-o", str(out), "--minutes", "5")
    assert proc.returncode == 0, proc.stderr
    duration = float(ffprobe(out)["format"]["duration"])
    assert 300 * 0.9 <= duration <= 300 * 1.1, duration
    assert len(ffprobe(out)["chapters"]) == 4


@pytest.mark.parametrize(("path", "site", "author"), [
    (GLUED, "Fjordline Weekly", "Annika Sørlie"),
    pytest.param(SEED, "People’s Daily", "Li Tielin", marks=needs_seed),
], ids=["glued", "seed"])  # fmt: skip
def test_script_and_extract_commands(path: Path, site: str, author: str):
    proc = run_cli("script", str(path))
    assert proc.returncode == 0, proc.stderr
    assert site in proc.stdout
    assert not any(b in proc.stdout for b in BOILERPLATE)
    proc = run_cli("extract", "--json", str(path))
    data = json.loads(proc.stdout)
    assert data["author"] == author
    assert "LEAVE A REPLY" not in data["text"]


def test_voices_and_doctor():
    proc = run_cli("voices")
    assert proc.returncode == 0
    assert "en-us" in proc.stdout
    proc = run_cli("doctor")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ffmpeg" in proc.stdout and "espeak" in proc.stdout


def test_bundled_ffmpeg_wheel_works(tmp_path: Path):
    """The pip-only path: ffmpeg from imageio-ffmpeg, even when the system has one."""
    import imageio_ffmpeg

    out = tmp_path / "wheel.mp3"
    proc = run_cli("make", str(SAMPLE), "-o", str(out), "--minutes", "0.5",
                   env={"BRIEFING_FFMPEG": imageio_ffmpeg.get_ffmpeg_exe()})
    assert proc.returncode == 0, proc.stderr
    assert ffprobe(out)["streams"][0]["codec_name"] == "mp3"


@pytest.mark.parametrize("feed", [
    FEEDS / "news.rss", pytest.param(SHARED_FEEDS / "guardian.rss", marks=needs_shared_feeds),
], ids=["ours", "guardian"])  # fmt: skip
def test_three_feed_stories_offline_make_three_chapters(tmp_path: Path, feed: Path):
    out = tmp_path / "stories.mp3"
    proc = run_cli("make", str(feed), "--offline", "--max-stories", "3", "--minutes", "2",
                   "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    info = ffprobe(out)
    titles = [c["tags"]["title"] for c in info["chapters"]]
    assert len(titles) == 5 and titles[0] == "Intro" and titles[-1] == "Outro"
    integrated, peak = loudness(out)
    assert -17.0 <= integrated <= -15.0 and peak <= -1.0
    # even from start to end: each chapter's loudness within 3 LU of the whole
    for chapter in info["chapters"][1:-1]:
        part = tmp_path / "part.wav"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(out), "-ss",
                        chapter["start_time"], "-to", chapter["end_time"], str(part)], check=True)
        assert abs(loudness(part)[0] - integrated) <= 3.0


def test_intro_file_music_bed_and_cover(tmp_path: Path):
    music, intro = tmp_path / "music.mp3", tmp_path / "intro.ogg"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=f=220:d=5",
                    "-f", "lavfi", "-i", "sine=f=330:d=5", "-filter_complex", "amix=inputs=2",
                    str(music)], check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=2", str(intro)],
                   check=True)
    config = tmp_path / "briefing.toml"
    config.write_text(f'[briefing]\nmusic_bed = "{music}"\nintro_audio = "{intro}"\n')
    # the episode may not take the music bed's name: it is one of the run's inputs
    refused = run_cli("make", str(SAMPLE), "-o", str(music), "--minutes", "0.5", "--config",
                      str(config), "--force")
    assert refused.returncode == 1 and f"{music} is one of this run's sources" in refused.stderr
    out = tmp_path / "with-music.mp3"
    proc = run_cli("make", str(SAMPLE), "-o", str(out), "--minutes", "0.5", "--config",
                   str(config))
    assert proc.returncode == 0, proc.stderr
    info = ffprobe(out)
    assert [s["codec_name"] for s in info["streams"]] == ["mp3", "png"]
    assert info["streams"][1]["disposition"]["attached_pic"] == 1
    integrated, peak = loudness(out)
    assert -17.0 <= integrated <= -15.0 and peak <= -1.0
    # the bed plays under everything (it fades out over the last seconds): no silence
    # between sentences
    end = float(info["format"]["duration"])
    assert [t for t in speech_onsets(out, noise_db=-60) if t < end - 4] == []


def test_stereo_and_bitrate_options(tmp_path: Path):
    out = tmp_path / "stereo.mp3"
    proc = run_cli("make", str(SAMPLE), "-o", str(out), "--minutes", "0.3", "--stereo",
                   "--bitrate", "96k", "--pitch", "60")
    assert proc.returncode == 0, proc.stderr
    info = ffprobe(out)
    assert info["streams"][0]["channels"] == 2
    assert int(info["streams"][0]["bit_rate"]) == 96_000


def test_python_api_from_a_plain_script(tmp_path: Path):
    """A script calling make_briefing needs no `if __name__ == "__main__":` guard: speech
    workers are fresh interpreters that never import the caller's main module."""
    out = tmp_path / "api.mp3"
    script = tmp_path / "make_it.py"
    script.write_text(
        "from briefing import make_briefing\n"
        "print('main module ran')\n"  # printed twice if a worker imported this file
        f"episode = make_briefing([{str(SAMPLE)!r}], output={str(out)!r}, minutes=1)\n"
        "print(episode.mp3)\n",
        encoding="utf-8",
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["main module ran", str(out)]
    assert "Traceback" not in proc.stderr
    assert ffprobe(out)["streams"][0]["codec_name"] == "mp3"


def test_chinese_is_read_by_a_chinese_voice_not_spelled_out_by_the_english_one(tmp_path: Path):
    """espeak-ng's sit/cmn lists zh; the English voice once spent 219 s on one line of it."""
    story = tmp_path / "metro.txt"
    story.write_text("北京市政府星期一宣布，新的地铁线路将于明年开通。这条线路连接城市东部和西部。"
                     "乘客每天可以节省半个小时。\n", encoding="utf-8")
    out = tmp_path / "out" / "metro.mp3"
    proc = run_cli("make", str(story), "-o", str(out), "--minutes", "0.3",
                   env={"BRIEFING_HOME": str(tmp_path / "home")})
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads(out.with_suffix(".json").read_text())
    chinese = [s for s in manifest["segments"] if s["language"] == "zh"]
    assert chinese and all(s["end_ms"] - s["start_ms"] < 20_000 for s in chinese), chinese
    assert float(ffprobe(out)["format"]["duration"]) < 60


def test_render_of_an_unedited_script_is_makes_mp3_byte_for_byte(tmp_path: Path):
    """Issue 16 #7, with the real engine and two sources: same summary line, same bytes."""
    other = tmp_path / "harbour.txt"
    other.write_text("Harbour Plan Approved\n\nHarbour officials approved a plan on Monday to "
                     "rebuild the old pier. The work will cost about four million dollars.\n")
    common = ("--minutes", "0.5", "--date", "2026-11-28")
    made = run_cli("make", str(SAMPLE), str(other), "-o", str(tmp_path / "made.mp3"), *common)
    assert made.returncode == 0, made.stderr
    script = run_cli("script", str(SAMPLE), str(other), "--format", "md", *common)
    (tmp_path / "brief.md").write_text(script.stdout, encoding="utf-8")
    rendered = run_cli("render", str(tmp_path / "brief.md"), "-o", str(tmp_path / "again.mp3"))
    assert rendered.returncode == 0, rendered.stderr
    summary = [ln for ln in made.stderr.splitlines() if ln.startswith("Made ")]
    assert summary and rendered.stderr.strip().splitlines()[-1] == summary[0]
    assert (tmp_path / "made.mp3").read_bytes() == (tmp_path / "again.mp3").read_bytes()
