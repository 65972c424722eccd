"""The CLI: exact exit codes, one-line errors, help everywhere."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from briefing.cli import cli
from tests.clirun import RAIL, run, write


def invoke(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))


@pytest.mark.parametrize("path", list(commands()))
def test_every_command_has_help(path):
    result = invoke(*path, "-h")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert len(result.output.splitlines()) > 3


def test_group_help_and_version():
    assert invoke("--help").exit_code == 0
    result = invoke("--version")
    assert result.exit_code == 0 and "0.1.0" in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("make",), 2, "Missing argument"),
        (("make", "x.txt", "--minutes", "-3"), 2, "--minutes"),
        (("make", "x.txt", "--rate", "fast"), 2, "--rate"),
        (("frobnicate",), 2, "No such command"),
        (("script", "/nonexistent/article.txt"), 1, "/nonexistent/article.txt"),
        (("extract", "/"), 1, "directory"),
        (("script", "x.txt", "--config", "/nonexistent.toml"), 1, "config file not found"),
    ],
)
def test_exit_codes_and_messages(args, code, message):
    result = invoke(*args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_errors_are_one_line(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    result = invoke("extract", str(empty))
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ")


def test_extract_reads_stdin():
    result = invoke("extract", "-", input=b"By Jane Roe, The Daily Planet\n\nThe council voted "
                    b"on Tuesday to open the new library,and residents welcomed it.\n")
    assert result.exit_code == 0, result.output
    assert "library, and residents" in result.output
    assert "Jane Roe" not in result.output


# --- issue 17 #14, #16, #19 and issue 16 #8: one line, and exit 2 for what argv got wrong -----


@pytest.mark.parametrize("bitrate", ["64kk", "６４k", "999k", "65k", "64", "k"])
def test_a_bad_bitrate_is_a_usage_error_before_any_work(tone, tmp_path: Path, bitrate: str):
    story = write(tmp_path, "rail.txt", RAIL)
    for command in (["make", str(story)], ["render", str(story)]):
        ran = run(*command, "--bitrate", bitrate, "-o", str(tmp_path / "x.mp3"))
        assert ran.code == 2, ran.err
        assert "--bitrate" in ran.err and "64k" in ran.err and "Traceback" not in ran.err
        assert tone.calls == [] and sorted(p.name for p in tmp_path.iterdir()) == ["rail.txt"]


def test_a_bad_bitrate_in_the_config_file_is_an_input_error(tmp_path: Path):
    config = write(tmp_path, "c.toml", '[briefing]\nbitrate = "６４k"\n')
    ran = run("script", str(write(tmp_path, "rail.txt", RAIL)), "-c", str(config))
    assert ran.code == 1 and "bitrate must be one of" in ran.error_line


def test_a_config_file_that_is_not_utf8_names_the_file_and_byte(tmp_path: Path):
    config = tmp_path / "latin1.toml"
    config.write_bytes('[briefing]\ntitle = "Café"\n'.encode("latin-1"))
    ran = run("script", str(write(tmp_path, "rail.txt", RAIL)), "-c", str(config))
    assert ran.code == 1
    line = ran.error_line
    assert str(config) in line and "not UTF-8" in line and "0xe9" in line and "line 2" in line


def test_no_writable_temporary_folder_is_one_line(tone, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setattr(tempfile, "_candidate_tempdir_list", lambda: [str(tmp_path / "gone")])
    story = write(tmp_path, "rail.txt", RAIL)
    for command in (["make", str(story), "-o", str(tmp_path / "x.mp3")], ["script", str(story)]):
        ran = run(*command)
        assert ran.code == 1
        assert "no writable temporary folder" in ran.error_line and "TMPDIR" in ran.error_line
    assert tone.calls == [] and not (tmp_path / "x.mp3").exists()
