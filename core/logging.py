"""Removes resident ID, card and phone numbers from log records and error reports.

Scrubs the formatted message (arguments merged in), the exception text and the stack text. Matches
18-character IDs (last character digit or X/x), and any 11 to 19 digits — phone, 15-digit old ID,
bank or social-security card — whether written together or in groups separated by spaces or dashes
("6222 0212 3456 7890", "138-1234-5678"). The last four digits stay so a log line can still be
matched to a case by someone allowed to.
"""
import logging
import re

_ID = re.compile(r"(?<![0-9])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_DIGITS = re.compile(r"(?<![0-9])\d{11,19}(?![0-9])")
_GROUPED = re.compile(r"(?<![0-9])\d{3,6}(?:[ \-]\d{2,6}){1,5}(?![0-9])")


def _mask_digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return "*" * (len(digits) - 4) + digits[-4:]


def _grouped(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if 11 <= len(digits) <= 19:
        return _mask_digits(match.group(0))
    return match.group(0)


def scrub(text: str) -> str:
    if not text:
        return text
    text = _ID.sub(lambda m: f"{m.group(1)}********{m.group(3)}", text)
    text = _DIGITS.sub(lambda m: _mask_digits(m.group(0)), text)
    return _GROUPED.sub(_grouped, text)


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record, nor leak its arguments
            message = f"{record.msg} {record.args!r}"
        scrubbed = scrub(str(message))
        if scrubbed != record.msg or record.args:
            record.msg, record.args = scrubbed, ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
