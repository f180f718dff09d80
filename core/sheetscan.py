"""The extent of a worksheet as the spreadsheet reader (calamine) will see it, found in its XML before that reader
builds its grid. Calamine allocates rows × columns cells from the highest row and column any cell or row names: a
10 KB file naming cell XFD1048576 makes it ask for 550 GB and abort the process (a Celery worker). The gate
(core.uploads.check_zip) feeds every worksheet through a `SheetScan` while it counts the decompressed bytes.

Calamine reads XML as XML: a reference may be quoted with ' as well as ", have spaces around its "=", be written in
lower case ("z40"), an element may carry a namespace prefix ("x:c"), and a cell or row without a reference takes the
place after the one before. All of these name places as well as r="A1" does.

* The fast path, for every chunk: a worksheet as Excel, WPS, LibreOffice, openpyxl or xlsxwriter write it — every
  row `<row r="N"` and every cell `<c r="A1"`, unprefixed, the reference first and within the limits — is checked
  by three regex searches that find any element which is not of that form or names a place beyond the limits
  (`_patterns`); none found means the sheet is within the limits, and nothing is counted.
* The exact path, for a sheet where anything else was found: the member is read again through expat and every row
  and cell is placed as calamine places it (`exact_extent`); a document type declaration is refused (no entity
  expansion), so is a single tag longer than `MAX_TAG` bytes.
"""
from __future__ import annotations

import functools
import re
import xml.parsers.expat
from dataclasses import dataclass

MAX_TAG = 64 * 1024  # no spreadsheet writes an element tag anywhere near this long


@dataclass
class SheetExtent:
    rows: int = 0
    columns: int = 0


class MalformedSheet(Exception):
    """Not a worksheet any reader would accept (an oversized tag, a DTD, broken XML where a grid was expected)."""


def column_number(letters: bytes | str) -> int:
    n = 0
    for ch in (letters.decode() if isinstance(letters, bytes) else letters).upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def column_letters(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def at_most(limit: str, alphabet: str, leading: str) -> str:
    """A pattern for the strings over `alphabet` (in order; the first place from `leading`, no leading zero or blank)
    that stand for a number from 1 up to `limit`: shorter, or as long and not greater."""
    first, last = alphabet[0], alphabet[-1]

    def places(n: int) -> str:  # possessive: a failed option is not tried again with fewer places
        return f"[{first}-{last}]{{{n}}}+" if n else ""

    options = [f"[{leading[0]}-{leading[-1]}][{first}-{last}]{{0,{len(limit) - 2}}}+"] if len(limit) > 1 else []
    for i, ch in enumerate(limit):
        low = leading[0] if i == 0 else first
        if ch > low:
            options.append(f"{limit[:i]}[{low}-{chr(ord(ch) - 1)}]{places(len(limit) - i - 1)}")
    options.append(limit)
    return "(?:" + "|".join(options) + ")"


@functools.lru_cache(maxsize=16)
def _patterns(max_rows: int, max_columns: int) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Three searches, each finding what the fast path cannot vouch for: a prefixed row or cell element; a row that
    does not begin with r="N" for N within the limit; a cell that does not begin with r="A1" within the limits."""
    upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    rows = at_most(str(max_rows), "0123456789", "123456789")
    columns = at_most(column_letters(max_columns), upper, upper) if max_columns > 0 else "(?!)"
    prefixed = re.compile(rb":(?:c|row)[\s>/]")
    row = re.compile(f'<row(?=[\\s>/])(?! r="{rows}")'.encode())
    cell = re.compile(f'<c(?=[\\s>/])(?! r="{columns}(?=[0-9]){rows}")'.encode())
    return prefixed, row, cell


class SheetScan:
    """Fed a worksheet's XML chunk by chunk; `suspect` once anything was found that the fast path cannot vouch
    for (then `exact_extent` must read the sheet again). The text after the last "<" of a chunk is kept for the
    next, so no element is judged cut in half."""

    __slots__ = ("limits", "tail", "suspect", "searches", "declared")

    def __init__(self, limits):
        self.limits = limits
        self.tail = b""
        self.suspect = False
        self.searches = _patterns(limits.max_rows, limits.max_columns)
        self.declared = SheetExtent()  # the largest <dimension> the sheet declares

    def feed(self, chunk: bytes) -> None:
        if self.suspect:  # the exact count reads the sheet again
            return
        text = self.tail + chunk if self.tail else chunk
        if not self.tail and b"dimension" in text:  # the first chunk: a reader reads <dimension> before the data
            for m in _DIMENSION.finditer(text):
                last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
                if last_col and last_row:
                    self.declared.rows = max(self.declared.rows, int(last_row))
                    self.declared.columns = max(self.declared.columns, column_number(last_col))
        cut = text.rfind(b"<")
        if cut < 0:  # text without any tag
            self.tail = b""
            return
        self.tail = text[cut:]
        if len(self.tail) > MAX_TAG:
            raise MalformedSheet("tag too long")
        if any(search.search(text, 0, cut) for search in self.searches):
            self.suspect = True

    def finish(self) -> None:
        if not self.suspect and self.tail:
            part = self.tail + b" "  # the last tag: judged as if the document went on
            if any(search.search(part) for search in self.searches):
                self.suspect = True
        self.tail = b""


# A declared <dimension> (a reader may size its storage from it)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z]{0,4})([0-9]{0,8})(?::([A-Z]{1,4})([0-9]{1,8}))?"')
_REF = re.compile(r"\s*([A-Za-z]{1,7})([0-9]{1,12})\s*")
_NUMBER = re.compile(r"\s*([0-9]{1,12})\s*")


def exact_extent(stream, limits, *, chunk: int = 1 << 20) -> SheetExtent:
    """Every row and cell of a worksheet placed as calamine places it: a row at its r, or after the row before; a
    cell at its reference, or after the cell before in its row. Stops as soon as a limit is passed. `stream`: the
    decompressed member (its size was already bounded). Raises MalformedSheet for a document type declaration
    or XML that no reader takes."""
    extent = SheetExtent()
    state = {"row": 0, "column": 0}
    max_rows, max_columns = limits.max_rows, limits.max_columns

    def start(name: str, attrs: dict) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            found = _NUMBER.fullmatch(attrs.get("r", ""))
            state["row"] = int(found.group(1)) if found else state["row"] + 1
            state["column"] = 0
            extent.rows = max(extent.rows, state["row"])
        elif local == "c":
            found = _REF.fullmatch(attrs.get("r", ""))
            if found:
                state["column"] = column_number(found.group(1))
                extent.rows = max(extent.rows, int(found.group(2)))
            else:
                state["column"] += 1
            extent.columns = max(extent.columns, state["column"])
        else:
            return
        if extent.rows > max_rows or extent.columns > max_columns:
            raise _Passed

    def refuse_dtd(*args) -> None:
        raise MalformedSheet("document type declaration")

    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    try:
        while data := stream.read(chunk):
            parser.Parse(data, False)
        parser.Parse(b"", True)
    except _Passed:
        return extent
    except xml.parsers.expat.ExpatError:
        raise MalformedSheet("not well-formed XML") from None
    return extent


class _Passed(Exception):
    """A limit was passed: the extent so far is enough for the refusal."""
