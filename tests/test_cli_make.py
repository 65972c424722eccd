"""make, render and extract as a script would use them: skipped sources, honest summaries,
--json results with the README's schema, titles for every story, progress, playing."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.clirun import ARTICLE, RAIL, run, write
from tests.conftest import ROOT

DAY = "2024-01-03"


def make(*args: str):
    return run("make", *args, "--date", DAY)


# --- 1. a bad source is skipped with one line; --strict fails --------------------------------


def test_a_failing_source_is_skipped_with_one_warning(tone, tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt")
    gone = tmp_path / "gone.txt"
    ran = make(str(good), str(gone), "-o", str(tmp_path / "a.mp3"), "--minutes", "0.3")
    assert ran.code == 0, ran.err
    assert ran.out == f"{tmp_path / 'a.mp3'}\n"
    warnings = [ln for ln in ran.err.splitlines() if ln.startswith("WARNING:")]
    assert warnings == [f"WARNING: skipping a source: {gone}: no such file: check the path"]
    assert ran.err.splitlines()[-1].startswith("Made ")
    strict = make(str(good), str(gone), "-o", str(tmp_path / "b.mp3"), "--strict")
    assert strict.code == 1 and str(gone) in strict.error_line
    assert not (tmp_path / "b.mp3").exists()
    nothing = make(str(gone), str(tmp_path / "also-gone.txt"), "-o", str(tmp_path / "c.mp3"))
    assert nothing.code == 1 and str(gone) in nothing.error_line
    assert not (tmp_path / "c.mp3").exists()


def test_script_and_extract_skip_too(tone, tmp_path: Path) -> None:
    good, gone = write(tmp_path, "good.txt"), str(tmp_path / "gone.txt")
    for command in ("script", "extract"):
        ran = run(command, str(good), gone)
        assert ran.code == 0 and "Harbour" in ran.out and gone in ran.err, ran.err
        assert run(command, str(good), gone, "--strict").code == 1


# --- 2. a short episode says why ---------------------------------------------------------------


def test_a_short_episode_says_how_short_and_why(tone, tmp_path: Path) -> None:
    ran = make(str(write(tmp_path, "rail.txt", RAIL)), "-o", str(tmp_path / "a.mp3"),
               "--minutes", "5")
    assert ran.code == 0, ran.err
    words = len(RAIL.split()) - 3  # less the title line
    assert re.fullmatch(r"Made 0:\d\d of audio \(asked for 5:00: the sources had only 1 story, "
                        rf"{words} words\)\.", ran.err.strip()), ran.err
    enough = make(str(write(tmp_path, "rail.txt", RAIL)), "-o", str(tmp_path / "b.mp3"),
                  "--minutes", "0.2")
    assert re.fullmatch(r"Made 0:\d\d of audio: 1 story, 3 chapters\.", enough.err.strip())


# --- 7. render says what make says, and makes the same MP3 ------------------------------------


def test_render_prints_the_summary_line(tone, tmp_path: Path) -> None:
    story = write(tmp_path, "rail.txt", RAIL)
    made = make(str(story), "-o", str(tmp_path / "a.mp3"), "--minutes", "0.3")
    md = run("script", str(story), "--format", "md", "--date", DAY, "--minutes", "0.3")
    (tmp_path / "s.md").write_text(md.out)
    rendered = run("render", str(tmp_path / "s.md"), "-o", str(tmp_path / "b.mp3"))
    assert rendered.code == 0, rendered.err
    assert rendered.err == made.err and rendered.err.startswith("Made 0:")
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()


# --- 11. --json results, parsed against the schema the README documents ----------------------


def readme_schema(name: str) -> dict[str, str]:
    """The keys and types of a --json result, from the README's table for `name`."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index(f"<!-- schema: {name} -->"):]
    section = section[:section.index("<!-- /schema -->")]
    rows = [re.split(r"(?<!\\)\|", line) for line in section.splitlines()
            if line.startswith("| `")]
    return {cells[1].strip().strip("`"): cells[2].replace("\\|", "|").strip() for cells in rows}


TYPES = {"string": str, "number": (int, float), "integer": int, "boolean": bool, "list": list,
         "object": dict, "null": type(None)}


