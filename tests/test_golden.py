"""Golden files for the text outputs: the script (text and Markdown), VTT, SRT, chapters."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from briefing import pipeline, tts
from briefing.config import Config
from briefing.publish.transcript import transcript
from briefing.script.markdown import to_markdown
from tests.conftest import GLUED, ROOT, SAMPLE, SEED, needs_seed
from tests.fakes import ToneSynthesizer

DAY = dt.date(2026, 11, 28)
RATE = 1000.0  # characters per minute: fixed, so the chosen sentences do not depend on espeak


@pytest.mark.parametrize("source", [SAMPLE, GLUED, pytest.param(SEED, marks=needs_seed)],
                         ids=["sample", "glued", "seed"])  # fmt: skip
def test_script(source: Path, golden, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # sources are named as given: relative, like a user would
    config = Config()
    articles = pipeline.read_articles([os.path.relpath(source)], config)
    script = pipeline.plan(articles, config, date=DAY, chars_per_minute=lambda v: RATE).script
    golden(f"script/{source.stem}.txt", transcript(script))
    golden(f"script/{source.stem}.md", to_markdown(script))


def test_timed_sidecars(golden, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synth = ToneSynthesizer()
    monkeypatch.setattr(tts, "get_synthesizer", lambda name="pyttsx3", **kw: synth)
    monkeypatch.setattr("briefing.tts.calibrate.rate_meter", lambda engine: lambda voice: RATE)
    out = tmp_path / "brief.mp3"
    monkeypatch.chdir(ROOT)
    pipeline.make_briefing([os.path.relpath(SAMPLE)], output=out, config=Config(minutes=1),
                           date=DAY)
    for suffix in (".vtt", ".srt", ".chapters.json"):
        golden(f"sidecars/community-solar{suffix}", out.with_suffix("").with_name(
            "brief" + suffix).read_text(encoding="utf-8"))
