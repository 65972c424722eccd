"""The Xing/Info frame (LAME's layout) that tells players an MP3's exact length.

Without it, players and ffprobe estimate the length from the bitrate and seek inexactly in
long episodes. Each chunk comes from LAME with its own Info frame (frames, encoder delay,
end padding, the CRC of its audio); the joined episode gets one new Info frame in front,
made from its chunks': the total frame count and bytes, the first chunk's delay, the last
chunk's padding, and the chunks' CRCs combined (no byte of audio is read again).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from briefing.errors import AudioError

BITRATES_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
SAMPLE_RATES = (44100, 48000, 32000)
XING_FLAGS = 0x0F  # frame count, byte count, seek table and quality present
XING_SIZE = 120  # "Info", flags, frames, bytes, 100-byte seek table, quality
LAME_SIZE = 36
ENCODER = b"LAME3.100"  # the chunks are libmp3lame's (3.100, in every ffmpeg we use)
DECODER_DELAY = 529  # samples every MPEG-1 Layer III decoder adds before the first one


@dataclass(frozen=True)
class Info:
    """What a chunk's own Info frame says, and where its audio frames start."""

    size: int  # bytes of the Info frame: the audio starts after it
    delay: int  # the encoder's delay, in samples (576 for LAME)
    padding: int  # samples of padding at the end
    music_crc: int  # CRC-16 of the audio frames (after the Info frame)


def _side_info(header: bytes) -> int:
    return 17 if header[3] >> 6 == 3 else 32  # mono: 17 bytes of side info, else 32


def frame_size(header: bytes) -> int:
    """Bytes of the MPEG-1 Layer III frame this 4-byte header starts."""
    if header[0] != 0xFF or header[1] & 0xFE != 0xFA:
        raise AudioError("the MP3 encoder wrote something that is not an MPEG-1 Layer III frame")
    bitrate = BITRATES_KBPS[header[2] >> 4]
    rate_index = (header[2] >> 2) & 3
    if not bitrate or rate_index == 3:
        raise AudioError("the MP3 encoder wrote a free-format or invalid frame")
    return 144_000 * bitrate // SAMPLE_RATES[rate_index] + ((header[2] >> 1) & 1)


def read_info(data: bytes) -> Info | None:
    """The Info (or Xing) frame at the start of `data` with its LAME fields, or None."""
    if len(data) < 4:
        return None
    at = 4 + _side_info(data[:4])
    if data[at : at + 4] not in (b"Info", b"Xing"):
        return None
    flags = int.from_bytes(data[at + 4 : at + 8], "big")
    lame = at + 8 + 4 * bool(flags & 1) + 4 * bool(flags & 2) + 100 * bool(flags & 4) + 4 * bool(
        flags & 8)
    if len(data) < lame + LAME_SIZE:
        return None
    gap = int.from_bytes(data[lame + 21 : lame + 24], "big")
    return Info(size=frame_size(data[:4]), delay=gap >> 12, padding=gap & 0xFFF,
                music_crc=int.from_bytes(data[lame + 32 : lame + 34], "big"))