def check(data: Any, schema: dict[str, str], prefix: str = "") -> None:
    """Every documented key is there with its documented type, and nothing else is."""
    own = {k[len(prefix):]: v for k, v in schema.items()
           if k.startswith(prefix) and "." not in k[len(prefix):]}
    assert set(data) == set(own), (prefix, sorted(data), sorted(own))
    for key, value in data.items():
        kinds = tuple(TYPES[t.strip()] for t in own[key].split("|"))
        assert isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds), (
            prefix + key, value)
        if isinstance(value, list) and any(k.startswith(f"{prefix}{key}[].") for k in schema):
            for item in value:
                check(item, schema, f"{prefix}{key}[].")
        if isinstance(value, dict) and any(k.startswith(f"{prefix}{key}.") for k in schema):
            check(value, schema, f"{prefix}{key}.")


def test_make_and_render_json(tone, tmp_path: Path) -> None:
    story, gone = write(tmp_path, "rail.txt", RAIL), str(tmp_path / "gone.txt")
    ran = make(str(story), gone, "-o", str(tmp_path / "a.mp3"), "--minutes", "0.3", "--json")
    assert ran.code == 0, ran.err
    data = json.loads(ran.out)
    check(data, readme_schema("episode"))
    assert data["path"] == str(tmp_path / "a.mp3") and Path(data["path"]).is_file()
    assert [s["title"] for s in data["stories"]] == ["Rail Line Reopens"]
    assert data["asked_s"] == 18 and 5 < data["duration_s"] < 40
    assert data["chapters"][0]["title"] == "Intro" and data["chapters"][0]["start_s"] == 0
    assert len(data["warnings"]) == 1 and gone in data["warnings"][0]
    assert sorted(Path(p).name for p in data["sidecars"]) == [
        "a.chapters.json", "a.json", "a.srt", "a.txt", "a.vtt"]
    md = run("script", str(story), "--format", "md", "--date", DAY, "--minutes", "0.3")
    (tmp_path / "s.md").write_text(md.out)
    rendered = run("render", str(tmp_path / "s.md"), "-o", str(tmp_path / "b.mp3"), "--json",
                   "-q")
    assert rendered.code == 0 and rendered.err == ""
    again = json.loads(rendered.out)
    check(again, readme_schema("episode"))
    assert again["asked_s"] is None and again["stories"] == data["stories"]


def test_extract_json_is_one_object_per_line(tmp_path: Path) -> None:
    one = run("extract", str(write(tmp_path, "a.txt")), "--json")
    two = run("extract", str(write(tmp_path, "a.txt")), str(write(tmp_path, "b.txt", RAIL)),
              "--json")
    for ran, count in ((one, 1), (two, 2)):
        assert ran.code == 0, ran.err
        rows = [json.loads(line) for line in ran.out.splitlines()]
        assert len(rows) == count
        for row in rows:
            check(row, readme_schema("extract"))
    assert [r["title"] for r in map(json.loads, two.out.splitlines())] == [
        "Harbour Plan Approved", "Rail Line Reopens"]


def test_doctor_and_cache_info_json() -> None:
    doctor = run("doctor", "--json")
    data = json.loads(doctor.out)
    check(data, readme_schema("doctor"))
    assert doctor.code == (0 if data["ok"] else 1)
    assert {"ffmpeg", "libespeak-ng"} <= {c["name"] for c in data["checks"]}
    cache = run("cache", "info", "--json")
    assert cache.code == 0
    check(json.loads(cache.out), readme_schema("cache info"))


# --- 10. every story has a title ----------------------------------------------------------------


def test_a_story_without_a_title_gets_its_first_sentence(tmp_path: Path) -> None:
    untitled = write(tmp_path, "notes.txt", ARTICLE.split("\n", 2)[2])
    ran = run("extract", str(untitled), "--json")
    title = json.loads(ran.out)["title"]
    assert title == "Harbour officials approved a plan on Monday to rebuild the old pier"
    long = write(tmp_path, "long.txt", "word " * 5 + "x" * 10 + " and then a very long sentence "
                 "that goes on and on well past any headline length at all. Next one here.")
    cut = json.loads(run("extract", str(long), "--json").out)["title"]
    assert cut.endswith("…") and len(cut) <= 71 and not cut[:-1].endswith(" ")
    from briefing.clean.title import titled
    from briefing.models import Article

    assert titled(Article("", source="/x/notes.txt")).title == "notes.txt"
    assert titled(Article("Text.", title="Own")).title == "Own"


# --- 15. open and --play ------------------------------------------------------------------------


