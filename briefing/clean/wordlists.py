"""wordfreq's word frequencies, kept in the cache folder in a form that loads in milliseconds.

Importing wordfreq costs ~0.12 s (langcodes, ftfy, regex) and unpacking its English list
another ~0.1 s, on every run, before a word is repaired. The lists never change while the
same wordfreq is installed, so the first run keeps each one (the words of each frequency
bucket as one string) under the cache folder, and later runs rebuild the very same
dictionary from it without importing wordfreq at all.
"""

from __future__ import annotations

import importlib.util
import json
import math
from functools import cache
from pathlib import Path

FORMAT = 1  # bump when the kept form changes


@cache
def _stamp() -> str:
    """Which wordfreq is installed, without importing it: its file's size and time stamp."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.origin:
        return ""
    st = Path(spec.origin).stat()
    return f"{FORMAT}-{st.st_size}-{st.st_mtime_ns}"


def _buckets_from_wordfreq(lang: str, wordlist: str) -> list[str]:
    import wordfreq

    try:
        pack = wordfreq.get_frequency_list(lang, wordlist)
    except (LookupError, ValueError):  # no list for this language
        return []
    return ["\n".join(bucket) for bucket in pack]


@cache
def frequencies(lang: str, wordlist: str = "best") -> dict[str, float]:
    """word -> frequency, equal to `wordfreq.get_frequency_dict(lang, wordlist)`.

    Empty when wordfreq has no list for `lang` (or is not installed).
    """
    from briefing.paths import cache_dir, keep_in_cache

    stamp = _stamp()
    if not stamp:
        return {}
    path = cache_dir() / "wordfreq" / f"{wordlist}-{lang}-{stamp}.json"
    try:
        buckets = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(buckets, list):
            raise ValueError("not a list")
    except (OSError, ValueError):
        buckets = _buckets_from_wordfreq(lang, wordlist)
        keep_in_cache(path, json.dumps(buckets, ensure_ascii=False).encode("utf-8"))
    freqs: dict[str, float] = {}
    for index, words in enumerate(buckets):
        if words:
            # wordfreq's buckets are centibels: bucket i holds the words of frequency 10**(-i/100)
            freqs.update(dict.fromkeys(words.split("\n"), 10 ** (-index / 100)))
    return freqs


def zipf_frequency(word: str, lang: str) -> float:
    """`wordfreq.zipf_frequency(word, lang)`, without wordfreq for a plain lowercase word.

    Anything else (capitals, digits, apostrophes, other scripts) goes through wordfreq's
    own tokenizer, which such words need.
    """
    if not (word.isascii() and word.isalpha() and word.islower()):
        import wordfreq

        return float(wordfreq.zipf_frequency(word, lang))
    freq = frequencies(lang).get(word, 0.0)
    if freq == 0.0:
        return 0.0
    # wordfreq rounds to 3 significant digits, then to hundredths of a zipf
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)
