"""Small server-side SVG charts for the home page (no script, no external library: a CSP without inline script
holds, and the chart prints)."""
from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.scope import Action
from cases.models import Application
from core.months import add_months, first_of_month


def bar_svg(series: list[tuple[str, int]], *, title: str, width: int = 420, height: int = 150) -> SafeString:
    """A bar chart with a value over each bar and a label under it; every text escaped."""
    top = max([v for _, v in series] + [1])
    n = max(len(series), 1)
    slot = (width - 20) / n
    bar = slot * 0.6
    chart_h = height - 40
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(series):
        h = round(chart_h * value / top)
        x = 10 + i * slot + (slot - bar) / 2
        y = 18 + chart_h - h
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="{bar:.1f}" height="{h}" fill="#1f5fa8"/>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 4}" text-anchor="middle" font-size="12">{value}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="12" '
                     f'fill="#5b6575">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped text and numbers only


CACHE_SECONDS = 300


def applications_by_month(user, months: int = 6, today: dt.date | None = None) -> SafeString:
    """Applications accepted per month in the user's region, the last `months` months; cached per scope (role
    and region) for five minutes like the home page's counts, so a page view does not count again."""
    today = today or timezone.localdate()
    key = f"home-chart:v1:{user.role}:{user.region_id}:{today:%Y%m}:{months}"
    svg = cache.get(key)
    if svg is None:
        svg = str(_applications_by_month(user, months, today))
        cache.set(key, svg, CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - our own escaped SVG


def _applications_by_month(user, months: int, today: dt.date) -> SafeString:
    start = add_months(first_of_month(today), -(months - 1))
    rows = (Application.objects.restrict(user, Action.CASE_VIEW).filter(accepted_on__gte=start).order_by()
            .annotate(m=TruncMonth("accepted_on")).values("m").annotate(n=Count("pk")))
    counts = {(r["m"].year, r["m"].month): r["n"] for r in rows}
    series = []
    for i in range(months):
        m = add_months(start, i)
        series.append((f"{m.month}月", counts.get((m.year, m.month), 0)))
    return bar_svg(series, title=f"近{months}个月受理的救助申请（件）")
