"""ID3v2.4 tags and chapters (CHAP + CTOC) on the finished MP3, with mutagen."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefing.errors import OutputError
from briefing.models import Chapter


def write_tags(
    mp3: Path,
    *,
    title: str,
    show: str,
    date: str,
    comment: str = "",
    language: str = "en",
    chapters: Sequence[Chapter] = (),
    cover_png: bytes | None = None,
) -> None:
    """Title, artist and album (the show), date, genre Podcast, sources, and chapters."""
    from mutagen.id3 import (
        APIC,
        CHAP,
        COMM,
        CTOC,
        ID3,
        TALB,
        TCON,
        TDRC,
        TIT2,
        TLAN,
        TPE1,
        WXXX,
        CTOCFlags,
    )

    tags = ID3()  # the encoder wrote none: start clean
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TPE1(encoding=3, text=show))
    tags.add(TALB(encoding=3, text=show))
    tags.add(TDRC(encoding=3, text=date))
    tags.add(TCON(encoding=3, text="Podcast"))
    tags.add(TLAN(encoding=3, text=_iso639_2(language)))
    if comment:
        tags.add(COMM(encoding=3, lang="eng", desc="", text=comment))
    if cover_png:
        tags.add(APIC(encoding=3, mime="image/png", type=3, desc="Cover", data=cover_png))
    # equal-length element ids keep mutagen's size ordering equal to time order, which is
    # the order ffprobe lists them in
    ids = [f"ch{i:04d}" for i in range(len(chapters))]
    for element_id, chapter in zip(ids, chapters, strict=True):
        sub = [TIT2(encoding=3, text=chapter.title)]
        if chapter.url:
            sub.append(WXXX(encoding=3, desc="", url=chapter.url))
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=int(chapter.start_ms),
                end_time=int(chapter.end_ms),
                sub_frames=sub,
            )
        )
    if chapters:
        tags.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=3, text=title)],
            )
        )
    try:
        tags.save(str(mp3), v2_version=4)
    except OSError as exc:
        raise OutputError(f"cannot write tags to {mp3}: {exc.strerror}") from None


_ISO639_2 = {"en": "eng", "de": "deu", "fr": "fra", "es": "spa", "pt": "por", "it": "ita",
             "nl": "nld", "zh": "zho", "ja": "jpn", "ru": "rus", "pl": "pol", "sv": "swe"}


def _iso639_2(code: str) -> str:
    return _ISO639_2.get(code.split("-")[0].lower(), "und")
