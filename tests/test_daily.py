"""`briefing daily` as a library: once a day, one at a time, nothing repeated, old episodes retired.

These use a stand-in for the slow stages (plan, render) that writes a real MP3 with ffmpeg;
tests/test_daily_e2e.py runs the real engine through the real CLI.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import feedparser
import pytest

from briefing import daily, pipeline
from briefing.config import Config, SourceSpec
from briefing.daily.history import History, normalize_url, similarity, sketch
from briefing.daily.run import LOCK_FILE
from briefing.errors import BriefingError, ConfigError, DateError, LockedError, SourceError
from briefing.models import Article, Episode, Script
from briefing.paths import state_dir
from briefing.pipeline import Plan
from briefing.publish import archive
from briefing.publish.files import slugify
from tests.episodes import fake_episode

DAY = dt.date(2026, 3, 20)
STORIES = {
    "solar.txt": "The town switched on a solar farm owned by fourteen hundred households. "
                 "Members bought shares and the farm will cover much of the demand. "
                 "A battery stores the midday surplus for the evening peak.",
    "rail.txt": "The regional rail line will reopen next spring after two years of repairs. "
                "Trains will run every half hour between the coast and the capital. "
                "Tickets go on sale in January, the operator said on Monday.",
}


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> list[Sequence[Article]]:
    """Replace plan and render with fast fakes; returns the article lists that were 'spoken'."""
    spoken: list[Sequence[Article]] = []

    def plan(articles: Sequence[Article], config: Config, *, date: dt.date, **_: Any) -> Plan:
        spoken.append(articles)
        script = Script(show=config.title, title=f"{config.title}, {date}",
                        date=date.isoformat(), language="en", sections=())
        return Plan(tuple(articles), script)

    def render(script: Script, config: Config, *, sources: Sequence[str] = (),
               **_: Any) -> Episode:
        mp3 = fake_episode(Path(config.output_dir), script.date, slugify(script.show))
        return Episode(mp3=mp3, title=script.title, date=script.date, duration_ms=6000,
                       chapters=(), cues=(), sources=tuple(sources))

    monkeypatch.setattr(pipeline, "plan", plan)
    monkeypatch.setattr(pipeline, "render", render)
    return spoken


def run(config: Config, *, date: dt.date, **kw: Any) -> daily.DailyResult:
    """A daily run on `date`, with the clock saying it is that day."""
    return daily.run_daily(config, date=date, today=kw.pop("today", date), **kw)


def config_for(tmp_path: Path, *names: str, **kw: Any) -> Config:
    for name, text in STORIES.items():
        (tmp_path / name).write_text(text)
    sources = tuple(SourceSpec(str(tmp_path / n), 1) for n in names or ("solar.txt",))
    return Config(output_dir=str(tmp_path / "output"), sources=sources, **kw)


def test_second_run_the_same_day_does_nothing(tmp_path: Path, stand_in):
    config = config_for(tmp_path)
    first = run(config, date=DAY)
    assert first.status == "made" and first.episode is not None
    mtime = first.episode.mp3.stat().st_mtime_ns
    second = run(config, date=DAY)
    assert second.status == "exists" and second.existing == (first.episode.mp3,)
    assert first.episode.mp3.stat().st_mtime_ns == mtime
    assert len(stand_in) == 1
    out = tmp_path / "output"
    assert [e.relpath for e in archive.scan(out)] == ["2026-03-20/morning-briefing.mp3"]
    for name in ("feed.xml", "index.html", "archive.m3u", "latest.mp3", "cover.png"):
        assert (out / name).is_file(), name


def test_force_remakes_the_day_with_the_same_stories(tmp_path: Path, stand_in):
    config = config_for(tmp_path)
    run(config, date=DAY)
    again = run(config, date=DAY, force=True)
    assert again.status == "made"
    assert len(stand_in) == 2 and len(stand_in[1]) == 1  # not skipped as "already spoken"
    assert len(archive.scan(tmp_path / "output")) == 1


def test_stories_spoken_lately_are_skipped_and_nothing_new_makes_nothing(tmp_path: Path,
                                                                         stand_in):
    config = config_for(tmp_path)
    run(config, date=DAY)
    next_day = run(config, date=DAY + dt.timedelta(days=1))
    assert next_day.status == "nothing-new" and next_day.skipped == 1
    assert not (tmp_path / "output" / "2026-03-21").exists()
    # a new story beside the old one: only the new one is spoken
    (tmp_path / "solar.txt").write_text(STORIES["solar.txt"].replace("Members", "The members"))
    both = config_for(tmp_path, "solar.txt", "rail.txt")
    (tmp_path / "solar.txt").write_text(STORIES["solar.txt"].replace("Members", "The members"))
    made = run(both, date=DAY + dt.timedelta(days=2))
    assert made.status == "made" and made.skipped == 1
    assert [a.text[:15] for a in stand_in[-1]] == ["The regional ra"]
    # after the repeat window the old story may come back
    later = run(config, date=DAY + dt.timedelta(days=30))
    assert later.status == "made"


def test_retention_removes_exactly_the_old_ones_and_updates_the_feed(tmp_path: Path, stand_in):
    config = config_for(tmp_path, retention_days=14)
    out = tmp_path / "output"
    for days in (30, 15, 14, 1):
        fake_episode(out, (DAY - dt.timedelta(days=days)).isoformat(), "old")
    result = run(config, date=DAY)
    assert sorted(result.removed) == ["2026-02-18/old.mp3", "2026-03-05/old.mp3"]
    kept = sorted(e.date for e in archive.scan(out))
    assert kept == ["2026-03-06", "2026-03-19", "2026-03-20"]
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo and len(parsed.entries) == 3
    assert not (out / "2026-02-18").exists()


def test_nothing_new_still_refreshes_the_feed_and_retention(tmp_path: Path, stand_in):
    config = config_for(tmp_path, retention_days=3)
    out = tmp_path / "output"
    run(config, date=DAY)
    fake_episode(out, "2026-01-01", "ancient")
    result = run(config, date=DAY + dt.timedelta(days=1))
    assert result.status == "nothing-new" and result.removed == ("2026-01-01/ancient.mp3",)
    assert len(feedparser.parse((out / "feed.xml").read_bytes()).entries) == 1


def test_a_broken_source_is_skipped_but_all_broken_fails(tmp_path: Path, stand_in):
    config = config_for(tmp_path)
    broken = Config(output_dir=config.output_dir,
                    sources=(SourceSpec(str(tmp_path / "missing.txt"), 2), *config.sources))
    assert run(broken, date=DAY).status == "made"
    only_broken = Config(output_dir=config.output_dir,
                         sources=(SourceSpec(str(tmp_path / "missing.txt"), 2),))
    with pytest.raises(SourceError, match=r"missing\.txt"):
        run(only_broken, date=DAY + dt.timedelta(days=1))
    with pytest.raises(ConfigError, match="no sources configured"):
        run(Config(output_dir=config.output_dir), date=DAY)


def test_the_lock_refuses_a_second_run_and_names_the_first(tmp_path: Path, stand_in):
    config = config_for(tmp_path)
    holder = daily.RunLock(state_dir() / LOCK_FILE)
    holder.acquire()
    try:
        with pytest.raises(LockedError, match=rf"pid {os.getpid()}.*--wait"):
            run(config, date=DAY)
    finally:
        holder.release()
    assert run(config, date=DAY).status == "made"


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path: Path, stand_in, caplog):
    config = config_for(tmp_path)
    lock = state_dir() / LOCK_FILE
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text("4194303 2026-03-19T06:00:00\n")  # above any real pid_max default
    with caplog.at_level(logging.INFO, logger="briefing"):
        assert run(config, date=DAY).status == "made"
    assert "stale lock (pid 4194303" in caplog.text
    assert lock.read_text() == ""  # released


def test_leftovers_of_a_killed_run_are_swept(tmp_path: Path, stand_in):
    config = config_for(tmp_path)
    out = tmp_path / "output"
    staging = out / "2026-03-20" / ".briefing-tmp-dead"
    staging.mkdir(parents=True)
    (staging / "episode.wav").write_bytes(b"RIFF")
    (out / ".briefing-part-feed").write_text("<rss")
    run(config, date=DAY)
    assert not staging.exists() and not (out / ".briefing-part-feed").exists()


def test_log_file_in_the_state_dir(tmp_path: Path, stand_in):
    config = config_for(tmp_path)
    with daily.log_to_file() as path:
        run(config, date=DAY)
    assert path.parent == state_dir()
    text = path.read_text()
    assert "daily run for 2026-03-20" in text and "made " in text


def test_history_fingerprints():
    text = STORIES["solar.txt"]
    assert similarity(sketch(text), sketch(text)) == 1.0
    edited = text.replace("A battery stores", "Meanwhile a large battery stores")
    assert similarity(sketch(text), sketch(edited)) >= 0.5
    assert similarity(sketch(text), sketch(STORIES["rail.txt"])) < 0.1
    assert normalize_url("HTTPS://Example.org/a/?utm_source=x&id=3#top") == \
        "https://example.org/a?id=3"


def test_history_matches_urls_and_survives_a_bad_file(tmp_path: Path):
    path = tmp_path / "history.json"
    history = History(path)
    old = Article("Completely different words.", title="A", url="https://x.org/story?utm_medium=rss")
    history.record([old], DAY - dt.timedelta(days=1))
    path.write_text(history.dumps())
    reloaded = History.load(path)
    again = Article("Rewritten text entirely.", title="A2", url="https://x.org/story/")
    assert reloaded.fresh([again], DAY) == []
    assert reloaded.fresh([again], DAY - dt.timedelta(days=1)) == [again]  # not before it
    path.write_text("{broken")
    assert History.load(path).stories == []
    assert json.loads(reloaded.dumps())["version"] == 1


def test_the_lock_cannot_be_created(tmp_path: Path):
    (tmp_path / "file").write_text("")
    with pytest.raises(BriefingError, match="cannot create the lock file"):
        daily.RunLock(tmp_path / "file" / "daily.lock").acquire()


def test_install_timer_dry_run_writes_valid_units(tmp_path: Path):
    import shutil
    import subprocess

    script = Path(__file__).parents[1] / "scripts" / "install-timer.sh"
    config = tmp_path / "my conf" / "briefing.toml"
    proc = subprocess.run(["bash", str(script), "--dry-run", "--config", str(config),
                           "--time", "07:15", "--briefing", shutil.which("true") or "/bin/true"],
                          capture_output=True, text=True, check=True)
    units: dict[str, list[str]] = {}
    for line in proc.stdout.splitlines():
        if line.startswith("### "):
            current = units.setdefault(Path(line[4:]).name, [])
        else:
            current.append(line)
    service, timer = "\n".join(units["briefing.service"]), "\n".join(units["briefing.timer"])
    assert f"--config {str(config).replace(' ', chr(92) + 'x20')} --wait" in service
    assert " daily " in service and "Type=oneshot" in service
    assert "OnCalendar=*-*-* 07:15:00" in timer and "Persistent=true" in timer
    bad = subprocess.run(["bash", str(script), "--dry-run", "--time", "7pm"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "HH:MM" in bad.stderr
    analyze = shutil.which("systemd-analyze")
    if analyze:
        for name, text in (("briefing.service", service), ("briefing.timer", timer)):
            (tmp_path / name).write_text(text + "\n")
        check = subprocess.run([analyze, "verify", str(tmp_path / "briefing.service"),
                                str(tmp_path / "briefing.timer")], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


def test_cli_init_daily_and_serve_usage(tmp_path: Path, stand_in):
    import tomllib

    from click.testing import CliRunner

    from briefing.cli import cli
    from briefing.config import default_config_path

    runner = CliRunner()
    result = runner.invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    written = default_config_path()
    assert result.stdout.strip() == str(written)
    data = tomllib.loads(written.read_text())
    assert {"title", "minutes", "output_dir", "retention_days", "offline"} <= set(
        data["briefing"])
    assert "# public_url = " in written.read_text()  # offered, off: serve knows the address
    assert data["sources"][0]["max_stories"] == 3
    again = runner.invoke(cli, ["init"])
    assert again.exit_code == 1 and "already exists" in again.output
    assert runner.invoke(cli, ["init", "--force"]).exit_code == 0

    config = tmp_path / "c.toml"
    (tmp_path / "solar.txt").write_text(STORIES["solar.txt"])
    config.write_text(f'[briefing]\noutput_dir = "{tmp_path / "out"}"\nretention_days = 0\n\n'
                      f'[[sources]]\nlocation = "{tmp_path / "solar.txt"}"\n')
    made = runner.invoke(cli, ["daily", "-c", str(config), "--date", "2026-03-20", "--offline"])
    assert made.exit_code == 0, made.output
    assert made.stdout.strip().endswith("2026-03-20/morning-briefing.mp3")
    same = runner.invoke(cli, ["daily", "-c", str(config), "--date", "2026-03-20"])
    assert same.exit_code == 0 and "nothing to do" in same.stderr
    assert runner.invoke(cli, ["daily", "-c", str(config), "--date", "20-03-2026"]).exit_code == 2
    assert runner.invoke(cli, ["daily", "--bogus"]).exit_code == 2
    missing = runner.invoke(cli, ["daily", "-c", str(tmp_path / "nope.toml")])
    assert missing.exit_code == 1 and "briefing init" in missing.output
    served = runner.invoke(cli, ["serve", "-c", str(config), "-d", str(tmp_path / "nothing")])
    assert served.exit_code == 1 and "not a folder" in served.output
    for command in ("init", "daily", "serve"):
        assert runner.invoke(cli, [command, "-h"]).exit_code == 0


def test_an_unwritable_log_file_does_not_stop_the_run(tmp_path: Path, stand_in):
    (tmp_path / "blocker").write_text("")
    with daily.log_to_file(tmp_path / "blocker" / "daily.log"):
        assert run(config_for(tmp_path), date=DAY).status == "made"


# --- issue 17 #2 and #5: what a --date may do to the archive ---------------------------------


def _archive_around(out: Path, today: dt.date) -> list[str]:
    """Eleven episodes: one a day for the ten days before `today`, and one 20 days back."""
    for days in (*range(1, 11), 20):
        fake_episode(out, (today - dt.timedelta(days=days)).isoformat(), "old")
    return sorted(e.date for e in archive.scan(out))


def test_a_future_date_is_refused_and_never_empties_the_archive(tmp_path: Path, stand_in):
    config = config_for(tmp_path, retention_days=14)
    out = tmp_path / "output"
    today = dt.date.today()
    before = _archive_around(out, today)
    with pytest.raises(DateError, match=r"9999-12-31.*more than a day after today.*--force"):
        daily.run_daily(config, date=dt.date(9999, 12, 31))
    assert sorted(e.date for e in archive.scan(out)) == before and stand_in == []
    tomorrow = daily.run_daily(config, date=today + dt.timedelta(days=1))
    assert tomorrow.status == "made"
    forced = daily.run_daily(config, date=dt.date(9999, 12, 31), force=True)
    assert forced.status == "made"
    # retention counted from the real today: only the episode 20 days back went
    assert forced.removed == () and tomorrow.removed == (
        f"{(today - dt.timedelta(days=20)).isoformat()}/old.mp3",)
    kept = sorted(e.date for e in archive.scan(out))
    assert kept == [*before[1:], (today + dt.timedelta(days=1)).isoformat(), "9999-12-31"]
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 12


def test_the_cli_refuses_a_far_date_with_exit_2(tmp_path: Path, stand_in):
    from tests.clirun import run as cli

    config = tmp_path / "c.toml"
    config.write_text(f'[briefing]\noutput_dir = "{tmp_path / "out"}"\n[[sources]]\n'
                      f'location = "{tmp_path / "solar.txt"}"\n')
    (tmp_path / "solar.txt").write_text(STORIES["solar.txt"])
    for date, needle in (("9999-12-31", "more than a day after today"),
                         ("0001-01-01", "before 1970-01-01")):
        ran = cli("daily", "-c", str(config), "--date", date)
        assert ran.code == 2, ran.err
        assert needle in ran.error_line and ran.out == ""
        made = cli("make", str(tmp_path / "solar.txt"), "--output-dir", str(tmp_path / "out"),
                   "--date", date)
        assert made.code == 2 and needle in made.error_line
    assert not (tmp_path / "out").exists() and stand_in == []
    early = cli("daily", "-c", str(config), "--date", "0001-01-01", "--force")
    assert early.code == 2 and "1970" in early.error_line


def _retention_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The daily run's own warnings (not the feed's about its localhost links)."""
    return [r for r in caplog.records
            if r.levelno == logging.WARNING and r.name.startswith("briefing.daily")]


