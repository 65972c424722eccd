"""Text for the ear remembered per line, so a re-render does not run every rule again.

A warm `render` needs each line's spoken text only to find its speech in the segment cache;
working it out again compiled ~200 patterns and imported num2words (~0.1 s of a 0.4 s
re-render). The key is the line, its language, the lexicon and the rules themselves (the
speech modules' and rule tables' sizes and times), so any change to them is a miss.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

MEMO_FILE = "ear-lines.json"
MAX_LINES = 20_000  # ~4 MB of JSON: a year of daily five-minute briefings


@cache
def _rules_digest() -> str:
    here = Path(__file__).parent
    files = sorted([*here.glob("*.py"), *(here.parent / "data").glob("ear/*.toml"),
                    here.parent / "data" / "lexicon.toml"])
    digest = hashlib.sha256()
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        digest.update(f"{path.name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _key(text: str, language: str, lexicon_digest: str) -> str:
    raw = f"{_rules_digest()}|{lexicon_digest}|{language}|{text}".encode()
    return hashlib.sha256(raw).hexdigest()[:24]


def for_ear_lines(lines: Sequence[tuple[str, str]], lexicon: Mapping[str, str]) -> list[str]:
    """for_ear(text, language, lexicon) of each (text, language), remembered between runs."""
    from briefing.paths import cache_dir, keep_in_cache, read_json_object

    path = cache_dir() / "ear" / MEMO_FILE
    lexicon_digest = hashlib.sha256(
        json.dumps(sorted(lexicon.items()), ensure_ascii=False).encode()).hexdigest()[:16]
    known: dict[str, str] = read_json_object(path)  # a damaged memo is only a redo away
    keys = [_key(text, language, lexicon_digest) for text, language in lines]
    missing = [i for i, key in enumerate(keys) if key not in known]
    if missing:
        from briefing.speech.ear import for_ear

        for i in missing:
            text, language = lines[i]
            known[keys[i]] = for_ear(text, language, lexicon)
        if len(known) > MAX_LINES:  # oldest first out: dicts keep their insertion order
            known = dict(list(known.items())[-MAX_LINES:])
        keep_in_cache(path, json.dumps(known, ensure_ascii=False))
    return [known[key] for key in keys]
