"""Config layering: defaults < TOML < BRIEFING_* < flags, and loud failures."""

from pathlib import Path

import pytest

from briefing.config import Config, SourceSpec, load_config
from briefing.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "briefing.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_file():
    assert load_config(env={}) == Config()


def test_layers_in_order(tmp_path):
    path = write(tmp_path, '[briefing]\ntitle = "Evening"\nminutes = 5\nrate = 150\n')
    cfg = load_config(path, env={"BRIEFING_MINUTES": "3"}, overrides={"rate": 190})
    assert (cfg.title, cfg.minutes, cfg.rate) == ("Evening", 3.0, 190)


def test_starter_keys_and_sources(tmp_path):
    path = write(
        tmp_path,
        """
[briefing]
title = "Morning Briefing"
minutes = 5
output_dir = "output"
retention_days = 14
feed_base_url = "http://localhost:8000/"
offline = false

[[sources]]
location = "https://example.org/feed.xml"
max_stories = 3

[lexicon]
Xpeng = "Ex peng"
""",
    )
    cfg = load_config(path, env={})
    assert cfg.sources == (SourceSpec("https://example.org/feed.xml", 3),)
    assert cfg.lexicon == {"Xpeng": "Ex peng"}
    assert cfg.minutes == 5.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[briefing]\nminuts = 3\n", "unknown key 'minuts'"),
        ("[briefing]\nminutes = \"three\"\n", "minutes must be a number"),
        ("[briefing]\noffline = 1\n", "offline must be true or false"),
        ("[briefing]\nrate = 20\n", "rate must be between"),
        ("[briefing\n", "not valid TOML"),
        ("[[sources]]\nmax_stories = 2\n", "sources #1 needs location"),
        ("[extra]\n", "unknown table 'extra'"),
    ],
)
def test_bad_files_name_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text), env={})


def test_bad_environment_value_names_the_variable():
    with pytest.raises(ConfigError, match="BRIEFING_MINUTES"):
        load_config(env={"BRIEFING_MINUTES": "soon"})


def test_missing_explicit_file(tmp_path):
    with pytest.raises(ConfigError, match="briefing init"):
        load_config(tmp_path / "nope.toml", env={})


def test_briefing_config_variable_is_used(tmp_path):
    path = write(tmp_path, '[briefing]\ntitle = "From env"\n')
    assert load_config(env={"BRIEFING_CONFIG": str(path)}).title == "From env"
