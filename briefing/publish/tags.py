"""ID3v2.4 tags and chapters (CHAP + CTOC) on the finished MP3, with mutagen."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
    cover: bytes | None = None,
) -> None:
    """Title, artist and album (the show), date, genre Podcast, sources, and chapters."""
    tags = ID3()  # the encoder wrote none: start clean
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TPE1(encoding=3, text=show))
    tags.add(TALB(encoding=3, text=show))
    tags.add(TDRC(encoding=3, text=date))
    tags.add(TCON(encoding=3, text="Podcast"))
    tags.add(TLAN(encoding=3, text=_iso639_2(language)))
    if comment:
        tags.add(COMM(encoding=3, lang="eng", desc="", text=comment))
    if cover:
        mime = "image/png" if cover.startswith(b"\x89PNG") else "image/jpeg"
        tags.add(APIC(encoding=3, mime=mime, type=3, desc="Cover", data=cover))
    frames = _chapter_frames(chapters)
    ids = [frame.element_id for frame in frames]
    for frame in frames:
        tags.add(frame)
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


def _chapter_frames(chapters: Sequence[Chapter]) -> list[Any]:
    """CHAP frames whose sizes grow with time, so that mutagen writes them in time order.

    mutagen writes frames sorted by size (then by id), and ffprobe and many players list
    chapters in file order. Lengthening an element id with zeros ("ch0003" -> "ch000003")
    changes nothing a listener sees.
    """

    def make(index: int, chapter: Chapter, width: int) -> Any:
        sub: list[Any] = [TIT2(encoding=3, text=chapter.title)]
        if chapter.url:
            sub.append(WXXX(encoding=3, desc="", url=chapter.url))
        return CHAP(element_id=f"ch{index:0{width}d}", start_time=int(chapter.start_ms),
                    end_time=int(chapter.end_ms), sub_frames=sub)

    frames: list[Any] = []
    previous = -1
    for index, chapter in enumerate(chapters):
        frame = make(index, chapter, 4)
        size = len(frame._writeData())
        if size <= previous:
            frame = make(index, chapter, 4 + previous + 1 - size)
            size = len(frame._writeData())
        frames.append(frame)
        previous = size
    return frames
