"""One way to download a list or a report as xlsx (issue #20 item 4): streamed, safe, audited.

- rows come from an iterator (a queryset's `.iterator()`), are written by xlsxwriter in constant-memory mode
  to a temporary file and sent with FileResponse (chunks), so a county's list never sits in memory;
- no formula cells: every string is written with `write_string` (a name "=HYPERLINK(…)" stays text), numbers
  and Decimals with `write_number`, dates as text; xlsxwriter's own conversions are switched off too;
- the filters the user chose are the file's header (who exported, when, which region, month, filters),
  so a printed or forwarded file says what it is;
- each export is recorded on the audit trail (`core.audit.record_export`) with the row count, the filters
  and whether full numbers were included, inside the request (an export that fails to record fails).

The caller decides what the user may see: it passes masked values unless the user may see full numbers and
gave a reason (`full_numbers=True, reason=...`).
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone

from core import audit
from core.exports import xlsx_workbook

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL = 32000  # Excel's limit is 32,767 characters


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else \
            value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:MAX_CELL]


class _Writer:
    def __init__(self, path: str, sheet: str):
        self.book = xlsx_workbook(path, {"constant_memory": True, "in_memory": False})
        self.sheet = self.book.add_worksheet(sheet[:31])
        self.bold = self.book.add_format({"bold": True})
        self.head = self.book.add_format({"bold": True, "border": 1, "bg_color": "#F0F3F7", "text_wrap": True})
        self.title = self.book.add_format({"bold": True, "font_size": 14})
        self.muted = self.book.add_format({"font_color": "#555555"})
        self.money = self.book.add_format({"num_format": "0.00"})
        self.row = 0

    def write(self, values, fmt=None):
        for col, value in enumerate(values):
            if isinstance(value, bool) or value is None or not isinstance(value, (int, float, Decimal)):
                self.sheet.write_string(self.row, col, cell_text(value), fmt)
            elif isinstance(value, Decimal):
                self.sheet.write_number(self.row, col, float(value), fmt or self.money)
            else:
                self.sheet.write_number(self.row, col, value, fmt)
        self.row += 1


def xlsx_response(*, actor, title: str, filters: list[tuple[str, str]], header: list[str], rows: Iterable,
                  filename: str, full_numbers: bool = False, reason: str = "", widths: list[int] | None = None,
                  region: tuple[str, str, str] | None = None) -> FileResponse:
    """Write `rows` (iterables of cell values) under a header naming the filters, audit the export, stream it."""
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="jiuzhu-export-")
    os.close(fd)
    count = 0
    try:
        w = _Writer(path, title)
        w.write([title], w.title)
        who = getattr(actor, "full_name", "") or getattr(actor, "username", "")
        w.write([f"导出人：{who}（{getattr(actor, 'username', '')}）",
                 f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}"], w.muted)
        for label, value in filters:
            w.write([f"{label}：", value], w.muted)
        w.write(["身份证号码：" + ("完整号码（已说明用途：" + reason + "）" if full_numbers else "脱敏显示")], w.muted)
        w.row += 1
        w.write(header, w.head)
        w.sheet.freeze_panes(w.row, 0)
        for i, width in enumerate(widths or [16] * len(header)):
            w.sheet.set_column(i, i, width)
        for row in rows:
            w.write(row)
            count += 1
        w.book.close()
        audit.record_export(actor=actor, what=title, filters=dict(filters), rows=count, fmt="xlsx",
                            full_numbers=full_numbers, reason=reason, region=region)
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    finally:
        # the open handle keeps the data readable on POSIX; the name goes at once
        try:
            os.unlink(path)
        except OSError:
            pass
    response = FileResponse(handle, content_type=CONTENT_TYPE, as_attachment=True)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
