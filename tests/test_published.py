"""What a real daily run publishes: only http(s) links (a feed item's `javascript:` link
reaches neither the page nor the feed), and file sources named by file name, never by
where they sit on this machine (manifest, feed, ID3 comment, page)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mutagen.id3 import ID3

pytestmark = pytest.mark.e2e

STORY = ("Harbour officials approved a plan on Monday to rebuild the old pier. The work will "
         "cost about four million dollars and take two years. Fishermen said the new pier "
         "would let larger boats land their catch. The council will hold a public meeting "
         "next month to explain the timetable.")
HOSTILE = "javascript:alert(document.cookie)"


def test_a_hostile_link_and_local_paths_stay_out_of_everything_published(tmp_path: Path):
    private = tmp_path / "private notes" / "alice"
    private.mkdir(parents=True)
    feed = private / "town.rss"
    feed.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Town</title><link>https://town.example/</link>
<description>Town news</description>
<item><title>Pier plan approved</title><link>{HOSTILE}</link>
<description>{STORY}</description><pubDate>Mon, 05 Jan 2026 07:00:00 +0000</pubDate></item>
</channel></rss>
""", encoding="utf-8")
    config = tmp_path / "show" / "briefing.toml"
    config.parent.mkdir()
    config.write_text(f'[briefing]\nminutes = 0.3\noffline = true\nretention_days = 0\n'
                      f'[[sources]]\nlocation = "{feed}"\nmax_stories = 1\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env["BRIEFING_HOME"] = str(tmp_path / "home")
    proc = subprocess.run([sys.executable, "-m", "briefing", "daily", "-c", str(config),
                           "--date", "2026-01-05"], capture_output=True, text=True,
                          timeout=300, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    mp3 = Path(proc.stdout.strip())
    out = config.parent / "output"
    assert mp3.parent.parent == out
    published = {
        "manifest": mp3.with_suffix(".json").read_text(),
        "chapters": mp3.with_name(mp3.stem + ".chapters.json").read_text(),
        "feed": (out / "feed.xml").read_text(),
        "page": (out / "index.html").read_text(),
        "playlist": (out / "archive.m3u").read_text(),
        "id3": " ".join(str(frame) for frame in ID3(mp3).values()),
    }
    for name, text in published.items():
        assert "javascript" not in text, name
        assert str(tmp_path) not in text and "private notes" not in text, name
    manifest = json.loads(published["manifest"])
    assert manifest["sources"] == ["town.rss"]
    assert [c.get("url", "") for c in manifest["chapters"]] == ["", "", ""]
    assert "Sources: town.rss" in published["feed"]
    assert ID3(mp3).getall("COMM")[0].text == ["Sources: town.rss"]
    assert manifest["number"] == 1 and manifest["made"]
