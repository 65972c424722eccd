"""Bytes -> str: BOM, declared charset, UTF-8, detection, then mojibake repair; binary refused."""

from __future__ import annotations

import codecs
import re

from briefing.errors import SourceError
from briefing.sources.charset import guess
from briefing.sources.mojibake import repair

# Magic bytes of formats people hand us by mistake; named so the message can say what it was.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a zip archive (or a Word/OpenOffice document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"7z\xbc\xaf", "a 7-zip archive"),
    (b"ID3", "an MP3 file"),
    (b"RIFF", "a RIFF (WAV/AVI/WebP) file"),
    (b"OggS", "an Ogg file"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"SQLite format 3", "an SQLite database"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Valid bytes of multi-byte UTF-8 characters per invalid byte for a text to count as UTF-8
# with a few broken bytes: six stray bytes among a page of curly quotes qualify, while a
# Latin-1 or cp1252 text has no valid multi-byte characters at all ("é" is one lone byte).
UTF8_VALID_RATIO = 3
_ASCII = bytes(range(128))
_SNIFF_BYTES = 4096  # enough to find a prolog or <meta charset> and judge binary-ness
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']""", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def binary_kind(data: bytes) -> str:
    """What binary format `data` looks like ("" when it looks like text)."""
    head = data[:_SNIFF_BYTES]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return ""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    # Text never holds NUL bytes (UTF-16 without a BOM aside, which we do not guess at).
    if b"\x00" in head:
        return "binary data"
    return ""


def declared_charset(data: bytes, header: str = "") -> str:
    """The charset the bytes announce: HTTP header, then XML prolog, then <meta charset>."""
    if header:
        match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", header, re.I)
        if match and _known(match.group(1)):
            return match.group(1).lower()
    head = data[:_SNIFF_BYTES]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        found = pattern.search(head)
        if found:
            name = found.group(1).decode("ascii", "replace")
            if _known(name):
                return name.lower()
    return ""


def _known(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def decode(data: bytes, *, source: str, content_type: str = "") -> str:
    """Decode `data` from `source` into text, repairing mojibake; SourceError if it is binary."""
    kind = binary_kind(data)
    if kind:
        raise SourceError(f"{source}: looks like {kind}, not text: give a .txt, .md, .html or feed")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _finish(data[len(bom) :].decode(encoding, errors="replace"))
    declared = declared_charset(data, content_type)
    # Pages labelled latin-1/ascii are nearly always really cp1252 (the WHATWG rule browsers use).
    if declared in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}:
        declared = "cp1252"
    for encoding in dict.fromkeys([declared, "utf-8"] if declared else ["utf-8"]):
        try:
            return _finish(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    if _mostly_utf8(data):
        # A few stray bytes in a UTF-8 text: reading the whole as something else would
        # garble every other character ("’" as "‚Äô" in mac_latin2) to save those few.
        return _finish(data.decode("utf-8", errors="replace"))
    for encoding in guess(data):
        try:
            return _finish(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return _finish(data.decode("latin-1"))  # not reached: guess() ends with latin-1


def _mostly_utf8(data: bytes) -> bool:
    """Are the non-ASCII bytes nearly all valid UTF-8 (a few broken ones aside)?"""
    text = data.decode("utf-8", errors="replace")
    ascii_bytes = len(data) - len(data.translate(None, _ASCII))
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = len(text.encode("utf-8")) - ascii_bytes - 3 * replaced  # in multi-byte characters
    invalid = len(data) - ascii_bytes - valid
    return valid >= UTF8_VALID_RATIO * invalid


def _finish(text: str) -> str:
    # ftfy repairs "Ã©" style mojibake; NFC (not NFKC) so "²" or "½" are not rewritten.
    # Curly quotes stay curly: they are right, and clean.py relies on them (“enabler,”a).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return repair(text)
