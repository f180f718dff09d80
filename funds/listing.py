"""The home page's table of recent payment batches as HTML, built in Python.

Five rows through the template engine (a `{% with %}`, a `{% url %}`, date, intcomma and yuan filters and an
if/elif chain per deadline) were more than half of the city administrator's home page (bench/README.md). The
markup is exactly what the template loop in templates/home.html produced; every value is escaped as Django's
autoescape does (tests/funds/test_listing.py compares both)."""
from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from cases.households.selectors import region_names
from core.templatetags.jiuzhu import yuan
from funds.models import PaymentBatch

_KIND = dict(PaymentBatch.Kind.choices)
_STATUS = dict(PaymentBatch.Status.choices)


def _state_html(st) -> str:
    if st.state == "met":
        return '<span class="tag tag-ok">按时</span>'
    if st.state == "missed":
        return '<span class="tag tag-danger">逾期完成</span>'
    if st.state == "overdue":
        return '<span class="tag tag-danger">已逾期</span>'
    return f'<span class="tag">{st.due.month}月{st.due.day}日前</span>'


def batch_rows_html(rows: list[dict]) -> SafeString:
    """The <tr> of each {"batch": funds.selectors.recent_batches item, "states": funds.deadlines.states(...)}."""
    prefix = reverse("funds:batch_detail", args=[0])[:-2]  # one reverse() for all rows: prefix + pk + "/"
    names = region_names()
    parts = []
    for r in rows:
        b = r["batch"]
        parts.append(
            f'<tr><td><a href="{escape(f"{prefix}{b.id}/")}">{b.month.year}年{b.month.month}月</a></td>'
            f'<td>{escape(str(names.get(b.county_id, b.county_id)))}</td>'
            f'<td>{escape(str(_KIND.get(b.kind, b.kind)))}</td><td>{escape(str(_STATUS.get(b.status, b.status)))}</td>'
            f'<td class="num">{b.line_count:,}</td><td class="num">{escape(yuan(b.total_amount))}</td>\n  '
            + "".join(f"<td>{_state_html(st)}</td>" for st in r["states"]) + "</tr>")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