def info_frame(first: bytes, frames: int, audio_bytes: int, *, delay: int, padding: int,
               music_crc: int) -> bytes:
    """A LAME-style Info frame for a CBR stream of `frames` frames and `audio_bytes` bytes
    whose first frame header is `first`; silent to decoders that do not know the tag."""
    side = _side_info(first)
    needed = 4 + side + XING_SIZE + LAME_SIZE
    index = first[2] >> 4
    header = bytearray(first[:4])
    header[1] |= 1  # no CRC
    header[2] &= 0x0C  # keep the sample rate; no padding, no private bit
    header[3] &= 0xCF  # no mode extension
    while True:  # the stream's own bitrate when the tag fits (it does from 56 kbps mono)
        header[2] = (header[2] & 0x0F) | (index << 4)
        size = frame_size(bytes(header))
        if size >= needed or index == 14:
            break
        index += 1
    frame = bytearray(size)
    frame[:4] = header
    at = 4 + side
    total = size + audio_bytes
    frame[at : at + 4] = b"Info"
    frame[at + 4 : at + 8] = XING_FLAGS.to_bytes(4, "big")
    frame[at + 8 : at + 12] = frames.to_bytes(4, "big")
    frame[at + 12 : at + 16] = total.to_bytes(4, "big")
    # a constant bitrate: a tenth of the time is a tenth of the bytes
    frame[at + 16 : at + 116] = bytes(i * 256 // 100 for i in range(100))
    lame = at + XING_SIZE
    frame[lame : lame + 9] = ENCODER
    frame[lame + 9] = 0x01  # tag revision 0, constant bitrate
    frame[lame + 20] = min(255, BITRATES_KBPS[first[2] >> 4])
    frame[lame + 21 : lame + 24] = ((min(delay, 4095) << 12) | min(padding, 4095)).to_bytes(
        3, "big")
    mode = 0 if first[3] >> 6 == 3 else 3 << 2  # mono, else joint stereo (LAME's default)
    frame[lame + 24] = (1 << 6) | mode  # source sampled at 44.1 kHz
    frame[lame + 28 : lame + 32] = total.to_bytes(4, "big")
    frame[lame + 32 : lame + 34] = music_crc.to_bytes(2, "big")
    frame[lame + 34 : lame + 36] = crc16(bytes(frame[: lame + 34])).to_bytes(2, "big")
    return bytes(frame)


def sign(mp3: Path) -> None:
    """Rewrite the Info frame ffmpeg put on an MP3 it encoded whole as the one `info_frame`
    makes: ffmpeg signs its tag "Lavc", and mutagen (and players like it) then ignore the
    delay and padding and report a length 25-50 ms too long."""
    data = mp3.read_bytes()
    info = read_info(data)
    if info is None:
        raise AudioError(f"{mp3} has no Info frame: ffmpeg was asked to write one")
    audio = data[info.size :]
    frame = info_frame(audio[:4], count_frames(audio), len(audio), delay=info.delay,
                       padding=info.padding, music_crc=info.music_crc)
    mp3.write_bytes(frame + audio)


def count_frames(data: bytes) -> int:
    """MPEG audio frames in a raw MP3 stream (no tags), walking the frame headers."""
    pos = frames = 0
    while pos + 4 <= len(data):
        if data[pos] != 0xFF or (data[pos + 1] & 0xE0) != 0xE0:
            raise AudioError("the MP3 encoder wrote something that is not an MP3 frame")
        pos += frame_size(data[pos : pos + 4])
        frames += 1
    return frames


@cache
def _table() -> tuple[int, ...]:
    """CRC-16/ARC (polynomial 0x8005, reflected), the CRC LAME's tag uses."""
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


def crc16(data: bytes, crc: int = 0) -> int:
    table = _table()
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


@cache
def _zeros_operator(power: int) -> tuple[int, ...]:
    """What feeding 2**power zero bytes does to a CRC register: the image of each of its 16
    bits (the CRC is linear, so any register is the XOR of its bits' images)."""
    if power == 0:
        table = _table()
        return tuple((1 << bit >> 8) ^ table[(1 << bit) & 0xFF] for bit in range(16))
    half = _zeros_operator(power - 1)
    return tuple(_apply(half, image) for image in half)


def _apply(operator: tuple[int, ...], crc: int) -> int:
    out = bit = 0
    while crc:
        if crc & 1:
            out ^= operator[bit]
        crc >>= 1
        bit += 1
    return out


def crc16_combine(first: int, second: int, second_length: int) -> int:
    """The CRC of A + B from the CRCs of A and B and B's length (as zlib's crc32_combine)."""
    power = 0
    while second_length:
        if second_length & 1:
            first = _apply(_zeros_operator(power), first)
        second_length >>= 1
        power += 1
    return first ^ second
