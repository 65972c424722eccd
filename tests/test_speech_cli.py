"""`briefing script --spoken`: the engine's input for an article, to check and fix."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from briefing.cli import cli
from tests.conftest import SAMPLE


def test_script_spoken_prints_each_line_as_the_engine_gets_it(tmp_path: Path) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text('[lexicon]\nRiverton = "River-tun"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["script", "--spoken", "-c", str(config), str(SAMPLE)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("host (en): ")
    assert any(line.startswith("reader (en): ") for line in lines)
    # numbers said as words, the user's lexicon applied, nothing left for the engine to guess
    assert "twelve-megawatt" in result.output
    assert "River-tun" in result.output and "Riverton" not in result.output
    assert not any(c.isdigit() for c in result.output)
    wrong = CliRunner().invoke(cli, ["script", "--spoken", "--format", "md", str(SAMPLE)])
    assert wrong.exit_code == 2
