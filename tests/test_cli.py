"""The CLI: exact exit codes, one-line errors, help everywhere."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from briefing.cli import cli


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
