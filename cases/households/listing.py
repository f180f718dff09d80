"""The household list's table rows as HTML, built in Python.

Fifty rows through the template engine (a variable lookup, an escape and a context push per cell, an
included template per row for its categories) cost more CPU than everything else on the page together
(bench/README.md). The markup is exactly what templates/cases/household_list.html and
templates/cases/_categories.html produce; every value is escaped as Django's autoescape does."""
from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe


def _month(d) -> str:
    return f"{d.year}年{d.month}月" if d else ""  # the template's |date:'Y年n月'


def categories_html(held: list[dict]) -> str:
    """What cases/_categories.html renders for one household's categories (selectors.categories_of)."""
    if not held:
        return '<span class="muted">—</span>\n'
    parts = []
    for c in held:
        title = f"{_month(c['start'])}起" + (f"，{_month(c['end'])}止" if c["end"] else "")
        parts.append(f'<span class="tag{"" if c["ended"] else " tag-ok"}" title="{escape(title)}">'
                     f'{escape(str(c["label"]))}{"（已退出）" if c["ended"] else ""}</span> ')
    return "".join(parts) + "\n"  # the template file's last newline


def rows_html(rows: list[dict]) -> SafeString:
    """The <tr> of each row of selectors.list_rows."""
    return mark_safe("".join(  # noqa: S308 - every value escaped
        f'<tr><td><a href="{escape(r["url"])}">{escape(str(r["head_name"]))}</a></td>'
        f'<td class="num">{escape(r["members"])}</td><td>{categories_html(r["categories"])}</td>'
        f'<td>{escape(str(r["hukou"]))}</td><td>{escape(str(r["township"]))}</td>'
        f'<td>{escape(str(r["village"]))}</td><td>{escape(str(r["address"]))}</td></tr>\n'
        for r in rows))
