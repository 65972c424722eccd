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
        order_chapters(mp3)
    except OSError as exc:
        raise OutputError(f"cannot write tags to {mp3}: {exc.strerror}") from None


_ISO639_2 = {"en": "eng", "de": "deu", "fr": "fra", "es": "spa", "pt": "por", "it": "ita",
             "nl": "nld", "zh": "zho", "ja": "jpn", "ru": "rus", "pl": "pol", "sv": "swe"}


def _iso639_2(code: str) -> str:
    return _ISO639_2.get(code.split("-")[0].lower(), "und")


def _chapter_frames(chapters: Sequence[Chapter]) -> list[Any]:
    def make(index: int, chapter: Chapter) -> Any:
        sub: list[Any] = [TIT2(encoding=3, text=chapter.title)]
        if chapter.url:
            sub.append(WXXX(encoding=3, desc="", url=chapter.url))
        return CHAP(element_id=f"ch{index}", start_time=int(chapter.start_ms),
                    end_time=int(chapter.end_ms), sub_frames=sub)

    return [make(index, chapter) for index, chapter in enumerate(chapters)]


def _syncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def order_chapters(mp3: Path) -> None:
    """Put the tag's CHAP frames in time order, in place.

    mutagen writes frames sorted by size, and ffprobe and many players list chapters in
    the order their frames come in the file. This walks the ID3v2.4 frames (the format's
    own layout, not mutagen's internals) and swaps the CHAP frames among their own slots,
    sorted by start time: the tag keeps its length and every other frame its place.
    """
    with mp3.open("r+b") as fh:
        header = fh.read(10)
        if header[:3] != b"ID3" or header[3] != 4 or header[5] & 0x80:
            return  # not a v2.4 tag as written above (unsynchronised tags are not ours)
        body = fh.read(_syncsafe(header[6:10]))
        frames: list[bytes] = []
        pos = 0
        while pos + 10 <= len(body) and body[pos] != 0:
            end = pos + 10 + _syncsafe(body[pos + 4 : pos + 8])
            frames.append(body[pos:end])
            pos = end
        slots = [i for i, f in enumerate(frames) if f[:4] == b"CHAP"]

        def start_ms(frame: bytes) -> int:
            at = frame.index(b"\0", 10) + 1  # after the element id
            return int.from_bytes(frame[at : at + 4], "big")

        ordered = sorted((frames[i] for i in slots), key=start_ms)
        if [frames[i] for i in slots] == ordered:
            return
        for i, frame in zip(slots, ordered, strict=True):
            frames[i] = frame
        fh.seek(10)
        fh.write(b"".join(frames))