def test_removing_more_than_aged_out_since_the_last_run_is_said_loudly(tmp_path: Path, stand_in,
                                                                       caplog):
    out = tmp_path / "output"
    _archive_around(out, DAY)
    with caplog.at_level(logging.INFO, logger="briefing"):
        first = run(config_for(tmp_path, retention_days=30), date=DAY)
        assert first.removed == () and first.overdue == 0
        # the next day: nothing is 30 days old yet
        quiet = run(config_for(tmp_path, retention_days=30), date=DAY + dt.timedelta(days=1))
        assert quiet.removed == () and not _retention_warnings(caplog)
        caplog.clear()
        # retention lowered from 30 to 5 days: eight go, of which only the one dated 6 days
        # before the new day aged out since yesterday's run; the other seven are said loudly
        loud = run(config_for(tmp_path, retention_days=5), date=DAY + dt.timedelta(days=2))
    assert len(loud.removed) == 8 and loud.overdue == 7
    warnings = _retention_warnings(caplog)
    assert len(warnings) == 1 and "removing 7 episode(s) that had expired before the last run" \
        in warnings[0].getMessage() and "retention_days is 5" in warnings[0].getMessage()


# --- issue 16 #9, #10, #11: what daily fetches, how it names stories, --json -----------------


@pytest.fixture
def news_site():
    """A feed on 127.0.0.1 whose items link to pages there; records every path asked for."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from tests.bad_input_cases import rss

    asked: list[str] = []
    items: list[tuple[str, str, str]] = []
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            asked.append(self.path)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/feed.xml":
                body = rss([(t, base + link, d) for t, link, d in items]).encode()
                kind = "application/rss+xml"
            elif self.path in pages:
                body, kind = pages[self.path], "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def add(name: str, text: str) -> None:
        title = text.split(".")[0]
        items.insert(0, (title, f"/{name}.html", ""))
        pages[f"/{name}.html"] = (f"<html><head><title>{title}</title></head><body><article>"
                                  f"<h1>{title}</h1><p>{text}</p></article></body></html>"
                                  ).encode()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml", add, asked
    finally:
        server.shutdown()
        server.server_close()


def test_daily_fetches_only_the_pages_it_will_speak(tmp_path: Path, stand_in, news_site):
    feed, add, asked = news_site
    add("solar", STORIES["solar.txt"])
    add("rail", STORIES["rail.txt"])
    config = Config(output_dir=str(tmp_path / "output"), sources=(SourceSpec(feed, 5),),
                    allow_private_feed_links=True)  # the test server is on 127.0.0.1
    assert run(config, date=DAY).status == "made"
    assert sorted(asked) == ["/feed.xml", "/rail.html", "/solar.html"]
    asked.clear()
    again = run(config, date=DAY + dt.timedelta(days=1))
    assert again.status == "nothing-new" and again.skipped == 2
    assert asked == ["/feed.xml"]  # known from the feed's links: no page fetched
    asked.clear()
    add("harbour", "Harbour officials approved a plan to rebuild the old pier on Monday. "
        "The work will take two years and cost four million dollars in all.")
    made = run(config, date=DAY + dt.timedelta(days=2))
    assert made.status == "made" and made.skipped == 2
    assert sorted(asked) == ["/feed.xml", "/harbour.html"]
    assert [a.title for a in stand_in[-1]] == ["Harbour officials approved a plan to rebuild "
                                               "the old pier on Monday"]


def test_an_untitled_story_is_logged_by_its_first_sentence(tmp_path: Path, stand_in, caplog):
    config = config_for(tmp_path)
    run(config, date=DAY)
    with caplog.at_level(logging.INFO, logger="briefing"):
        run(config, date=DAY + dt.timedelta(days=1))
    assert "skipping 'The town switched on a solar farm owned by fourteen hundred households'" \
        in caplog.text and "skipping ''" not in caplog.text


def test_daily_json(tmp_path: Path, stand_in):
    from tests.clirun import run as cli
    from tests.test_cli_make import check, readme_schema

    config = tmp_path / "c.toml"
    (tmp_path / "solar.txt").write_text(STORIES["solar.txt"])
    config.write_text(f'[briefing]\noutput_dir = "{tmp_path / "out"}"\nretention_days = 0\n'
                      f'public_url = "https://example.org/briefing/"\n'
                      f'[[sources]]\nlocation = "{tmp_path / "solar.txt"}"\n'
                      f'[[sources]]\nlocation = "{tmp_path / "gone.txt"}"\n')
    made = cli("daily", "-c", str(config), "--date", DAY.isoformat(), "--json", "-q")
    assert made.code == 0 and made.err == "", made.err
    data = json.loads(made.out)
    check(data, readme_schema("daily"))
    check(data["episode"], readme_schema("episode"))
    assert data["status"] == "made" and Path(data["episode"]["path"]).is_file()
    assert len(data["warnings"]) == 1 and "gone.txt" in data["warnings"][0]
    same = json.loads(cli("daily", "-c", str(config), "--date", DAY.isoformat(), "--json").out)
    check(same, readme_schema("daily"))
    assert same["status"] == "exists" and same["episode"] is None
    assert same["existing"] == [data["episode"]["path"]]
