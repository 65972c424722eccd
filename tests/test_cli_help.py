"""The command line's manners: help with examples, one meaning per short flag, options before
or after the command, defaults shown as in effect, shell completion."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from briefing.cli import cli
from tests.clirun import RAIL, run, write
from tests.conftest import ROOT


def commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in commands()], ids=" ".join)
def test_every_help_ends_with_two_to_four_examples(path: tuple[str, ...]) -> None:
    ran = run(*path, "--help")
    assert ran.code == 0
    lines = ran.out.rstrip("\n").split("\n")
    start = lines.index("  Examples:")
    shown = lines[start + 1:]
    assert 2 <= len(shown) <= 4, shown
    assert all(re.match(r"    (\S+=\S+ |cat |curl )?.*briefing ", ln) for ln in shown), shown
    assert all(len(ln) <= 100 for ln in lines)


def test_the_groups_help_fits_a_terminal_without_truncation() -> None:
    ran = run("--help")
    lines = ran.out.rstrip("\n").split("\n")
    assert len(lines) <= 24, ran.out
    assert "..." not in ran.out.replace("[ARGS]...", "") and "…" not in ran.out
    listed = lines[lines.index("Commands:") + 1:]
    assert len(listed) == len(cli.commands)
    for line in listed:
        name, description = line.split(None, 1)
        assert name in cli.commands
        # a whole sentence: a capital, an ending, and what the command says of itself
        assert description[0].isupper() and description.endswith("."), line


def test_a_short_flag_means_one_thing_everywhere() -> None:
    meaning: dict[str, set[str]] = {}
    for _, command in [((), cli), *commands()]:
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            shorts = [o for o in param.opts if re.fullmatch(r"-[A-Za-z]", o)]
            longs = sorted(o for o in param.opts if o.startswith("--"))
            for short in shorts:
                meaning.setdefault(short, set()).add(longs[0] if longs else param.name or "")
    clashes = {k: v for k, v in meaning.items() if len(v) > 1}
    assert clashes == {}, clashes
    assert meaning["-f"] == {"--force"}


@pytest.mark.parametrize("flag", ["-q", "--quiet"])
def test_quiet_works_after_the_command_and_silences_all_but_errors(tone, tmp_path: Path,
                                                                   flag: str) -> None:
    story = write(tmp_path, "rail.txt", RAIL)
    ran = run("make", str(story), str(tmp_path / "gone.txt"), "-o", str(tmp_path / "a.mp3"),
              "--minutes", "0.2", flag)
    assert ran.code == 0, ran.err
    assert ran.err == "" and ran.out == f"{tmp_path / 'a.mp3'}\n"
    before = run(flag, "make", str(story), "-o", str(tmp_path / "b.mp3"), "--minutes", "0.2")
    assert before.code == 0 and before.err == ""
    failed = run("make", str(tmp_path / "gone.txt"), flag)
    assert failed.code == 1 and "gone.txt" in failed.error_line


def test_debug_and_verbose_work_after_the_command(tmp_path: Path) -> None:
    gone = str(tmp_path / "gone.txt")
    shown = run("script", gone, "--debug")
    assert shown.code == 1 and isinstance(shown.exception, Exception)
    assert type(shown.exception).__name__ == "SourceError"  # raised, for the traceback
    plain = run("script", gone, "-v")
    assert plain.code == 1 and gone in plain.error_line


def test_help_shows_the_default_in_effect_and_where_it_came_from(
        briefing_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "[default:2]" in _option_help("make", "--minutes")
    config = write(briefing_home / "config", "briefing.toml", "[briefing]\nminutes = 5\n")
    assert f"[default:5,from{config}]" in _option_help("make", "--minutes")
    assert f"[default:5,from{config}]" in _option_help("script", "--minutes")
    monkeypatch.setenv("BRIEFING_MINUTES", "3")
    assert "[default:3,fromBRIEFING_MINUTES]" in _option_help("make", "--minutes")
    monkeypatch.delenv("BRIEFING_MINUTES")
    monkeypatch.setenv("HOME", str(briefing_home))
    assert "[default:5,from~/config/briefing.toml]" in _option_help("make", "--minutes")


def _option_help(command: str, option: str) -> str:
    """The option's help, without the spaces and line breaks wrapping put in."""
    text = "".join(run(command, "--help").out.split())
    return text[text.index(option):][:200]


def test_one_rule_for_which_commands_read_the_user_config(briefing_home: Path) -> None:
    """init's header, the README and --help state the same rule (issue 16 #5)."""
    rule = "make, script, render, extract, open, daily, serve and doctor read it"
    ran = run("init")
    assert ran.code == 0, ran.err
    header = Path(ran.out.strip()).read_text()
    assert rule in " ".join(line.lstrip("# ") for line in header.splitlines()[:6])
    assert rule in " ".join((ROOT / "README.md").read_text().split())
    assert "the user config file, if any" in " ".join(run("make", "-h").out.split())


# --- shell completion (click's own mechanism) ---------------------------------------------------


def _complete(monkeypatch: pytest.MonkeyPatch, words: str) -> list[str]:
    monkeypatch.setenv("_BRIEFING_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    ran = click.testing.CliRunner().invoke(cli, [], prog_name="briefing")
    assert ran.exit_code == 0, ran.output
    return [ln.split(",", 1)[1] for ln in ran.output.splitlines() if "," in ln]


def test_completion_scripts_for_bash_zsh_and_fish(monkeypatch: pytest.MonkeyPatch) -> None:
    for shell in ("bash", "zsh", "fish"):
        monkeypatch.setenv("_BRIEFING_COMPLETE", f"{shell}_source")
        ran = click.testing.CliRunner().invoke(cli, [], prog_name="briefing")
        assert ran.exit_code == 0 and "_BRIEFING_COMPLETE" in ran.output, shell
    readme = (ROOT / "README.md").read_text()
    assert 'eval "$(_BRIEFING_COMPLETE=bash_source briefing)"' in readme


def test_completion_of_commands_voices_and_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    assert {"make", "script", "render"} <= set(_complete(monkeypatch, "briefing "))
    voices = _complete(monkeypatch, "briefing make x.txt --voice en-")
    assert {"en-us", "en-gb-x-rp"} <= set(voices) and all(v.startswith("en-") for v in voices)
    assert "cmn" in _complete(monkeypatch, "briefing make x.txt --host-voice cm")
    assert {"pyttsx3", "espeak-ng"} <= set(_complete(monkeypatch, "briefing voices --engine "))
    assert _complete(monkeypatch, "briefing voices --engine esp") == ["espeak-ng"]
