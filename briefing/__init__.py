"""briefing: news articles in, a podcast-style MP3 out, offline.

    from briefing import make_briefing
    episode = make_briefing(["article.txt"], output="brief.mp3", minutes=2)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing.config import Config, load_config
    from briefing.models import (
        Article,
        Chapter,
        Cue,
        Episode,
        Line,
        Script,
        Section,
        Segment,
        Voice,
    )
    from briefing.pipeline import make_briefing

__all__ = [
    "Article",
    "Chapter",
    "Config",
    "Cue",
    "Episode",
    "Line",
    "Script",
    "Section",
    "Segment",
    "Voice",
    "load_config",
    "make_briefing",
]
__version__ = "0.1.0"


_MODELS = frozenset({"Article", "Chapter", "Cue", "Episode", "Line", "Script", "Section",
                     "Segment", "Voice"})


def __getattr__(name: str) -> Any:
    """Import only what is asked for, so `briefing --help` and speech workers start fast."""
    if name in _MODELS:
        from briefing import models

        return getattr(models, name)
    if name == "make_briefing":
        from briefing.pipeline import make_briefing

        return make_briefing
    if name in ("load_config", "Config"):
        from briefing import config

        return getattr(config, name)
    raise AttributeError(f"module 'briefing' has no attribute {name!r}")
