"""A batch job without Dask around it: built from shipped bytes alone, committed whole."""

from __future__ import annotations

import datetime as dt
import os
import signal
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from briefing.batch.commit import commit, uninterrupted
from briefing.batch.jobs import load_jobs
from briefing.batch.run import _assets
from briefing.batch.work import Built, Task, build
from briefing.errors import OutputError
from briefing.pipeline import read_articles
from tests.conftest import SAMPLE
from tests.probe import ffprobe

DAY = dt.date.today()


@pytest.mark.e2e
def test_a_job_needs_none_of_the_clients_files(tmp_path: Path):
    """The cover and the lexicon go with the job: the worker's copy is all it reads."""
    from PIL import Image

    cover = tmp_path / "client" / "cover.png"
    cover.parent.mkdir()
    Image.new("RGB", (1400, 1400), (200, 30, 30)).save(cover)
    lexicon = tmp_path / "client" / "words.toml"
    lexicon.write_text('Riverton = "RIVVER-ton"\n')
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(f'[[briefing]]\ntitle = "Solar"\nminutes = 0.3\ncover_image = "{cover}"\n'
                    f'lexicon_file = "{lexicon}"\n[[briefing.sources]]\nlocation = "{SAMPLE}"\n')
    (job,) = load_jobs(jobs, env={}).jobs
    task = Task(job.index, job.config, read_articles([str(SAMPLE)], job.config), DAY,
                (str(SAMPLE),), _assets(job))
    original = cover.read_bytes()
    for path in (cover, lexicon):
        path.unlink()  # as on another machine: a lexicon_file not there fails the job
    leftovers = set(Path(tempfile.gettempdir()).glob("briefing-batch-*"))

    built = build(task)
    assert set(Path(tempfile.gettempdir()).glob("briefing-batch-*")) == leftovers
    names = [name for name, _ in built.files]
    assert names[-1].endswith(".mp3") and built.mp3_name == names[-1]
    assert {n.removeprefix(names[-1][:-4]) for n in names} == {
        ".mp3", ".json", ".txt", ".vtt", ".srt", ".chapters.json"}
    assert built.cpu_seconds > 0 and built.seconds > 0 and 10_000 < built.duration_ms < 40_000
    assert [a.title for a in built.spoken] == [a.title for a in task.articles]

    out = tmp_path / "archive"
    mp3 = commit(built, out, DAY.isoformat())
    assert mp3 == out / DAY.isoformat() / built.mp3_name
    assert ffprobe(mp3)["streams"][0]["codec_name"] == "mp3"
    assert ID3(mp3).getall("APIC")[0].data == original
    assert sorted(p.name for p in mp3.parent.iterdir()) == sorted(names)


def test_a_name_from_a_worker_stays_in_the_archive(tmp_path: Path):
    for bad in ("../evil.mp3", "/etc/x.mp3", ".hidden.mp3"):
        built = Built(1, (("ok.txt", b"x"), (bad, b"y")), (), 1, 0.0, 0.0, "w")
        with pytest.raises(OutputError, match="unsafe file name"):
            commit(built, tmp_path / "out", "2026-01-02")
        assert not list((tmp_path / "out").rglob("*")), "nothing committed"
    assert not (tmp_path.parent / "evil.mp3").exists()


def test_signals_wait_for_the_commit_in_hand():
    seen = []
    previous = signal.signal(signal.SIGTERM, lambda *_: seen.append("handled"))
    try:
        with uninterrupted():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            seen.append("committed")
        assert seen == ["committed", "handled"]
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_task_is_plain_data():
    import pickle

    from briefing.config import Config

    task = Task(1, replace(Config(), title="x"), (), DAY, (), (("cover_image", b"png"),))
    assert pickle.loads(pickle.dumps(task)) == task
