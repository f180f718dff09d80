"""Photos are stored without their metadata: a phone JPEG's EXIF holds the GPS position of the home."""
import struct

import pytest

from attachments import metadata, services
from attachments.models import AttachmentContent
from tests.cases.dibao_helpers import poor_household, seed_standards


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


SCAN = b"\x12\x34\xff\x00\x56" * 20  # entropy-coded data (0xFF stuffed as FF 00)
JFIF = _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
EXIF = _segment(0xE1, b"Exif\x00\x00MM\x00*GPSLatitude 35.1234N GPSLongitude 113.4321E Model:PhoneX")
XMP = _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>2026-12-03T09:00</x:xmpmeta>")
COMMENT = _segment(0xFE, "taken at 何营东村5组".encode())
DQT = _segment(0xDB, b"\x00" + bytes(range(64)))
SOS = _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
PHOTO = b"\xff\xd8" + JFIF + EXIF + XMP + COMMENT + DQT + SOS + SCAN + b"\xff\xd9"
CLEAN = b"\xff\xd8" + JFIF + DQT + SOS + SCAN + b"\xff\xd9"

IHDR = metadata.png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
IDAT = metadata.png_chunk(b"IDAT", b"\x78\x9c\x63\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00")
IEND = metadata.png_chunk(b"IEND", b"")
PNG_SIG = b"\x89PNG\r\n\x1a\n"
PNG_PHOTO = (PNG_SIG + IHDR + metadata.png_chunk(b"tEXt", b"Location\x0035.1234,113.4321")
             + metadata.png_chunk(b"eXIf", b"MM\x00*GPS") + IDAT + IEND)


def test_jpeg_loses_exif_xmp_and_comments_and_keeps_the_picture():
    assert metadata.strip(PHOTO, "image/jpeg") == CLEAN


def test_png_loses_text_and_exif_chunks():
    assert metadata.strip(PNG_PHOTO, "image/png") == PNG_SIG + IHDR + IDAT + IEND


@pytest.mark.parametrize("data, mime", [(PHOTO[:40], "image/jpeg"), (b"\xff\xd8\x00garbage", "image/jpeg"),
                                        (PNG_PHOTO[:30], "image/png"), (b"%PDF-1.4", "application/pdf")])
def test_what_does_not_parse_is_kept_as_uploaded(data, mime):
    assert metadata.strip(data, mime) == data


def test_an_uploaded_photo_is_stored_without_its_position(users):
    seed_standards()
    hh = poor_household()
    att = services.attach(actor=users["zhandian_jingban"], owner=hh, data=PHOTO, filename="家访.jpg",
                          doc_type="other")
    stored = AttachmentContent.objects.get(attachment=att).reveal()
    assert stored == CLEAN and b"GPS" not in stored
    assert att.size == len(CLEAN)
