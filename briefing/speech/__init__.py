"""Text for the ear: written news text -> plain text a speech engine reads as a person would."""

from __future__ import annotations

from typing import Any

__all__ = [
    "for_ear", "for_ear_lines", "load_lexicon", "spell", "spoken_lines", "spoken_text",
    "user_lexicon", "word_like",
]

# Imported when first asked for: the rules compile ~200 patterns, and a warm re-render finds
# its lines' spoken text remembered (speech.memo) without running them.
_WHERE = {
    "spell": "acronyms", "word_like": "acronyms", "for_ear": "ear", "spoken_lines": "ear",
    "spoken_text": "ear", "load_lexicon": "lexicon", "user_lexicon": "lexicon",
    "for_ear_lines": "memo",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"briefing.speech.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'briefing.speech' has no attribute {name!r}")
