"""Running the CLI in-process for tests: CliRunner with stdout and stderr apart, and the tone
synthesizer standing in for the engine (the end-to-end tests run the real one)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import tts
from briefing.cli import cli
from tests.fakes import ToneSynthesizer

ARTICLE = (
    "Harbour Plan Approved\n\n"
    "Harbour officials approved a plan on Monday to rebuild the old pier. "
    "The work will cost about four million dollars and take two years. "
    "Fishermen said the new pier would let larger boats land their catch. "
    "The council will hold a public meeting next month to explain the timetable.\n"
)
RAIL = (
    "Rail Line Reopens\n\n"
    "The regional rail line will reopen next spring after two years of repairs. "
    "Trains will run every half hour between the coast and the capital. "
    "Tickets go on sale in January, the operator said on Monday.\n"
)


@dataclass(frozen=True)
class Ran:
    """What one command did: exit code, stdout, stderr (and the exception, for tracebacks)."""

    code: int
    out: str
    err: str
    exception: BaseException | None

    @property
    def error_line(self) -> str:
        """The one "Error: ..." line, checked: last on stderr, no traceback."""
        assert "Traceback" not in self.err, self.err
        lines = [ln for ln in self.err.splitlines() if ln.strip()]
        assert lines and lines[-1].startswith("Error: "), self.err
        assert sum(ln.startswith("Error: ") for ln in lines) == 1, self.err
        if self.exception is not None:
            assert isinstance(self.exception, SystemExit), repr(self.exception)
        return lines[-1]


def run(*args: str, input: bytes | str | None = None, cwd: Path | None = None) -> Ran:
    """`briefing ARGS` in-process; stderr apart from stdout, as a shell sees them."""
    runner = CliRunner()
    if cwd is not None:
        import os

        old = Path.cwd()
        os.chdir(cwd)
    try:
        result = runner.invoke(cli, list(args), input=input)
    finally:
        if cwd is not None:
            os.chdir(old)
    return Ran(result.exit_code, result.stdout, result.stderr, result.exception)


def tone_synthesizer(monkeypatch: pytest.MonkeyPatch) -> ToneSynthesizer:
    """Every engine the run asks for is one tone synthesizer (conftest's `tone` fixture)."""
    synth = ToneSynthesizer()
    monkeypatch.setattr(tts, "get_synthesizer", lambda name="pyttsx3", **kw: synth)
    return synth


def write(folder: Path, name: str, text: str = ARTICLE) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
