"""The files the import hands out: the xlsx template (with a sheet of notes and the aliases each column accepts)
and the error report (the original rows with an error column beside them, plus a list of every problem).

Every value is written as text (no formula, no URL, no number guessed from a string): what a township typed
reaches other people's spreadsheets.
"""
from __future__ import annotations

import io

from core import uploads
from core.exports import xlsx_workbook
from imports import columns as C
from imports import plan as planning

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _book(buf):
    return xlsx_workbook(buf, {"in_memory": True})  # text stays text: never a formula or a link


def template_xlsx() -> bytes:
    buf = io.BytesIO()
    book = _book(buf)
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("家庭成员")
    header, notes, example = C.template_rows()
    for col, column in enumerate(C.COLUMNS):
        sheet.write_string(0, col, column.label, required if column.required else head)
        sheet.set_column(col, col, 22 if column.key in ("id_number", "address") else 14, text)
        if column.key in C.DROPDOWNS:
            sheet.data_validation(1, col, 20000, col, {"validate": "list", "source": C.DROPDOWNS[column.key],
                                                       "error_type": "information"})
    sheet.freeze_panes(1, 0)
    guide = book.add_worksheet("填写说明")
    for col, label in enumerate(["列名", "是否必填", "填写说明", "也可使用的列名", "示例"]):
        guide.write_string(0, col, label, head)
    for r, column in enumerate(C.COLUMNS, start=1):
        guide.write_string(r, 0, column.label)
        guide.write_string(r, 1, "必填" if column.required else "选填")
        guide.write_string(r, 2, column.note)
        guide.write_string(r, 3, "、".join(column.aliases))
        guide.write_string(r, 4, column.example)
    tail = len(C.COLUMNS) + 2
    for i, line in enumerate([
        "一行填写一名家庭成员；同一户的成员填写相同的户编号，每户有且只有一名户主。",
        "身份证号码一列请先设为“文本”格式再粘贴，避免 Excel 转成科学计数法或丢失末位。",
        "救助类别、月救助金额、起始月份、保障人数只需在该户任意一行（建议户主一行）填写。",
        "社保卡号/银行账号和开户银行选填，在户主一行填写，发放给户主；卡号一列请设为文本格式。",
        "“更新”方式导入时，已登记家庭中新出现的成员（身份证号码未登记）将作为新增成员加入该户。",
        "系统先校验整个文件：有任何错误都不会导入，并给出错误报告；同一文件重复导入不会重复登记。",
        "也可上传 .xls 或 GBK/UTF-8 编码的 CSV 文件，列名可使用“也可使用的列名”中的写法。",
    ]):
        guide.write_string(tail + i, 0, line)
    guide.set_column(0, 0, 18)
    guide.set_column(2, 3, 48)
    guide.set_column(4, 4, 20)
    book.close()
    return buf.getvalue()


def error_report_xlsx(job) -> bytes:
    """The original rows with 错误说明 beside them (rows with errors shaded), and the list of every problem."""
    by_row: dict[int, list[str]] = {}
    for _sheet, row, column, _value, reason in job.errors:
        by_row.setdefault(int(row or 0), []).append(f"{column}：{reason}" if column else reason)
    buf = io.BytesIO()
    book = _book(buf)
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    bad = book.add_format({"bg_color": "#FCE4D6"})
    bad_text = book.add_format({"bg_color": "#FCE4D6", "font_color": "#9C0006", "text_wrap": True})
    rows, header_index = _original_rows(job)
    sheet = book.add_worksheet("错误报告")
    sheet.set_column(0, 0, 60)
    if rows:
        sheet.write_string(0, 0, "错误说明", head)
        sheet.write_string(0, 1, "原行号", head)
        for c, value in enumerate(rows[header_index]):
            sheet.write_string(0, c + 2, planning._text(value), head)
        out = 1
        for offset, original in enumerate(rows[header_index + 1:]):
            number = header_index + 2 + offset
            if not any(planning._text(v) for v in original):
                continue
            reasons = by_row.get(number)
            fmt = bad if reasons else None
            sheet.write_string(out, 0, "；".join(reasons) if reasons else "", bad_text if reasons else None)
            sheet.write_number(out, 1, number, fmt)
            for c, value in enumerate(original):
                sheet.write_string(out, c + 2, planning._text(value), fmt)
            out += 1
        sheet.freeze_panes(1, 2)
    else:
        sheet.write_string(0, 0, job.error or "文件无法读取")
    listing = book.add_worksheet("错误清单")
    for c, label in enumerate(["工作表", "行号", "列", "值（已脱敏）", "错误原因"]):
        listing.write_string(0, c, label, head)
    for r, (sheet_name, row, column, value, reason) in enumerate(job.errors, start=1):
        listing.write_string(r, 0, str(sheet_name))
        listing.write_number(r, 1, int(row or 0))
        listing.write_string(r, 2, str(column))
        listing.write_string(r, 3, str(value))
        listing.write_string(r, 4, str(reason))
    if job.error_count > len(job.errors):
        listing.write_string(len(job.errors) + 1, 0, f"共 {job.error_count} 处错误，仅列出前 {len(job.errors)} 处")
    listing.set_column(4, 4, 70)
    book.close()
    return buf.getvalue()


def _original_rows(job) -> tuple[list[list], int]:
    try:
        sheet, header_index, _ = planning.read(job.stored_file(), job.file_name)
    except uploads.UploadRefused:
        return [], 0
    return sheet.rows, header_index

