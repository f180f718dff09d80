"""Removes resident ID, card and phone numbers from log records and error reports."""
import logging
import re

_ID = re.compile(r"(?<![0-9])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9])")
_DIGITS = re.compile(r"(?<![0-9])\d{11,19}(?![0-9])")


def scrub(text: str) -> str:
    text = _ID.sub(lambda m: f"{m.group(1)}********{m.group(3)}", text)
    return _DIGITS.sub(lambda m: "*" * (len(m.group(0)) - 4) + m.group(0)[-4:], text)


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            return True
        scrubbed = scrub(message)
        if scrubbed != message or record.args:
            record.msg, record.args = scrubbed, ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
