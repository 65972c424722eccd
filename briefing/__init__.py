"""briefing: news articles in, a podcast-style MP3 out, offline."""

from briefing.models import Article, Chapter, Cue, Episode, Line, Script, Section, Segment, Voice

__all__ = [
    "Article",
    "Chapter",
    "Cue",
    "Episode",
    "Line",
    "Script",
    "Section",
    "Segment",
    "Voice",
]
__version__ = "0.1.0"