@pytest.fixture
def player(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in player: writes what it was asked to play."""
    played = tmp_path / "played.txt"
    script = tmp_path / "bin" / "fakeplay"
    script.parent.mkdir()
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> {played}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("BRIEFING_PLAYER", f"{script} --volume 50")
    return played


def test_open_plays_the_newest_episode_or_the_one_given(tone, tmp_path: Path, player: Path
                                                        ) -> None:
    from tests.episodes import fake_episode

    out = tmp_path / "out"
    fake_episode(out, "2024-01-02", "older")
    newest = fake_episode(out, "2024-01-03", "newest")
    ran = run("open", "--output-dir", str(out))
    assert ran.code == 0 and ran.out == f"{newest}\n", ran.err
    older = out / "2024-01-02" / "older.mp3"
    assert run("open", str(older)).code == 0
    assert player.read_text().splitlines() == [f"--volume 50 {newest}", f"--volume 50 {older}"]
    made = make(str(write(tmp_path, "rail.txt", RAIL)), "-o", str(tmp_path / "a.mp3"),
                "--minutes", "0.2", "--play")
    assert made.code == 0 and player.read_text().splitlines()[-1].endswith("a.mp3")


def test_no_player_is_one_line(tone, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.episodes import fake_episode

    mp3 = fake_episode(tmp_path / "out", "2024-01-02")
    monkeypatch.delenv("BRIEFING_PLAYER", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    ran = run("open", str(mp3))
    assert ran.code == 1
    assert "no audio player found" in ran.error_line and "BRIEFING_PLAYER" in ran.error_line
    nothing = run("open", "--output-dir", str(tmp_path / "none"))
    assert nothing.code == 1 and "no episode" in nothing.error_line
    monkeypatch.setenv("PATH", os.defpath)
    made = make(str(write(tmp_path, "rail.txt", RAIL)), "-o", str(tmp_path / "a.mp3"),
                "--minutes", "0.2", "--play")
    warnings = [ln for ln in made.err.splitlines() if ln.startswith("WARNING:")]
    assert made.code == 0 and len(warnings) == (0 if _any_player() else 1), made.err


def _any_player() -> bool:
    from briefing.player import find_player

    return find_player() is not None


# --- 16. a line per stage in logs; -q silences ----------------------------------------------------


def test_a_multi_source_make_logs_one_line_per_stage(tone, tmp_path: Path) -> None:
    a, b = write(tmp_path, "a.txt"), write(tmp_path, "b.txt", RAIL)
    ran = make(str(a), str(b), "-o", str(tmp_path / "x.mp3"), "--minutes", "0.3")
    assert ran.code == 0, ran.err
    stages = [ln for ln in ran.err.splitlines() if ln.startswith("INFO: ")]
    assert stages == [f"INFO: Reading 2 sources: {a}, {b}", "INFO: Writing the script",
                      stages[2], "INFO: Writing the episode's files"], ran.err
    assert re.fullmatch(r"INFO: Speaking \d+ lines", stages[2])
    single = make(str(a), "-o", str(tmp_path / "y.mp3"), "--minutes", "0.3")
    assert not [ln for ln in single.err.splitlines() if ln.startswith("INFO: ")]
    verbose = make(str(a), "-o", str(tmp_path / "z.mp3"), "--minutes", "0.3", "-v")
    assert "INFO: Writing the script" in verbose.err


def test_on_a_terminal_each_stage_gets_a_bar(tmp_path: Path) -> None:
    """stderr on a pseudo-terminal: bars for reading and speaking, the other stages named."""
    import pty
    import subprocess
    import sys

    a, b = write(tmp_path, "a.txt"), write(tmp_path, "b.txt", RAIL)
    main, side = pty.openpty()
    env = {**os.environ, "COLUMNS": "100"}
    proc = subprocess.run(
        [sys.executable, "-m", "briefing", "make", str(a), str(b), "-o",
         str(tmp_path / "x.mp3"), "--minutes", "0.2", "--date", DAY],
        stdout=subprocess.PIPE, stderr=side, env=env, timeout=300)
    os.close(side)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the writer has gone
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    text = shown.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert re.search(r"Reading 2 sources\s+\[#+", text), text
    assert re.search(r"Speaking \d+ lines\s+\[#+", text), text
    assert "Writing the script…" in text and "Made 0:" in text
    assert "INFO:" not in text  # bars on a terminal, not log lines
