"""Every uploaded spreadsheet is bounded before anything reads it: size, type (from the content), and, for an
xlsx (a zip), the uncompressed size and the extent of every sheet.

`check_bytes(data, name, limits)` is the one gate; it returns the format ('xlsx', 'xls', 'csv') or raises
`UploadRefused` with a Chinese message. For an xlsx it reads the zip's declared sizes first (a bomb usually
declares them honestly) and then decompresses every member in small chunks, counting the bytes actually
produced (the declared sizes may lie), and scans every worksheet — everything under xl/worksheets/ and whatever
the workbook's relationships point to — for the places its rows and cells name, however the XML writes them
(core.sheetscan), and its declared `<dimension>`: a sheet that names cell XFD1048576 is refused before the
spreadsheet library allocates its grid. Memory stays at one chunk; time is bounded by `max_uncompressed`.

`read_upload(file, limits)` checks an uploaded file's size before its content is read into memory;
`StoredUploadMixin` keeps the file, sealed, for the background job that reads it.
"""
from __future__ import annotations

import base64
import hashlib
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from core import sheetscan
from core.sealing import SealedBytesMixin
from core.sheetscan import SheetExtent

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 20
MB = 1024 * 1024

# Magic numbers of what people upload by mistake, for a message that names it.
_OTHER_KINDS = (
    (b"%PDF", "PDF 文件"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)
EXCEL_EXT = (".xlsx", ".xlsm", ".xls", ".et")


class UploadRefused(ValidationError):
    """The whole file is unusable; nothing is written."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 30 * MB
    max_uncompressed: int = 300 * MB
    max_rows: int = 300_000
    max_columns: int = 120
    max_cell_chars: int = 2_000

    def with_(self, **changes) -> Limits:
        return replace(self, **changes)


def default_limits(**changes) -> Limits:
    """The site's limits (settings.UPLOAD_LIMITS may override any field), with `changes` for one upload kind."""
    base = Limits(**getattr(settings, "UPLOAD_LIMITS", {}))
    return base.with_(**changes) if changes else base


def _mb(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{max(1, n // 1024)} KB"


def check_size(size: int, limits: Limits) -> None:
    if size <= 0:
        raise UploadRefused("上传的文件是空的", code="empty")
    if size > limits.max_bytes:
        raise UploadRefused(f"文件大小 {_mb(size)}，超过上限 {_mb(limits.max_bytes)}，请拆分后分批上传",
                            code="too_large")


def read_upload(upload, limits: Limits) -> bytes:
    """The content of an UploadedFile (form or API), refused by its size before it is read into memory."""
    if upload is None:
        raise UploadRefused("请选择要上传的文件", code="required")
    check_size(getattr(upload, "size", 0) or 0, limits)
    data = upload.read(limits.max_bytes + 1)
    check_size(len(data), limits)
    return data


def is_encrypted_ole(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data


def sniff(data: bytes, name: str = "") -> str:
    """'xlsx', 'xls' or 'csv' from the content; the name only shapes the message."""
    if not data or not data.strip():
        raise UploadRefused("上传的文件是空的", code="empty")
    lower = (name or "").lower()
    if is_encrypted_ole(data):
        raise UploadRefused("文件设置了打开密码，系统无法读取。请在 Excel 中取消密码（文件→信息→保护工作簿）后重新上传",
                            code="password")
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        return "xls"
    said_excel = lower.endswith(EXCEL_EXT)
    for magic, what in _OTHER_KINDS:
        if data.startswith(magic):
            raise UploadRefused(f"不是 Excel 文件：上传的是{what}"
                                + ("（扩展名被改成了 Excel）" if said_excel else "")
                                + "，请上传 .xlsx、.xls 或 .csv 表格", code="not_spreadsheet")
    if said_excel:
        raise UploadRefused("不是 Excel 文件：文件名是 Excel 表格，内容却不是，请用 Excel 打开确认后另存为 .xlsx 再上传",
                            code="not_spreadsheet")
    if b"\x00" in data[:4096]:
        raise UploadRefused("上传的文件不是 Excel 或 CSV 表格（请上传 .xlsx、.xls 或 .csv 文件）", code="not_spreadsheet")
    return "csv"


_TARGET = re.compile(rb'Target\s*=\s*["\']([^"\']{1,500})["\']')
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"


def _too_big(limits: Limits) -> UploadRefused:
    return UploadRefused(f"文件解压后超过 {_mb(limits.max_uncompressed)}（可能是异常或被篡改的文件），系统拒绝读取。"
                         "请检查文件，或拆分后分批上传", code="zip_bomb")


def _damaged() -> UploadRefused:
    return UploadRefused("文件已损坏（压缩数据不完整），请用 Excel 打开确认后重新保存再上传", code="not_spreadsheet")


def _extent_refusal(rows: int, columns: int, limits: Limits) -> UploadRefused | None:
    if rows > limits.max_rows:
        return UploadRefused(f"表格超过 {limits.max_rows:,} 行（文件中为 {rows:,} 行），请拆分后分批上传，"
                             "或删除表格末尾的空白行后另存", code="too_many_rows")
    if columns > limits.max_columns:
        return UploadRefused(f"表格超过 {limits.max_columns} 列（文件中为 {columns} 列），请删除多余的列后另存",
                             code="too_many_columns")
    return None


def _sheet_members(archive: zipfile.ZipFile, names: set[str]) -> set[str]:
    """The members a reader may take for a worksheet: everything under xl/worksheets/, and every target of the
    workbook's relationships (the reader opens a sheet wherever its relationship points, whatever the name)."""
    sheets = {n for n in names if n.startswith("xl/worksheets/")}
    if WORKBOOK_RELS in names and archive.getinfo(WORKBOOK_RELS).file_size <= MB:
        with archive.open(WORKBOOK_RELS) as rels:
            text = rels.read(MB + 1)
        for target in _TARGET.findall(text[:MB]):
            path = target.decode("utf-8", "replace")
            path = path[1:] if path.startswith("/") else f"xl/{path}"
            sheets.update({path, posixpath.normpath(path)})
    return sheets & names


def check_zip(data: bytes, limits: Limits) -> dict[str, SheetExtent]:
    """Declared sizes, then a streaming count of every member; every worksheet scanned for the places it names
    (core.sheetscan: the fast path for sheets as spreadsheet programs write them, an exact count otherwise).
    Returns the extent of the sheets that needed the exact count."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError):
        raise UploadRefused("文件已损坏或不是 Excel 表格，请用 Excel 打开确认后重新上传", code="not_spreadsheet") from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise UploadRefused("不是 Excel 文件：这是一个 zip 压缩包或其他 Office 文档，请上传 .xlsx、.xls 或 .csv 表格",
                            code="not_spreadsheet")
    if "xl/workbook.bin" in names:
        raise UploadRefused("系统不支持 .xlsb 二进制工作簿，请在 Excel 中另存为 .xlsx 后上传", code="not_spreadsheet")
    if len(infos) > 10_000 or sum(i.file_size for i in infos) > limits.max_uncompressed:
        raise _too_big(limits)
    produced = 0
    extents: dict[str, SheetExtent] = {}
    try:
        sheets = _sheet_members(archive, names)
        for info in infos:
            scan = sheetscan.SheetScan(limits) if info.filename in sheets else None
            size = 0
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    produced += len(chunk)
                    size += len(chunk)
                    if produced > limits.max_uncompressed:
                        raise _too_big(limits)
                    if scan is not None:
                        scan.feed(chunk)
                        refusal = _extent_refusal(scan.declared.rows, scan.declared.columns, limits)
                        if refusal:
                            raise refusal
            if scan is not None:
                scan.finish()
                if scan.suspect:
                    with archive.open(info) as member:
                        extent = extents[info.filename] = sheetscan.exact_extent(_Bounded(member, size), limits)
                    refusal = _extent_refusal(extent.rows, extent.columns, limits)
                    if refusal:
                        raise refusal
    except UploadRefused:
        raise
    except sheetscan.MalformedSheet:
        raise UploadRefused("文件中的工作表已损坏或格式异常，请用 Excel 打开确认后另存为 .xlsx 再上传",
                            code="not_spreadsheet") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
        raise _damaged() from None
    return extents


class _Bounded:
    """A member read again for the exact count, no further than it decompressed the first time."""

    def __init__(self, member, size: int):
        self.member, self.left = member, size

    def read(self, n: int) -> bytes:
        data = self.member.read(min(n, self.left))
        self.left -= len(data)
        return data


def check_bytes(data: bytes, name: str, limits: Limits) -> str:
    """The one gate before any reader: size, type from content, zip bounds. Returns the format."""
    check_size(len(data), limits)
    kind = sniff(data, name)
    if kind == "xlsx":
        check_zip(data, limits)
    return kind


class StoredUploadMixin(SealedBytesMixin, models.Model):
    """An uploaded file kept for a background job: SM4-sealed (a file of IDs and card numbers is PII), bound
    to its row like every sealed column. For a `SealedRowMixin` model listing `"file_cipher": "file"` in its
    `sealed_fields` (this mixin first in the bases: the file column holds bytes, see SealedBytesMixin).

    The file is sealed as its bytes behind a marker: compressed (zlib, fastest level) when that makes it at least
    a tenth smaller — a county's caseload as CSV is 30 MB and 7 MB compressed, which is what is then encrypted,
    written, read back and decrypted (≈ 0.9 s less per import); an xlsx is a zip already and is kept as it is.
    Files stored before as base64 text never start with NUL and still read."""

    RAW_FILE = b"\x00raw\x00"
    ZLIB_FILE = b"\x00zlib\x00"
    _ZIP_MAGIC = b"PK\x03\x04"

    file_name = models.CharField("文件名", max_length=200)
    file_sha256 = models.CharField(max_length=64)
    file_size = models.PositiveIntegerField("文件大小（字节）", default=0)
    file_cipher = models.BinaryField("文件（密文）", editable=False)

    class Meta:
        abstract = True

    def store_file(self, name: str, data: bytes) -> None:
        self.file_name = (name or "upload").strip()[:200]
        self.file_sha256 = hashlib.sha256(data).hexdigest()
        self.file_size = len(data)
        packed = b"" if data.startswith(self._ZIP_MAGIC) else zlib.compress(data, 1)
        if packed and len(packed) <= len(data) * 0.9:
            self.seal_column("file_cipher", self.ZLIB_FILE + packed)
        else:
            self.seal_column("file_cipher", self.RAW_FILE + data)

    def stored_file(self) -> bytes:
        plain = self.unseal_column("file_cipher") or b""
        if plain.startswith(self.ZLIB_FILE):
            # authenticated ciphertext of our own writing, still bounded by the size recorded at upload
            inflate = zlib.decompressobj()
            data = inflate.decompress(memoryview(plain)[len(self.ZLIB_FILE):], self.file_size + 1)
            if len(data) != self.file_size or inflate.unconsumed_tail:
                raise ValueError("stored file does not match its recorded size")
            return data
        return plain[len(self.RAW_FILE):] if plain.startswith(self.RAW_FILE) else base64.b64decode(plain)
