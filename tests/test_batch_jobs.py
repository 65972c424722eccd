"""The jobs file of `briefing batch`: layering, paths, and errors that name the job and the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefing.batch.cluster import check_address, default_workers
from briefing.batch.jobs import load_jobs
from briefing.config import SourceSpec
from briefing.errors import ConfigError, SchedulerError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "jobs.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_under_each_job_paths_from_the_files_folder(tmp_path: Path):
    path = write(tmp_path, """
scheduler = "tcp://10.0.0.5:8786"
[defaults]
minutes = 5
engine = "espeak-ng"
output_dir = "archives"
max_stories = 3
[defaults.lexicon]
Nginx = "engine x"
[[defaults.sources]]
location = "shared/wire.txt"

[[briefing]]
title = "Tech at Seven"
output_dir = "/srv/tech"
[[briefing.sources]]
location = "https://example.org/tech.rss"
max_stories = 4
[briefing.lexicon]
GPU = "gee pee you"

[[briefing]]
title = "Le matin"
language = "fr"
minutes = 2.5
""")
    jobs = load_jobs(path, env={"BRIEFING_MINUTES": "9", "BRIEFING_VOICE": "en-gb"})
    assert jobs.scheduler == "tcp://10.0.0.5:8786"
    tech, matin = jobs.jobs
    assert (tech.index, tech.name) == (1, "job 1 ('Tech at Seven')")
    assert tech.config.minutes == 5.0  # [defaults] over BRIEFING_MINUTES
    assert tech.config.voice == "en-gb"  # the environment under the file
    assert tech.config.synthesizer == "espeak-ng"  # engine is synthesizer's other name
    assert tech.config.output_dir == "/srv/tech"
    assert tech.config.sources == (SourceSpec("https://example.org/tech.rss", 4),)
    assert dict(tech.config.lexicon) == {"Nginx": "engine x", "GPU": "gee pee you"}
    assert (matin.config.language, matin.config.minutes) == ("fr", 2.5)
    # no output_dir of its own: an archive of its own under the defaults' folder
    assert matin.config.output_dir == str(tmp_path / "archives" / "le-matin")
    assert matin.config.sources == (SourceSpec(str(tmp_path / "shared" / "wire.txt"), 5),)


def test_flags_override_every_job(tmp_path: Path):
    path = write(tmp_path, '[[briefing]]\ntitle = "A"\noffline = false\n'
                           '[[briefing.sources]]\nlocation = "a.txt"\n')
    assert load_jobs(path, overrides={"offline": True}, env={}).jobs[0].config.offline is True
    assert load_jobs(path, overrides={"offline": None}, env={}).jobs[0].config.offline is False


BAD = [
    ('[[briefing]]\ntitle = "Tech"\nminuts = 5\n[[briefing.sources]]\nlocation = "a"\n',
     "job 1 ('Tech'): unknown key 'minuts'"),
    ('[[briefing]]\ntitle = "A"\n[[briefing.sources]]\nlocation = "a"\n'
     '[[briefing]]\ntitle = "Le matin"\nminutes = "five"\n[[briefing.sources]]\nlocation = "a"\n',
     "job 2 ('Le matin'): minutes must be a number, got 'five'"),
    ('[[briefing]]\ntitle = "Slow"\nminutes = 500\n[[briefing.sources]]\nlocation = "a"\n',
     "job 1 ('Slow'): minutes must be between 0 and 120"),
    ('[[briefing]]\ntitle = "Empty"\n', "job 1 ('Empty'): no sources"),
    ('[[briefing]]\nminutes = 1\n[[briefing.sources]]\nmax_stories = 2\n',
     "job 1: sources #1 needs location"),
    ('[[briefing]]\ntitle = "S"\n[[briefing.sources]]\nlocation = "-"\n',
     "job 1 ('S'): a batch has no standard input"),
    ('[[briefing]]\ntitle = "S"\n[[briefing.sources]]\nlocation = "a"\nmax_storys = 2\n',
     "job 1 ('S'): unknown key 'max_storys' in sources #1"),
    ('[[briefing]]\ntitle = "A"\noutput_dir = "x"\n[[briefing.sources]]\nlocation = "a"\n'
     '[[briefing]]\ntitle = "B"\noutput_dir = "x"\n[[briefing.sources]]\nlocation = "a"\n',
     "job 2 ('B'): output_dir"),
    ('[defaults]\nminutes = true\n'
     '[[briefing]]\ntitle = "A"\n[[briefing.sources]]\nlocation = "a"\n',
     "[defaults]: minutes must be a number, got True"),
    ('[default]\nminutes = 1\n', "unknown key 'default'"),
    ('[defaults]\nminutes = 1\n', "no [[briefing]] table"),
    ('scheduler = 8786\n[[briefing]]\n[[briefing.sources]]\nlocation = "a"\n',
     "scheduler must be a string"),
    ('[[briefing]\n', "is not valid TOML"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_errors_name_the_job_and_the_key(tmp_path: Path, text: str, message: str):
    with pytest.raises(ConfigError) as info:
        load_jobs(write(tmp_path, text), env={})
    assert message in str(info.value)
    assert str(tmp_path / "jobs.toml") in str(info.value)


def test_a_missing_jobs_file_is_one_line(tmp_path: Path):
    with pytest.raises(ConfigError, match="jobs file not found"):
        load_jobs(tmp_path / "nope.toml", env={})


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "10.0.0.5:8786", "tls://h.lan:1",
                                     "tcp://[::1]:8786"])
def test_scheduler_addresses(address: str):
    assert check_address(address) == address


@pytest.mark.parametrize("address", ["http://x", "foo", "tcp://host", "tcp://h:port"])
def test_scheduler_addresses_that_are_not(address: str):
    with pytest.raises(SchedulerError, match="is not like tcp://host:8786"):
        check_address(address)


def test_default_workers_is_the_cores_this_process_may_use():
    import os

    assert default_workers() == len(os.sched_getaffinity(0))


def test_help_says_how_to_run_on_a_cluster():
    out = subprocess.run([sys.executable, "-m", "briefing", "batch", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "--scheduler" in out and "--workers" in out and "Exit codes" in out


CLI_CASES = [
    ('[[briefing]]\ntitle = "A"\n[[briefing.sources]]\nlocation = "a"\n'
     '[[briefing]]\ntitle = "Le matin"\nminutes = "five"\n[[briefing.sources]]\nlocation = "a"\n',
     [], 1, "job 2 ('Le matin'): minutes must be a number, got 'five'"),
    (None, [], 1, "jobs file not found"),
    ('[[briefing]]\ntitle = "A"\n[[briefing.sources]]\nlocation = "a"\n', ["--workers", "0"], 2,
     "--workers"),
    ('[[briefing]]\ntitle = "A"\n[[briefing.sources]]\nlocation = "a"\n',
     ["--scheduler", "http://x"], 1, "'http://x' is not like tcp://host:8786"),
    ('[[briefing]]\ntitle = "A"\n[[briefing.sources]]\nlocation = "a"\n',
     ["--scheduler", "tcp://10.0.0.5:8786", "--workers", "2"], 2,
     "--workers counts this machine's workers"),
    ('[[briefing]]\ntitle = "A"\n[[briefing.sources]]\nlocation = "a"\n',
     ["--scheduler", "tcp://10.0.0.5:8786", "--local"], 2,
     "--local runs on this machine and --scheduler on a cluster"),
]


@pytest.mark.parametrize(("text", "args", "code", "message"), CLI_CASES)
def test_the_cli_says_one_line_and_writes_nothing(tmp_path: Path, text: str | None,
                                                   args: list[str], code: int, message: str):
    from click.testing import CliRunner

    from briefing.cli import cli

    path = tmp_path / "jobs.toml"
    if text is not None:
        path.write_text(text)
    result = CliRunner().invoke(cli, ["batch", str(path), *args],
                                env={"BRIEFING_SCHEDULER": "", "BRIEFING_WORKERS": ""})
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len([ln for ln in result.output.splitlines() if ln.startswith("Error")]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == (["jobs.toml"] if text else [])


def test_the_scheduler_from_the_environment(tmp_path: Path):
    from click.testing import CliRunner

    from briefing.cli import cli

    path = tmp_path / "jobs.toml"
    path.write_text('[[briefing]]\ntitle = "A"\n[[briefing.sources]]\nlocation = "a"\n')
    result = CliRunner().invoke(cli, ["batch", str(path)], env={"BRIEFING_SCHEDULER": "nope"})
    assert result.exit_code == 1 and "'nope' is not like tcp://host:8786" in result.output


@pytest.mark.parametrize("file_or_env", ["file", "env"])
def test_local_runs_here_whatever_the_file_or_environment_say(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_or_env: str):
    import contextlib

    from click.testing import CliRunner

    import briefing.batch
    from briefing.cli import cli
    from briefing.errors import SchedulerError

    asked: list[tuple[str, int | None]] = []

    @contextlib.contextmanager
    def connect(address: str = "", workers: int | None = None):  # type: ignore[no-untyped-def]
        asked.append((address, workers))
        raise SchedulerError("stop here: the address is what this test checks")
        yield

    monkeypatch.setattr(briefing.batch, "connect", connect)
    path = tmp_path / "jobs.toml"
    far = "tcp://10.0.0.5:8786"
    top = f'scheduler = "{far}"\n' if file_or_env == "file" else ""
    path.write_text(top + '[[briefing]]\ntitle = "A"\n[[briefing.sources]]\nlocation = "a"\n')
    env = {"BRIEFING_SCHEDULER": far if file_or_env == "env" else "", "BRIEFING_WORKERS": ""}
    runner = CliRunner()
    assert runner.invoke(cli, ["batch", str(path)], env=env).exit_code == 1
    assert runner.invoke(cli, ["batch", str(path), "--local", "--workers", "1"],
                         env=env).exit_code == 1
    assert asked == [(far, None), ("", 1)]
