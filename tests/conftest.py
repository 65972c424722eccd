"""Shared fixtures: every test gets its own BRIEFING_HOME, and goldens can be rewritten."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "samples" / "peoples-daily-nev-cooperation.txt"
SAMPLE = ROOT / "samples" / "community-solar.txt"
# Our own seed-like article: glued words, a byline, a comment form at the end (invented text),
# so a plain clone without ../shared tests every path the seed article does.
GLUED = ROOT / "tests" / "data" / "articles" / "coastal-ferries.txt"
FEEDS = ROOT / "tests" / "data" / "feeds"  # our own feeds: odd encodings, escaping, a news feed
SHARED_FEEDS = SHARED / "data" / "feeds-dev"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="../shared/samples is not beside "
                                "this checkout (GLUED covers the same paths)")  # fmt: skip
needs_shared_feeds = pytest.mark.skipif(not SHARED_FEEDS.is_dir(), reason="../shared/data/"
                                        "feeds-dev is not beside this checkout (FEEDS covers "
                                        "the same paths)")  # fmt: skip


def shared_feeds() -> list[Path]:
    """The development feeds in ../shared, or none when it is absent."""
    return sorted(SHARED_FEEDS.glob("*")) if SHARED_FEEDS.is_dir() else []


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite golden files from the current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the session: measured speaking rates, word lists, chimes."""
    return tmp_path_factory.mktemp("warm-cache")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cold_cache: this test starts with an empty cache")


@pytest.fixture(autouse=True)
def briefing_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest, warm_cache: Path,
) -> Path:
    """User state (config, cache, state) in a fresh folder, never the real home.

    The cache is shared by the whole session (a cold one costs each test ~3 s of rate
    measuring and word-list building), except for tests about the cache itself.
    """
    home = tmp_path_factory.mktemp("briefing-home")
    cold = request.node.get_closest_marker("cold_cache") or request.module.__name__.endswith(
        "test_cache")
    if not cold:
        (home / "cache").symlink_to(warm_cache, target_is_directory=True)
    monkeypatch.setenv("BRIEFING_HOME", str(home))
    for name in ("BRIEFING_CONFIG", "BRIEFING_MINUTES", "BRIEFING_OUTPUT_DIR", "BRIEFING_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def golden(update_golden: bool):
    """Compare text with tests/golden/NAME, or rewrite it with --update-golden."""

    def check(name: str, text: str) -> None:
        path = ROOT / "tests" / "golden" / name
        if update_golden or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if not update_golden:
                pytest.fail(f"wrote {path}; check it and run again")
        assert text == path.read_text(encoding="utf-8")

    return check


@pytest.fixture
def tone(monkeypatch: pytest.MonkeyPatch):
    """Every engine a run asks for is one tone synthesizer; its `calls` are the speech work."""
    from tests.clirun import tone_synthesizer

    return tone_synthesizer(monkeypatch)
