"""Uploads: the type from the file's first bytes (never from its name or the browser's claim), and an upload
handler that stops reading a file once it passes the size limit (nothing larger is ever held or written)."""
from __future__ import annotations

import io
import re
import unicodedata

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
# Slack over the file limit for the other fields and the multipart framing of one form.
ENVELOPE = 64 * 1024


def sniff(data: bytes) -> str | None:
    """The MIME type the content really has, or None when it is none of PDF, JPEG, PNG."""
    head = data[:16]
    for magic, mime in SIGNATURES:
        if head.startswith(magic):
            return mime
    return None


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\<>\"'`|:*?]+")


def clean_name(raw: str, *, limit: int = 120) -> str:
    """A file name as shown on pages and in the Content-Disposition header: no path, no control characters,
    no markup or quoting characters, bounded."""
    name = unicodedata.normalize("NFKC", str(raw or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._")
    return name[:limit]


def clean_text(raw: str, *, limit: int) -> str:
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", str(raw or "")).strip()
    return text[:limit]


class BoundedUploadHandler(FileUploadHandler):
    """Keeps each uploaded file in memory up to `limit` bytes; a larger file is dropped (and `too_large` set),
    the rest of the request is skipped."""

    def __init__(self, request=None, *, limit):
        super().__init__(request)
        self._limit = limit  # bytes, or a function giving them (read when the first file arrives)
        self.too_large = False
        self._buffer = None
        self._size = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._buffer, self._size = io.BytesIO(), 0

    @property
    def limit(self) -> int:
        if callable(self._limit):
            self._limit = self._limit()
        return self._limit

    def receive_data_chunk(self, raw_data, start):
        self._size += len(raw_data)
        if self._size > self.limit:
            self.too_large = True
            self._buffer = None
            raise StopUpload(connection_reset=False)
        self._buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self._buffer is None:
            return None
        self._buffer.seek(0)
        return InMemoryUploadedFile(self._buffer, self.field_name, self.file_name, self.content_type,
                                    file_size, self.charset, self.content_type_extra)


def install(request, limit) -> BoundedUploadHandler:
    """Put the bounded handler on a request before anything reads its body."""
    handler = BoundedUploadHandler(request, limit=limit)
    request.upload_handlers = [handler]
    return handler


def declared_too_large(request, limit: int) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit + ENVELOPE
    except ValueError:
        return True
