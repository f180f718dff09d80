"""Photos lose their metadata before they are stored: a phone's JPEG carries EXIF with the GPS position of the
home, the device and the time; a PNG may carry text chunks. Only the picture is kept (no re-encoding, so nothing
is lost of the image itself). A file that does not parse cleanly is returned unchanged: the type check already
passed, and a damaged image is better kept as uploaded than refused here."""
from __future__ import annotations

import struct
import zlib

# JPEG segments kept: everything except APPn (0xE1–0xEF: EXIF, XMP, Photoshop/IPTC, ...) and COM (0xFE).
# APP0 (0xE0, JFIF) stays: it only says how to read the pixels.
_JPEG_DROP = set(range(0xE1, 0xF0)) | {0xFE}
# PNG chunks dropped: text, EXIF and time stamps.
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def strip(data: bytes, mime: str) -> bytes:
    try:
        if mime == "image/jpeg":
            return _jpeg(data)
        if mime == "image/png":
            return _png(data)
    except (IndexError, ValueError, struct.error):
        return data
    return data


def _jpeg(data: bytes) -> bytes:
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out = bytearray(b"\xff\xd8")
    i = 2
    while i < len(data):
        if data[i] != 0xFF:
            raise ValueError("marker expected")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xDA or marker == 0xD9:  # start of scan: the compressed picture and the rest stay as they are
            out += data[i:]
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out += data[i:i + 2]
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if length < 2 or i + 2 + length > len(data):
            raise ValueError("segment length")
        if marker not in _JPEG_DROP:
            out += data[i:i + 2 + length]
        i += 2 + length
    raise ValueError("no image data")


def _png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG")
    out = bytearray(_PNG_SIGNATURE)
    i = len(_PNG_SIGNATURE)
    while i < len(data):
        (length,) = struct.unpack(">I", data[i:i + 4])
        kind = data[i + 4:i + 8]
        end = i + 12 + length
        if end > len(data):
            raise ValueError("chunk length")
        if kind not in _PNG_DROP:
            out += data[i:end]
        i = end
        if kind == b"IEND":
            return bytes(out)
    raise ValueError("no IEND")


def png_chunk(kind: bytes, body: bytes) -> bytes:
    """A PNG chunk (for tests and tools): length, type, body, CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
